import ShelterRuntime
import Synchronization
import Testing

@Suite("DedicatedThread")
struct DedicatedThreadTests {
    @Test("runs its body off the calling thread")
    func runs() async throws {
        let done = Mutex(false)
        DedicatedThread { done.withLock { $0 = true } }
        let deadline = ContinuousClock.now + .seconds(10)
        while !done.withLock({ $0 }) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(done.withLock { $0 })
    }
}
