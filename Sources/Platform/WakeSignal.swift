import Synchronization

/// A one-waiter wake-up flag: `signal()` from any thread wakes the waiter, or the next `wait()` when nobody is
/// waiting. Used by the outbox store to wake the forwarder when something is enqueued.
///
/// Thread-safe. Only one task may be in `wait()` at a time.
public final class WakeSignal: Sendable {
    private struct State {
        var isPending = false
        var waiter: CheckedContinuation<Void, Never>?
        /// Numbers the timed waits (`wait(timeout:)`), so a timer ends only the wait that started it.
        var timedWait: UInt64 = 0
        /// Whether the time of timed wait `timedWait` is up.
        var isTimedOut = false
    }

    private let state = Mutex(State())

    /// A signal with nothing pending.
    public init() {}

    /// Wakes the waiter, or makes the next `wait()` return at once.
    public func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.isPending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Forgets a `signal()` nobody waited for.
    public func reset() {
        state.withLock { $0.isPending = false }
    }

    /// Returns after a `signal()` (possibly one sent before the call), or when the task is cancelled.
    public func wait() async {
        await wait(timedWait: nil)
    }

    /// `wait()`, which also returns when timed wait `timedWait` is up.
    private func wait(timedWait: UInt64?) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if timedWait != nil, state.timedWait == timedWait, state.isTimedOut { return true }
                    // Checked under the lock: a cancellation handler that ran earlier found no waiter to resume.
                    if state.isPending || Task.isCancelled {
                        state.isPending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }

    /// Returns after a `signal()`, after `timeout`, or on cancellation, whichever comes first. A wait that times
    /// out leaves no signal behind.
    ///
    /// The calling task waits itself; one child task sleeps and ends the wait when its time is up. (A child for
    /// each, raced in a task group, cost two more jobs on the concurrency pool per wait: the assessment waits
    /// like this once a second.)
    public func wait(timeout: Duration) async {
        let timedWait = state.withLock { state -> UInt64 in
            state.timedWait &+= 1
            state.isTimedOut = false
            return state.timedWait
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled { self.timeUp(timedWait) }
            }
            await wait(timedWait: timedWait)
            group.cancelAll()
        }
    }

    /// Ends timed wait `timedWait`, now or, if its task is not waiting yet, as soon as it does.
    private func timeUp(_ timedWait: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.timedWait == timedWait else { return nil }
            state.isTimedOut = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}
