import FoundationEssentials
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import ShelterCore
import ShelterRuntime
import Synchronization
import Testing
import ShelterTesting

@Suite("OutboxForwarder")
struct OutboxForwarderTests {
    let logger = Logger(label: "test")

    /// Fast back-off so tests finish quickly; the shape is the production one.
    static func policy(
        initialBackoff: Duration = .milliseconds(20), batchSize: Int = 10
    ) -> OutboxPolicy {
        OutboxPolicy(
            configuration: .init(
                batch: .init(maximumCount: batchSize),
                retry: .init(initialBackoff: initialBackoff, maximumBackoff: .milliseconds(200), jitter: 0.2)))
    }

    /// Runs the forwarder in a task while `body` runs, then cancels it.
    func withForwarder(
        store: SQLiteOutboxStore, registry: any RegistryTransport, policy: OutboxPolicy = policy(),
        _ body: () async throws -> Void
    ) async throws {
        let forwarder = OutboxForwarder(
            store: store, transport: registry, shelterId: "SH-0042", policy: policy, logger: logger)
        let task = Task { try await forwarder.run() }
        defer { task.cancel() }
        try await body()
        task.cancel()
        try await task.value
    }

    @Test("registry down: the outbox grows; back up: it drains alerts first, then oldest first, none lost or twice")
    func outageThenDrain() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        let registry = FakeRegistry()
        registry.respond { _, _ in .failed(TransportFailure(kind: .network, message: "Connection refused")) }

