public import FoundationEssentials
public import Platform
public import ShelterCore

/// The state directory on disk behind the core's `StateDirectory` port. Every write is `AtomicFile.write`:
/// durable (after a crash or power loss the file is the old one or the new one, whole), or `.replaceOnly` for a
/// derived file (`StateFile.isDerived`: no fsync; the rename still keeps readers from seeing a torn file).
///
/// With a runtime directory (`runtimePath`), the files that belong there (`StateFile.isRuntime`: the status)
/// are written in it, and the state directory holds a symbolic link to each (`linkRuntimeFiles()`), so a reader
/// of the state directory (`shelter-agent status --state-dir`) finds them where they always were.
///
/// Thread-safe (no shared state; each write has its own temporary file name).
public struct FileStateDirectory: StateDirectory {
    /// The directory, absolute (`gateway.state_directory`).
    public let path: String
    /// The runtime directory (in RAM), absolute; `nil` when there is none and every file is in `path`.
    public let runtimePath: String?

    /// Why a state file could not be written.
    public typealias WriteError = AtomicFile.WriteError

    public init(path: String, runtimePath: String? = nil) {
        self.path = path
        self.runtimePath = runtimePath
    }

    /// The full path `file` is written at: in the runtime directory for a runtime file when there is one.
    public func path(of file: StateFile) -> String {
        if file.isRuntime, let runtimePath { return runtimePath + "/" + file.rawValue }
        return path + "/" + file.rawValue
    }

    /// Makes the state directory's name of each runtime file a symbolic link to it in the runtime directory,
    /// replacing whatever was there (a file from a run without a runtime directory, an older link) in one rename.
    /// Does nothing without a runtime directory. Call once at start, before the first write.
    /// - Throws: `AtomicFile.WriteError` when the runtime directory is not a directory this user can write, or
    ///   the link cannot be made; the state directory is unchanged then.
    public func linkRuntimeFiles() throws {
        guard let runtimePath else { return }
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: runtimePath, isDirectory: &isDirectory), isDirectory,
            FileManager.default.isWritableFile(atPath: runtimePath)
        else { throw WriteError(path: runtimePath, reason: "not a directory this user can write") }
        for file in StateFile.allCases where file.isRuntime {
            try AtomicFile.replaceWithSymbolicLink(path + "/" + file.rawValue, to: runtimePath + "/" + file.rawValue)
        }
    }

    /// Where the state directory's name of `file` links to when that link's target is gone (a runtime
    /// directory emptied by a reboot); `nil` when it is not a link or its target exists.
    public func danglingLinkTarget(_ file: StateFile) -> String? {
        let name = path + "/" + file.rawValue
        guard let target = AtomicFile.symbolicLinkTarget(name), !FileManager.default.fileExists(atPath: name)
        else { return nil }
        return target
    }

    public func read(_ file: StateFile) -> [UInt8]? {
        // State files are small; a file beyond 64 MiB is not ours to parse.
        AtomicFile.read(path(of: file), limit: 64 << 20)
    }

    public func write(_ bytes: [UInt8], to file: StateFile) throws {
        try AtomicFile.write(bytes, to: path(of: file), durability: file.isDerived ? .replaceOnly : .durable)
    }

    public func touch(_ file: StateFile) throws {
        try AtomicFile.touch(path(of: file))
    }

    public func modifiedAt(_ file: StateFile) -> Date? {
        AtomicFile.modificationTime(path(of: file)).map { Date(timeIntervalSince1970: $0) }
    }
}
