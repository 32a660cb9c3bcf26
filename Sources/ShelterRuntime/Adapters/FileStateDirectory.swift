public import ShelterCore

#if canImport(Glibc)
    import Glibc
#endif

/// The state directory on disk behind the core's `StateDirectory` port. Every write goes to a temporary file
/// in the same directory, is fsynced, renamed over the old file, and the directory is fsynced: after a
/// crash or power loss the file is the old one or the new one, whole.
///
/// Thread-safe (no shared state; each write has its own temporary file name).
public struct FileStateDirectory: StateDirectory {
    /// The directory, absolute (`gateway.state_directory`).
    public let path: String

    /// Why a state file could not be written.
    public struct WriteError: Error, CustomStringConvertible {
        /// The file.
        public var path: String
        /// The failed step and `strerror(errno)`.
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    public init(path: String) { self.path = path }

    /// The full path of `file`.
    public func path(of file: StateFile) -> String { path + "/" + file.rawValue }

    public func read(_ file: StateFile) -> [UInt8]? {
        let fd = open(path(of: file), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { return bytes }
            bytes += buffer[0..<count]
            // State files are small; a file beyond 64 MiB is not ours to parse.
            if bytes.count > 64 << 20 { return nil }
        }
    }

    public func write(_ bytes: [UInt8], to file: StateFile) throws {
        let target = path(of: file)
        let temporary = target + ".tmp-\(getpid())"
        func fail(_ step: String) -> WriteError {
            WriteError(path: target, reason: "\(step): \(String(cString: strerror(errno)))")
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw fail("open") }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(fd, base + written, buffer.count - written)
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let error = fail("write")
                close(fd)
                unlink(temporary)
                throw error
            }
            written += count
        }
        guard fsync(fd) == 0 else {
            let error = fail("fsync")
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, target) == 0 else {
            let error = fail("rename")
            unlink(temporary)
            throw error
        }
        let directory = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
    }
}