        try await withForwarder(store: store, registry: registry) {
            let statusIds = (1...45).map { "r\($0)" }
            let alertIds = (1...5).map { "e\($0)" }
            for (index, id) in statusIds.enumerated() {
                store.enqueueStatus(id: id, payload: TestPayload.status(id), createdAt: Date())
                if index % 9 == 4 {
                    let alert = alertIds[index / 9]
                    try await store.enqueueAlert(id: alert, payload: TestPayload.alert(alert), createdAt: Date())
                }
            }
            try await store.flush()
            #expect(await eventually { registry.requests.count >= 3 })
            let during = try await store.statistics()
            #expect(during.depth == 50)
            #expect(registry.accepted.isEmpty)
            #expect(try await store.snapshot(headLimit: 1).alerts.head.first?.attempts ?? 0 >= 1)

            registry.respond { _, _ in .response(statusCode: 201) }
            #expect(try await eventually { try await store.statistics().depth == 0 })
            #expect(registry.accepted == alertIds + statusIds)
            #expect(Set(registry.accepted).count == registry.accepted.count)
            let paths = Set(registry.requests.map(\.path))
            #expect(paths == ["/v1/shelters/SH-0042/alerts", "/v1/shelters/SH-0042/status"])
            #expect(registry.requests.allSatisfy { $0.ids.count <= 10 })
        }
    }

    @Test("over the byte bound while the registry is down, the oldest status reports are evicted, alerts kept")
    func boundedWhileDown() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        let registry = FakeRegistry()
        registry.respond { _, _ in .response(statusCode: 503) }
        let reportSize = TestPayload.status("r01").count
        let alertSize = TestPayload.alert("e1").count
        var configuration = Self.policy().configuration
        configuration.limits.maximumBytes = 10 * reportSize + 3 * alertSize
        try await withForwarder(store: store, registry: registry, policy: OutboxPolicy(configuration: configuration)) {
            for index in 1...3 {
                try await store.enqueueAlert(
                    id: "e\(index)", payload: TestPayload.alert("e\(index)"), createdAt: Date())
            }
            for index in 10...39 {
                store.enqueueStatus(id: "r\(index)", payload: TestPayload.status("r\(index)"), createdAt: Date())
            }
            try await store.flush()
            #expect(try await eventually { try await store.statistics().evictedCount == 20 })
            registry.respond { _, _ in .response(statusCode: 200) }
            #expect(try await eventually { try await store.statistics().depth == 0 })
        }
        #expect(registry.accepted == ["e1", "e2", "e3"] + (30...39).map { "r\($0)" })
    }

    @Test("5xx then 429 with Retry-After: each retry waits at least its back-off, then the batch is delivered")
    func backsOff() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        let registry = FakeRegistry()
        let calls = Mutex(0)
        registry.respond { _, _ in
            let call = calls.withLock { count in
                count += 1
                return count
            }
            switch call {
            case 1, 2, 3: return .response(statusCode: 503)
            case 4: return .response(statusCode: 429, retryAfter: .milliseconds(300))
            default: return .response(statusCode: 200)
            }
        }
        let policy = Self.policy(initialBackoff: .milliseconds(40))
        try await withForwarder(store: store, registry: registry, policy: policy) {
            try await store.enqueueAlert(id: "e1", payload: TestPayload.alert("e1"), createdAt: Date())
            #expect(await eventually { registry.accepted == ["e1"] })
        }
        let times = registry.requests.map(\.at)
        try #require(times.count == 5)
        // Minimum waits after 1, 2, 3 failures (jitter removes at most 20 %), then Retry-After exactly.
        // The store rounds next-attempt times to whole milliseconds: allow 2 ms.
        let minimum: [Duration] = [.milliseconds(32), .milliseconds(64), .milliseconds(128), .milliseconds(300)]
        for index in 0..<4 {
            #expect(times[index + 1] - times[index] >= minimum[index] - .milliseconds(2), "gap \(index)")
        }
        #expect(try await store.statistics().depth == 0)
    }

    @Test("400: a bad item becomes a dead letter, the rest of its batch is delivered in order")
    func badRequestIsDeadLetter() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        let registry = FakeRegistry()
        registry.respond { _, ids in ids.contains("r3") ? .response(statusCode: 400) : .response(statusCode: 200) }
        try await withForwarder(store: store, registry: registry) {
            for index in 1...6 {
                store.enqueueStatus(id: "r\(index)", payload: TestPayload.status("r\(index)"), createdAt: Date())
            }
            try await store.flush()
            #expect(try await eventually { try await store.statistics().depth == 0 })
        }
        #expect(registry.accepted == ["r1", "r2", "r4", "r5", "r6"])
        let letters = try await store.deadLetters()
        #expect(letters.map(\.id) == ["r3"])
        #expect(letters.first?.statusCode == 400)
        #expect(try await store.statistics().deadLetterCount == 1)
    }

    @Test("graceful shutdown waits for the batch in flight and records its outcome")
    func finishesBatchInFlight() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        let registry = GatedRegistry()
        let forwarder = OutboxForwarder(
            store: store, transport: registry, shelterId: "SH-0042", policy: Self.policy(), logger: logger)
        try await store.enqueueAlert(id: "e1", payload: TestPayload.alert("e1"), createdAt: Date())

        try await testGracefulShutdown { trigger in
            let run = Task { try await forwarder.run() }
            #expect(await eventually { registry.isWaiting })
            trigger.triggerGracefulShutdown()
            registry.open()
            try await run.value
        }
        #expect(try await store.statistics().depth == 0)
        #expect(registry.posts == 1)
    }

    @Test("graceful shutdown while idle returns at once")
    func shutdownWhileIdle() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        let forwarder = OutboxForwarder(
            store: store, transport: FakeRegistry(), shelterId: "SH-0042", policy: Self.policy(), logger: logger)
        try await testGracefulShutdown { trigger in
            let run = Task { try await forwarder.run() }
            trigger.triggerGracefulShutdown()
            try await run.value
        }
    }
}

/// A transport that holds each request until `open()` is called, then answers 200.
final class GatedRegistry: RegistryTransport {
    private struct State {
        var waiter: CheckedContinuation<Void, Never>?
        var isOpen = false
        var posts = 0
    }

    private let state = Mutex(State())

    var isWaiting: Bool { state.withLock { $0.waiter != nil } }
    var posts: Int { state.withLock { $0.posts } }

    func open() {
        let waiter = state.withLock { state in
            state.isOpen = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    func post(path: String, body: [UInt8]) async -> TransportOutcome {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                state.posts += 1
                if state.isOpen { return true }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
        return .response(statusCode: 200)
    }
}
