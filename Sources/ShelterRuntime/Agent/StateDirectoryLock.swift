#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock(2)` on `<state directory>/agent.lock`, held for the life of the process, so two agents
/// never share one outbox: a second agent on the same state directory would otherwise queue alerts about
/// devices it cannot reach (the first one holds the serial port) and the first would deliver them.
public final class StateDirectoryLock: Sendable {
    private let fd: Int32

    /// Takes the lock, creating the directory's lock file if needed.
    /// - Throws: `StateDirectoryLock.Error` when another process holds it, or the file cannot be opened.
    public init(stateDirectory: String) throws(StateDirectoryLock.Error) {
        let path = stateDirectory + "/agent.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Error(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason =
                errno == EWOULDBLOCK
                ? "another shelter-agent is running with state directory \(stateDirectory)"
                : "cannot lock \(path): \(String(cString: strerror(errno)))"
            close(fd)
            throw Error(description: reason)
        }
        _ = ftruncate(fd, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = write(fd, pid, pid.count)
        self.fd = fd
    }

    deinit { close(fd) }

    /// Why the lock was not taken.
    public struct Error: Swift.Error, CustomStringConvertible {
        public var description: String
    }
}
