import Platform
import Testing

@Suite("WakeSignal: one waiter, a signal, a timeout")
struct WakeSignalTests {
    /// Elapsed time of `body`.
    static func elapsed(_ body: () async -> Void) async -> Duration {
        let start = ContinuousClock.now
        await body()
        return start.duration(to: .now)
    }

    @Test("a timed wait nobody signals returns after its timeout, and leaves no signal behind")
    func timesOut() async {
        let signal = WakeSignal()
        #expect(await Self.elapsed { await signal.wait(timeout: .milliseconds(30)) } >= .milliseconds(30))
        // Had the timeout left a signal pending, this wait would return at once.
        #expect(await Self.elapsed { await signal.wait(timeout: .milliseconds(60)) } >= .milliseconds(60))
    }

    @Test("a signal ends a timed wait long before its timeout; one sent before the wait is kept for it, once")
    func signalled() async {
        let signal = WakeSignal()
        signal.signal()
        #expect(await Self.elapsed { await signal.wait(timeout: .seconds(600)) } < .seconds(300))
        #expect(await Self.elapsed { await signal.wait(timeout: .milliseconds(40)) } >= .milliseconds(40))

        let waiting = Task { await Self.elapsed { await signal.wait(timeout: .seconds(600)) } }
        try? await Task.sleep(for: .milliseconds(20))
        signal.signal()
        #expect(await waiting.value < .seconds(300))
    }

    @Test("timed waits in a row each take their own timeout: a late timer does not end the next wait")
    func inARow() async {
        let signal = WakeSignal()
        for _ in 0..<5 {
            let waiting = Task { await signal.wait(timeout: .seconds(600)) }
            try? await Task.sleep(for: .milliseconds(5))
            signal.signal()
            await waiting.value
        }
        #expect(await Self.elapsed { await signal.wait(timeout: .milliseconds(50)) } >= .milliseconds(50))
    }

    @Test("cancelling the waiting task ends a timed wait")
    func cancelled() async {
        let signal = WakeSignal()
        let waiting = Task { await Self.elapsed { await signal.wait(timeout: .seconds(600)) } }
        try? await Task.sleep(for: .milliseconds(20))
        waiting.cancel()
        #expect(await waiting.value < .seconds(300))
    }
}
