import Foundation
import Synchronization

/// Children still running. The test process kills them with SIGKILL when it exits: a child that outlives it
/// (a registry whose graceful shutdown waits on a connection a test left hanging) keeps the test runner's output
/// pipe open, and `swift test` then waits for ever after the last test.
private let liveChildren = Mutex<Set<Int32>>([])
private let killLiveChildrenAtExit: Void = {
    atexit { liveChildren.withLock { for pid in $0 { kill(pid, SIGKILL) } } }
}()

/// A child process whose standard output is collected line by line, so a test can wait for a readiness line
/// (e.g. `"ACCEPT 127.0.0.1:41234"`) instead of sleeping. Terminated (SIGTERM, then SIGKILL) in `deinit`.
///
/// Spawned with `posix_spawn` and read by a dedicated thread with blocking `read`, so neither output nor exit
/// depends on the concurrency pool or a run loop (Foundation's `Process` delivered exits late here, under load).
public final class ChildProcess: @unchecked Sendable {
    /// Process id.
    public let pid: Int32
    private let state = State()
    private let standardInput: Int32  // write end kept open: a server reading stdin never sees end of file

    /// Output and exit status, shared with the reader thread.
    private final class State: @unchecked Sendable {
        let lock = NSCondition()
        var lines: [String] = []  // guarded by lock
        var partial: [UInt8] = []  // guarded by lock
        var exitStatus: Int32?  // guarded by lock

        func append(_ bytes: ArraySlice<UInt8>) {
            lock.lock()
            defer { lock.unlock() }
            partial += bytes
            while let newline = partial.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(String(decoding: partial[..<newline], as: UTF8.self))
                partial.removeSubrange(...newline)
            }
        }

        func finish(_ status: Int32) {
            lock.lock()
            exitStatus = status
            lock.broadcast()
            lock.unlock()
        }

        func snapshot() -> ([String], Int32?) {
            lock.lock()
            defer { lock.unlock() }
            return (lines, exitStatus)
        }
    }

    /// Starts `executable` with `arguments`; standard error goes to the test's standard error.
    public init(executable: String, arguments: [String]) throws {
        var output: [Int32] = [0, 0]
        var input: [Int32] = [0, 0]
        // Close-on-exec (pipe2 is not imported), so that a child spawned concurrently by another test does not inherit (and hold open)
        // this child's pipe ends; dup2 onto 0 and 1 clears the flag for our own child.
        guard pipe(&output) == 0, pipe(&input) == 0 else { throw TestFailure("pipe failed: \(errno)") }
        for descriptor in output + input { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        for descriptor in output + input { posix_spawn_file_actions_addclose(&actions, descriptor) }
        // The test runner may block signals; the child must start with none blocked and default handlers, or
        // SIGTERM would not stop it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, environ)
        close(output[1])
        close(input[0])
        guard result == 0 else {
            close(output[0])
            close(input[1])
            throw TestFailure("posix_spawn \(executable) failed: \(result)")
        }
        pid = child
        standardInput = input[1]
        killLiveChildrenAtExit
        liveChildren.withLock { _ = $0.insert(child) }
        let state = state
        let spawned = child
        let readEnd = output[0]
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                if count > 0 {
                    state.append(buffer[..<count])
                } else if count == 0 || errno != EINTR {
                    break
                }
            }
            close(readEnd)
            var status: Int32 = 0
            while waitpid(spawned, &status, 0) == -1 && errno == EINTR {}
            liveChildren.withLock { _ = $0.remove(spawned) }
            state.finish(status)
        }
        thread.start()
    }

    /// Sends SIGTERM and returns at once; a thread of its own sends SIGKILL if the process has not exited
    /// within 10 s. The caller (often a `deinit` on the concurrency pool) never waits.
    deinit {
        let state = state
        let pid = pid
        if state.snapshot().1 == nil {
            kill(pid, SIGTERM)
            Thread.detachNewThread {
                let deadline = Date().addingTimeInterval(10)
                state.lock.lock()
                while state.exitStatus == nil && state.lock.wait(until: deadline) {}
                let exited = state.exitStatus != nil
                state.lock.unlock()
                if !exited { kill(pid, SIGKILL) }
            }
        }
        close(standardInput)
    }

    /// Every complete line received so far.
    public var output: [String] { state.snapshot().0 }

    /// Waits until a received line satisfies `match` and returns what `match` returned. Polls every 10 ms
    /// without blocking a thread of the concurrency pool.
    /// - Throws: `TestFailure` if the process exits or `timeout` passes first.
    public func waitForLine<T>(timeout: Duration = .seconds(60), _ match: (String) -> T?) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var checked = 0
        while true {
            let (received, exitStatus) = state.snapshot()
            while checked < received.count {
                if let found = match(received[checked]) { return found }
                checked += 1
            }
            if exitStatus != nil { throw TestFailure("process exited before the expected line; output: \(received)") }
            if clock.now >= deadline { throw TestFailure("no expected line within \(timeout); output: \(received)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits for the process to exit and its output to end; returns the raw `waitpid` status. Polls every 10 ms
    /// without blocking a thread of the concurrency pool (two threads here: a blocking wait in one test stalled
    /// every other test's bus workers and timers past their deadlines).
    public func waitForExit() async -> Int32 {
        while true {
            if let status = state.snapshot().1 { return status }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// A failure of the test harness itself (a server that did not start), with a message saying what.
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
