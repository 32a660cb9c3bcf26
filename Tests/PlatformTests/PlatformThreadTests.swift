import Platform
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

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

    /// The calling thread's name as the kernel keeps it (`/proc/thread-self/comm`).
    static func currentThreadName() -> String {
        guard let file = fopen("/proc/thread-self/comm", "r") else { return "?" }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 64)
        guard fgets(&buffer, 64, file) != nil else { return "?" }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    @Test(
        "a named thread has its name in the kernel, cut to 15 bytes at a character boundary",
        arguments: [
            ("bus rs485-1", "bus rs485-1"), ("bus meter-gateway", "bus meter-gatew"),
            ("bus 一号楼配电室", "bus 一号楼"),
        ])
    func named(name: String, expected: String) {
        let seen = Mutex("")
        let thread = PlatformThread.start(name: name) { seen.withLock { $0 = Self.currentThreadName() } }
        thread?.join()
        #expect(seen.withLock { $0 } == expected)
        #expect(expected.utf8.count <= PlatformThread.maximumNameLength)
    }

    @Test("an executor's thread has the executor's name")
    func executorName() {
        let executor = ThreadExecutor(name: "outbox-sqlite")
        let seen = Mutex("")
        executor.submit { seen.withLock { $0 = Self.currentThreadName() } }
        executor.stop()
        #expect(seen.withLock { $0 } == "outbox-sqlite")
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

    @Test("tasks that prefer a ThreadExecutor run on its thread, their child tasks and their sleeps included")
    func taskExecutorPreference() async {
        let executor = ThreadExecutor(name: "prefers-test")
        defer { executor.shutdown() }
        let names = await withTaskExecutorPreference(executor) {
            var names = [Self.currentThreadName()]
            try? await Task.sleep(for: .milliseconds(5))
            names.append(Self.currentThreadName())
            names += await withTaskGroup(of: String.self) { group in
                for _ in 0..<3 { group.addTask { Self.currentThreadName() } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            return names
        }
        #expect(names == Array(repeating: "prefers-test", count: 5))
        #expect(Self.currentThreadName() != "prefers-test")
    }
}
