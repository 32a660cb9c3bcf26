internal import Glibc

/// A child process (the HIL runner's registry, simulator and agent, a PKI script), with its output going to a
/// log file. It is stopped by its process id, never by name.
///
/// The child runs in its own process group, so a Ctrl-C at the terminal reaches only the runner, which then
/// stops its children in order. Not thread-safe; owned by the runner.
public final class ChildProcess {
    /// Short name for messages, e.g. `"registry"`.
    public let name: String
    /// Process id.
    public let pid: Int32
    /// Where stdout and stderr go (appended).
    public let logPath: String
    private var status: Int32?

    /// Starts `executable` with `arguments`, stdin from `/dev/null`, stdout and stderr appended to `logPath`.
    /// - Parameters:
    ///   - errorLogPath: where stderr goes instead, when stdout must stay clean (a command printing JSON).
    ///   - environment: extra `NAME=value` entries added to (and overriding) the runner's environment.
    /// - Throws: `ChildProcessError` if the process cannot be spawned (the executable is missing, not
    ///   executable, or the system is out of processes).
    public init(
        name: String, executable: String, arguments: [String], logPath: String, errorLogPath: String? = nil,
        environment: [String: String] = [:]
    ) throws(ChildProcessError) {
        self.name = name
        self.logPath = logPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        if let errorLogPath {
            posix_spawn_file_actions_addopen(&actions, 2, errorLogPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let argv = [executable] + arguments
        let env = Self.mergedEnvironment(environment)
        var child: pid_t = 0
        let argvPointers = Self.cStrings(argv)
        let envPointers = Self.cStrings(env)
        defer { for p in argvPointers + envPointers { free(p) } }
        let rc = posix_spawn(&child, executable, &actions, &attributes, argvPointers, envPointers)
        guard rc == 0 else {
            throw ChildProcessError(name: name, executable: executable, errno: rc)
        }
        pid = child
    }

    deinit { _ = terminate(grace: .seconds(5)) }

    /// Whether the process has not exited yet (reaps it if it has).
    public var isRunning: Bool {
        reap(blocking: false)
        return status == nil
    }

    /// How it ended, once it has: `"exit 0"`, `"signal 9"`; `nil` while running.
    public var exitDescription: String? {
        reap(blocking: false)
        guard let status else { return nil }
        return Self.describe(status)
    }

    /// The exit code if it exited normally; `nil` while running or when killed by a signal.
    public var exitCode: Int32? {
        reap(blocking: false)
        guard let status, status & 0x7f == 0 else { return nil }
        return (status >> 8) & 0xff
    }

    /// Sends `signal` to the process (by pid) if it is still running.
    public func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Stops the process: SIGTERM, then SIGKILL if it has not exited after `grace`.
    /// - Returns: how it ended.
    @discardableResult
    public func terminate(grace: Duration) -> String {
        if isRunning {
            kill(pid, SIGTERM)
            let clock = ContinuousClock()
            let deadline = clock.now + grace
            while isRunning && clock.now < deadline { Self.pause(milliseconds: 20) }
            if isRunning {
                kill(pid, SIGKILL)
                reap(blocking: true)
            }
        }
        return exitDescription ?? "unknown"
    }

    /// Waits for the process to exit by itself, up to `timeout`.
    /// - Returns: whether it exited.
    public func waitForExit(timeout: Duration) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while isRunning {
            if clock.now >= deadline { return false }
            Self.pause(milliseconds: 20)
        }
        return true
    }

    private func reap(blocking: Bool) {
        guard status == nil else { return }
        var raw: Int32 = 0
        let rc = waitpid(pid, &raw, blocking ? 0 : WNOHANG)
        if rc == pid {
            status = raw
        } else if rc == -1 && errno == ECHILD {
            status = -1
        }
    }

    static func describe(_ status: Int32) -> String {
        if status == -1 { return "exited (status unknown)" }
        if status & 0x7f == 0 { return "exit \((status >> 8) & 0xff)" }
        return "signal \(status & 0x7f)"
    }

    /// Blocks the calling thread briefly (used only while stopping children, off the concurrency pool's
    /// critical path: the runner is stopping).
    static func pause(milliseconds: Int) {
        Platform.pause(for: .milliseconds(milliseconds), unless: { false })
    }

    private static func mergedEnvironment(_ extra: [String: String]) -> [String] {
        var merged: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                merged[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        for (key, value) in extra { merged[key] = value }
        return merged.map { "\($0.key)=\($0.value)" }.sorted()
    }

    /// `strdup` copies with a terminating `nil`; the caller frees them.
    private static func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] {
        strings.map { strdup($0) } + [nil]
    }
}

/// A child process that could not be started.
public struct ChildProcessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The child's short name, e.g. `"registry"`.
    public var name: String
    /// The executable's path.
    public var executable: String
    /// The `posix_spawn` error number, e.g. `ENOENT`.
    public var errno: Int32

    public var description: String { "cannot start \(executable): \(String(cString: strerror(errno)))" }
}
