#if canImport(Glibc)
    import Glibc
#endif

/// A POSIX thread for blocking work (libmodbus calls, serial relays), kept off the Swift concurrency pool.
///
/// DESIGN §3: blocking calls on the cooperative pool (2 threads on the gateway) stalled other tasks for
/// 2.1 s, so every bus gets its own thread. FoundationEssentials has no `Thread`; this is the small part of
/// it the runtime needs. Thread-safe.
public final class DedicatedThread: Sendable {
    private let box: Box

    private final class Box: @unchecked Sendable {  // Written before the thread starts, read by it once.
        let body: @Sendable () -> Void
        init(body: @escaping @Sendable () -> Void) {
            self.body = body
        }
    }

    /// Starts `body` on a new detached thread.
    /// - Important: the thread is detached; `body` must return for the thread to end.
    @discardableResult
    public init(body: @escaping @Sendable () -> Void) {
        box = Box(body: body)
        let context = Unmanaged.passRetained(box).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            box.body()
            return nil
        }, context)
        precondition(rc == 0, "pthread_create failed: \(rc)")  // Out of threads: a programmer/system error.
        pthread_detach(thread)
    }
}
