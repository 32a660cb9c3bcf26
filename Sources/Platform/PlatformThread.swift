internal import Glibc

/// A POSIX thread running one closure: the one thread primitive of the agent (swift-system's role, issue 10).
///
/// DESIGN §3: blocking C calls (libmodbus, libcurl, SQLite, fsync) on the Swift concurrency pool (2 threads on
/// the gateway) stalled other tasks for 2.1 s, so each runs on a thread of its own. FoundationEssentials has
/// no `Thread`; this is the small part of it the agent needs. The thread blocks every signal, so
/// process-directed signals (SIGTERM, SIGHUP) reach the threads that wait for them (ServiceLifecycle's signal
/// sources) and are never taken, and lost, by a worker that ignores them. Thread-safe.
public final class PlatformThread: Sendable {
    private let handle: Handle

    private struct Handle: @unchecked Sendable {  // pthread_t is a plain integer on Linux, written once.
        let value: pthread_t
    }

    private final class Box: @unchecked Sendable {  // Written before the thread starts, read by it once.
        let name: String?
        let body: @Sendable () -> Void
        init(_ name: String?, _ body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// The longest thread name Linux keeps, bytes (`TASK_COMM_LEN` 16, less the terminating NUL).
    public static let maximumNameLength = 15

    /// `name` cut to `maximumNameLength` bytes of UTF-8, at a character boundary.
    static func threadName(_ name: String) -> String {
        var cut = ""
        for character in name {
            guard cut.utf8.count + character.utf8.count <= maximumNameLength else { break }
            cut.append(character)
        }
        return cut
    }

    private init(handle: pthread_t) { self.handle = Handle(value: handle) }

    /// Starts `body` on a new joinable thread.
    /// - Parameter name: the thread's name, as `top -H`, `ps -L`, `/proc/PID/task/TID/comm` and perf show it;
    ///   cut to 15 bytes (`maximumNameLength`). `nil` (the default): the creating thread's name.
    /// - Returns: the thread, or `nil` when the system cannot create one (`EAGAIN`).
    /// - Important: call `join()` once, or the thread's resources stay allocated after it ends.
    public static func start(name: String? = nil, _ body: @escaping @Sendable () -> Void) -> PlatformThread? {
        let context = Unmanaged.passRetained(Box(name.map(threadName), body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(
            &thread, nil,
            { raw in
                guard let raw else { return nil }
                let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
                var all = sigset_t()
                sigfillset(&all)
                pthread_sigmask(SIG_BLOCK, &all, nil)
                if let name = box.name { nameCurrentThread(name) }
                box.body()
                return nil
            }, context)
        guard rc == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            return nil
        }
        return PlatformThread(handle: thread)
    }

    /// Starts `body` on a new detached thread; `body` must return for the thread to end.
    /// - Important: traps when the system cannot create a thread: out of threads at start-up is a system error
    ///   the agent cannot work around.
    public static func detach(name: String? = nil, _ body: @escaping @Sendable () -> Void) {
        guard let thread = start(name: name, body) else { fatalError("pthread_create failed: out of threads") }
        pthread_detach(thread.handle.value)
    }

    /// Waits for the thread to end. Call once, and never from the thread itself.
    public func join() {
        pthread_join(handle.value, nil)
    }

    /// Whether the caller runs on this thread.
    public var isCurrent: Bool { pthread_equal(handle.value, pthread_self()) != 0 }
}

/// Names the calling thread by writing `/proc/thread-self/comm` (what `pthread_setname_np` does; Swift's
/// Glibc module does not declare it, and `prctl` is variadic). Best effort: a name is for people only.
private func nameCurrentThread(_ name: String) {
    let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    var bytes = Array(name.utf8)
    _ = write(descriptor, &bytes, bytes.count)
}
