#if canImport(Glibc)
    import Glibc
#endif
import Synchronization

/// Whole-file reads and crash-safe whole-file writes: a write goes to a temporary file in the same directory,
/// is fsynced, renamed over the old file, and the directory is fsynced, so after a crash or power loss the
/// file is the old one or the new one, whole. A `.replaceOnly` write skips both fsyncs (for derived files the
/// writer rebuilds on start: the rename still keeps readers from ever seeing a torn file while the system runs,
/// but after a power loss the file may be the old one, the new one, or empty).
///
/// Thread-safe: each write has its own temporary file name (the process id and a per-process sequence number),
/// so writers on several threads never share one; the last rename wins, each file whole.
public enum AtomicFile {
    /// Numbers the temporary files of this process.
    private static let sequence = Atomic<Int>(0)

    /// Why a file could not be written.
    public struct WriteError: Error, CustomStringConvertible {
        /// The file.
        public var path: String
        /// The failed step and `strerror(errno)`.
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }

        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// How hard a write insists that the bytes reach the disk before it returns.
    public enum Durability: Sendable, Hashable {
        /// fsync the file, rename, fsync the directory: after a power loss the file is the old or the new one.
        case durable
        /// Rename without any fsync: the kernel writes the file back when it likes (about 30 s later on Linux's
        /// defaults, coalescing rewrites of the same file). For derived state only (see the type).
        case replaceOnly
    }

    /// The file's bytes, or `nil` when it cannot be read or is longer than `limit` bytes (default 64 MiB).
    public static func read(_ path: String, limit: Int = 64 << 20) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
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
            if bytes.count > limit { return nil }
        }
    }

    /// Replaces `path` with `bytes`, crash-safely (see the type). The file gets mode 0600.
    /// - Parameters:
    ///   - durability: `.durable` (the default) or `.replaceOnly` (no fsync; derived files only).
    /// - Throws: `WriteError` naming the step that failed (open, write, fsync, rename); the temporary file is
    ///   removed and the old file stays.
    public static func write(
        _ bytes: [UInt8], to path: String, durability: Durability = .durable
    ) throws(WriteError) {
        let temporary = temporaryName(for: path)
        func fail(_ step: String) -> WriteError {
            WriteError(path: path, reason: "\(step): \(String(cString: strerror(errno)))")
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
        guard durability == .replaceOnly || fsync(fd) == 0 else {
            let error = fail("fsync")
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let error = fail("rename")
            unlink(temporary)
            throw error
        }
        guard durability == .durable else { return }
        let slash = path.lastIndex(of: "/")
        let directoryPath = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let directory = open(directoryPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
    }

    /// Makes `path` a symbolic link to `target`, replacing whatever `path` was (a file, another link) in one
    /// rename, so a reader never finds `path` missing. Does nothing when `path` already links to `target`.
    /// - Throws: `WriteError` (step "symlink" or "rename"); `path` is unchanged then.
    public static func replaceWithSymbolicLink(_ path: String, to target: String) throws(WriteError) {
        if symbolicLinkTarget(path) == target { return }
        let temporary = temporaryName(for: path)
        guard symlink(target, temporary) == 0 else {
            throw WriteError(path: path, reason: "symlink: \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, path) == 0 else {
            let error = WriteError(path: path, reason: "rename: \(String(cString: strerror(errno)))")
            unlink(temporary)
            throw error
        }
    }

    /// What the symbolic link `path` points to (`readlink(2)`), whether or not that exists; `nil` when `path` is
    /// not a symbolic link or cannot be read.
    public static func symbolicLinkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length >= 0 else { return nil }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A temporary name beside `path`, unique in this process (process id and sequence number).
    private static func temporaryName(for path: String) -> String {
        path + ".tmp-\(getpid())-\(sequence.add(1, ordering: .relaxed).newValue)"
    }

    /// Sets the file's modification time to now without writing its bytes (`utimensat(2)`): a sign of life for
    /// a file whose content did not change. Costs an inode update, no data block.
    /// - Throws: `WriteError` (step "utimensat") when the file is missing or not the caller's.
    public static func touch(_ path: String) throws(WriteError) {
        guard utimensat(AT_FDCWD, path, nil, 0) == 0 else {
            throw WriteError(path: path, reason: "utimensat: \(String(cString: strerror(errno)))")
        }
    }

    /// The file's modification time as seconds since 1970 (with nanoseconds), or `nil` when it cannot be
    /// read (`stat(2)`).
    public static func modificationTime(_ path: String) -> Double? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
    }
}
