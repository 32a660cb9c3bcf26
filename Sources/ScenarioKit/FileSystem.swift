#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Platform

/// The few file operations the runner needs, over POSIX (the runner links no full Foundation).
enum FileSystem {
    /// The whole file as UTF-8 text, or `nil` if it cannot be read.
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { return nil }
            if n == 0 { break }
            bytes += chunk[..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `text` to `path` (created or truncated, mode 0644).
    /// - Throws: `ScenarioError` `.setupFailed` naming the path.
    static func write(_ text: String, to path: String) throws(ScenarioError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw failure("cannot create", path) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw failure("cannot write", path) }
            written += n
        }
    }

    /// Creates a fresh directory from a `mkdtemp` template such as `/tmp/shelter-hil-XXXXXX`.
    static func makeTemporaryDirectory(prefix: String) throws(ScenarioError) -> String {
        var template = Array("\(prefix)XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let made else { throw failure("cannot create a temp directory", prefix) }
        return made
    }

    /// Creates a directory (mode 0700) if it does not exist.
    static func makeDirectory(_ path: String) throws(ScenarioError) {
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw failure("cannot create directory", path) }
    }

    /// Creates a symbolic link at `path` pointing to `target`.
    static func link(_ path: String, to target: String) throws(ScenarioError) {
        guard symlink(target, path) == 0 else { throw failure("cannot link \(target) as", path) }
    }

    /// Whether a file or directory exists at `path`.
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Whether `path` is an executable file.
    static func isExecutable(_ path: String) -> Bool {
        access(path, X_OK) == 0
    }

    /// The absolute form of `path` (resolving `.`, `..` and links); `path` itself if it does not exist.
    static func absolute(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The directory part of `path` (`"."` when there is none).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The directory of the running executable (`/proc/self/exe`): where the sibling binaries are.
    static func executableDirectory() -> String? {
        let resolved = absolute("/proc/self/exe")
        return resolved == "/proc/self/exe" ? nil : directory(of: resolved)
    }

    /// Removes a directory tree (best effort, for the run's temp directory).
    static func removeTree(_ path: String) {
        guard path.hasPrefix("/tmp/") || path.hasPrefix("/var/tmp/") else { return }  // never anything else
        _ = try? ChildProcess(name: "cleanup", executable: "/bin/rm", arguments: ["-rf", path], logPath: "/dev/null")
            .waitForExit(timeout: .seconds(30))
    }

    static func failure(_ what: String, _ path: String) -> ScenarioError {
        ScenarioError(code: .setupFailed, subject: path, "\(what) \(path): \(String(cString: strerror(errno)))")
    }
}

extension FileSystem {
    /// The names in a directory (without `.` and `..`), or `nil` if it cannot be read.
    static func listing(of path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
