public import FoundationEssentials
public import Platform
public import ShelterCore

/// The state directory on disk behind the core's `StateDirectory` port. Every write is `AtomicFile.write`:
/// durable (after a crash or power loss the file is the old one or the new one, whole), or `.replaceOnly` for a
/// derived file (`StateFile.isDerived`: no fsync; the rename still keeps readers from seeing a torn file).
///
/// Thread-safe (no shared state; each write has its own temporary file name).
public struct FileStateDirectory: StateDirectory {
    /// The directory, absolute (`gateway.state_directory`).
    public let path: String

    /// Why a state file could not be written.
    public typealias WriteError = AtomicFile.WriteError

    public init(path: String) { self.path = path }

    /// The full path of `file`.
    public func path(of file: StateFile) -> String { path + "/" + file.rawValue }

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
