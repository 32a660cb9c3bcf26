import Platform
import Synchronization
import Testing

@Suite("PlatformThread and ThreadExecutor")
struct PlatformThreadTests {
    @Test("a joinable thread runs its body off the calling thread; join waits for it")
    func joins() {
        let ran = Mutex(false)
        let thread = PlatformThread.start { ran.withLock { $0 = true } }
        #expect(thread != nil)
        #expect(thread?.isCurrent == false)
        thread?.join()
        #expect(ran.withLock { $0 })
    }

    @Test("a detached thread runs its body")
    func detached() {
        let signal = StopSignal()
        PlatformThread.detach { signal.stop() }
        #expect(signal.wait(for: .seconds(10)))
    }

    @Test("an executor runs submitted jobs in order; stop runs what was queued, then refuses more")
    func executorOrder() {
        let executor = ThreadExecutor(name: "test")
        let seen = Mutex<[Int]>([])
        for i in 0..<100 { executor.submit { seen.withLock { $0.append(i) } } }
        executor.stop()
        #expect(seen.withLock { $0 } == Array(0..<100))
        #expect(executor.submit {} == false)
    }

    @Test("a stop signal wakes a waiter at once and stays stopped")
    func stopSignal() {
        let signal = StopSignal()
        #expect(signal.wait(for: .milliseconds(1)) == false)
        signal.stop()
        #expect(signal.wait(for: .seconds(60)))
        #expect(signal.isStopped)
    }
}
