#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A dedicated OS thread that runs submitted jobs one at a time, in order, so that blocking libcurl calls
/// never occupy a thread of the Swift concurrency pool (DESIGN §3: a blocked pool thread stalled other tasks
/// for 2.1 s on this 2-core machine).
///
/// Thread-safe: `submit` may be called from any thread; `stop` waits for queued jobs to finish.
final class WorkerThread: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [() -> Void] = []  // guarded by mutex
    private var isStopping = false  // guarded by mutex
    private var thread: pthread_t?

    /// Starts the thread.
    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        let box = Unmanaged.passRetained(self)
        var created = pthread_t()
        let result = pthread_create(&created, nil, { raw in
            #if canImport(Darwin)
            let worker = Unmanaged<WorkerThread>.fromOpaque(raw).takeRetainedValue()
            #else
            guard let raw else { return nil }
            let worker = Unmanaged<WorkerThread>.fromOpaque(raw).takeRetainedValue()
            #endif
            worker.runLoop()
            return nil
        }, box.toOpaque())
        precondition(result == 0, "pthread_create failed: \(result)")  // resource exhaustion at start-up
        thread = created
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Queues `job` to run on the worker thread. Returns false (and drops the job) after `stop()`.
    @discardableResult
    func submit(_ job: @escaping () -> Void) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !isStopping else { return false }
        jobs.append(job)
        pthread_cond_signal(condition)
        return true
    }

    /// Runs the jobs already queued, then ends the thread and waits for it. Idempotent.
    func stop() {
        pthread_mutex_lock(mutex)
        let joinable = isStopping ? nil : thread
        isStopping = true
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
        if let joinable, !pthread_equal(joinable, pthread_self()).isTrue {
            pthread_join(joinable, nil)
        } else if let joinable {
            pthread_detach(joinable)
        }
    }

    private func runLoop() {
        while true {
            pthread_mutex_lock(mutex)
            while jobs.isEmpty && !isStopping { pthread_cond_wait(condition, mutex) }
            if jobs.isEmpty {
                pthread_mutex_unlock(mutex)
                return
            }
            let job = jobs.removeFirst()
            pthread_mutex_unlock(mutex)
            job()
        }
    }
}

extension Int32 {
    fileprivate var isTrue: Bool { self != 0 }
}
