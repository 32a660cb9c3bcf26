import FoundationEssentials
import Logging
import ShelterCore
import ShelterRuntime
import Synchronization
import ShelterTesting
import Testing

/// Issue 11 item 2 and issue 12 items 3 and 8 through the forwarder: a refusal a person can fix holds the
/// outbox (nothing dead-lettered), a restart after the fix sends everything once and in order, and a heartbeat
/// that gets through cuts a hanging request short.
@Suite("OutboxForwarder: hold and cut short")
struct OutboxHoldTests {
    let logger = Logger(label: "test")

    func forwarder(_ store: SQLiteOutboxStore, _ transport: any RegistryTransport) -> OutboxForwarder {
        OutboxForwarder(
            store: store, transport: transport, shelterId: "SH-0042", policy: OutboxForwarderTests.policy(),
            logger: logger)
    }

    @Test(
        "403, 401, 404 and a redirect hold: nothing is dead-lettered; after the fix and a restart all arrive once, in order",
        arguments: [403, 401, 404, 302])
    func holdsUntilFixed(status: Int) async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        let registry = FakeRegistry()
        let refusal = RegistryRefusal(
            errorBody: status == 302
                ? nil : ErrorBody(code: .forbidden, message: "the client certificate names gateway gw-9"),
            location: status == 302 ? "https://elsewhere.example/" : nil)
        registry.respond { _, _ in .response(statusCode: status, refusal: refusal) }
        let alertIds = ["e1", "e2", "e3"]
        for id in alertIds { try await store.enqueueAlert(id: id, payload: TestPayload.alert(id), createdAt: Date()) }
        for id in ["r1", "r2"] { store.enqueueStatus(id: id, payload: TestPayload.status(id), createdAt: Date()) }
        try await store.flush()

        let first = Task { try await forwarder(store, registry).run() }
        #expect(try await eventually { try await store.statistics().hold != nil })
        first.cancel()
        try await first.value
        let held = try await store.statistics()
        #expect(held.deadLetterCount == 0)
        #expect(held.depth == 5)
        #expect(held.hold?.statusCode == status)
        #expect(held.hold?.message.contains(status == 302 ? "https://elsewhere.example/" : "gw-9") == true)
        #expect(registry.requests.count == 1)  // the slow hold back-off: no second attempt within the test

        // The fix, then a restart (or SIGHUP, which rebuilds the services): the hold is released at start.
        registry.respond { _, _ in .response(statusCode: 200) }
        let second = Task { try await forwarder(store, registry).run() }
        #expect(try await eventually { try await store.statistics().depth == 0 })
        second.cancel()
        try await second.value
        #expect(registry.accepted == alertIds + ["r1", "r2"])
        #expect(try await store.statistics().hold == nil)
        #expect(try await store.deadLetters().isEmpty)
    }

    @Test("a request hanging when a heartbeat gets through is cut short and sent again at once")
    func retryNowCutsAHangShort() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        let registry = HangingRegistry()
        let run = Task { try await forwarder(store, registry).run() }
        defer { run.cancel() }
        try await store.enqueueAlert(id: "e1", payload: TestPayload.alert("e1"), createdAt: Date())
        #expect(await eventually { registry.isHanging })
        try await store.retryNow()
        #expect(try await eventually { try await store.statistics().depth == 0 })
        run.cancel()
        try await run.value
        #expect(registry.posts == 2)
        #expect(registry.abandoned == 1)
    }
}

/// A transport whose first request hangs until its task is cancelled (as `HTTPClient.send` does), then answers
/// 200.
final class HangingRegistry: RegistryTransport {
    private struct State {
        var posts = 0
        var abandoned = 0
        var isHanging = false
    }

    private let state = Mutex(State())

    var posts: Int { state.withLock { $0.posts } }
    var abandoned: Int { state.withLock { $0.abandoned } }
    var isHanging: Bool { state.withLock { $0.isHanging } }

    func post(path: String, body: [UInt8]) async -> TransportOutcome {
        let first = state.withLock { state in
            state.posts += 1
            state.isHanging = state.posts == 1
            return state.posts == 1
        }
        guard first else { return .response(statusCode: 200) }
        try? await Task.sleep(for: .seconds(3600))
        state.withLock {
            $0.abandoned += 1
            $0.isHanging = false
        }
        return .failed(TransportFailure(kind: .abandoned, message: "cancelled"))
    }
}
