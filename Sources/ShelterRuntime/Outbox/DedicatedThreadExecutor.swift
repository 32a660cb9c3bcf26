#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// A serial executor that runs its jobs on one dedicated POSIX thread, so an actor using it can make
/// blocking C calls (SQLite, fsync) without stalling the Swift concurrency pool (DESIGN §3: a blocking call on
/// the 2-thread pool stalled other tasks for 2.1 s).
///
/// Thread-safe. The thread lives until `shutdown()`; jobs already queued still run.
final class DedicatedThreadExecutor: SerialExecutor, @unchecked Sendable {
    // State guarded by `mutex`; the pointers are allocated once and never move.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [UnownedJob] = []
    private var isShutDown = false

    /// Starts the thread. `name` is for diagnostics.
    init(name: String) {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(ThreadContext(executor: self, name: name)).toOpaque()
        let code = pthread_create(&thread, nil, { raw in
            #if canImport(Darwin)
                let context = Unmanaged<ThreadContext>.fromOpaque(raw).takeRetainedValue()
            #else
                guard let raw else { return nil }
                let context = Unmanaged<ThreadContext>.fromOpaque(raw).takeRetainedValue()
            #endif
            context.executor.runLoop()
            return nil
        }, context)
        precondition(code == 0, "pthread_create failed with \(code)")  // resource exhaustion at start-up only
        pthread_detach(thread)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pthread_mutex_lock(mutex)
        jobs.append(job)
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Lets the thread finish the queued jobs and exit.
    func shutdown() {
        pthread_mutex_lock(mutex)
        isShutDown = true
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    private func runLoop() {
        while true {
            pthread_mutex_lock(mutex)
            while jobs.isEmpty && !isShutDown {
                pthread_cond_wait(condition, mutex)
            }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            let done = batch.isEmpty && isShutDown
            pthread_mutex_unlock(mutex)
            if done { return }
            for job in batch {
                job.runSynchronously(on: asUnownedSerialExecutor())
            }
        }
    }
}

private final class ThreadContext {
    let executor: DedicatedThreadExecutor
    let name: String
    init(executor: DedicatedThreadExecutor, name: String) {
        self.executor = executor
        self.name = name
    }
}
