internal import Glibc

/// One `PlatformThread` that runs jobs one at a time, in order: a serial executor for an actor that makes
/// blocking C calls (the outbox's SQLite), a task executor for tasks that should not hop between the concurrency
/// pool's threads (the assessment, `withTaskExecutorPreference`), or a queue of closures (a libcurl handle's
/// transfers).
///
/// Thread-safe: `enqueue` and `submit` may be called from any thread. The thread lives until `shutdown()`
/// (or `stop()`); jobs already queued still run.
public final class ThreadExecutor: SerialExecutor, TaskExecutor, @unchecked Sendable {
    // State guarded by `mutex`; the pthread objects are allocated once and never move.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [Job] = []
    private var isShutDown = false
    private var thread: PlatformThread?
    /// For diagnostics.
    public let name: String

    private enum Job {
        case executor(UnownedJob)
        case closure(() -> Void)
    }

    /// Starts the thread, named `name` (cut to 15 bytes) as `top -H` and `ps -L` show it.
    public init(name: String) {
        self.name = name
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        // The thread holds the executor until it ends, so an executor is never freed under its own thread.
        let started = PlatformThread.start(name: name) { [self] in runLoop() }
        guard let started else { fatalError("pthread_create failed: out of threads") }
        pthread_mutex_lock(mutex)
        thread = started
        pthread_mutex_unlock(mutex)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        append(.executor(UnownedJob(job)))
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }

    /// Queues `job` to run on the thread. Returns false (and drops the job) after `shutdown()` or `stop()`.
    @discardableResult
    public func submit(_ job: @escaping () -> Void) -> Bool {
        append(.closure(job))
    }

    @discardableResult
    private func append(_ job: Job) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !isShutDown else { return false }
        jobs.append(job)
        pthread_cond_signal(condition)
        return true
    }

    /// Lets the thread finish the queued jobs and end; returns at once. Idempotent.
    public func shutdown() {
        _ = markShutDown()
    }

    /// Lets the thread finish the queued jobs, then waits for it to end (unless called on it). Idempotent.
    public func stop() {
        guard let thread = markShutDown(), !thread.isCurrent else { return }
        thread.join()
    }

    /// Marks the executor shut down; returns the thread the first time, to join.
    private func markShutDown() -> PlatformThread? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !isShutDown else { return nil }
        isShutDown = true
        pthread_cond_signal(condition)
        return thread
    }

    private func runLoop() {
        while true {
            pthread_mutex_lock(mutex)
            while jobs.isEmpty && !isShutDown { pthread_cond_wait(condition, mutex) }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            let done = batch.isEmpty && isShutDown
            pthread_mutex_unlock(mutex)
            if done { return }
            for job in batch {
                switch job {
                case .executor(let job):
                    // As the actor's executor, or as the task executor a task prefers: the job runs isolated to
                    // whichever it was enqueued as.
                    job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor())
                case .closure(let body): body()
                }
            }
        }
    }
}
