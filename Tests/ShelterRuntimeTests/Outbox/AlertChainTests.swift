import FoundationEssentials
import Logging
import ShelterCore
import ShelterRuntime
import ShelterTesting
import Testing

/// Issue 11 item 2: "a Cancel is never sent for an alert the registry never received". An alert's events
/// (Alert, Update…, Cancel) reach the registry in order or not at all: an event behind a refused one waits with it
/// among the dead letters, and a retry sends the whole alert, in order; an Alert evicted unsent takes its later
/// events with it.
@Suite("Outbox: an alert's events stay together")
struct AlertChainTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let logger = Logger(label: "test")

    func entry(_ id: String, _ store: SQLiteOutboxStore) async throws -> OutboxEntry {
        try #require(try await store.snapshot(headLimit: 100).alerts.head.first { $0.id == id })
    }

    @Test("an Alert the registry refused keeps its Update and Cancel with it; a retry sends all three, in order")
    func refusedAlertHoldsItsCancel() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        try await store.enqueueAlert(id: "x1", payload: TestPayload.alert("x1", alertId: "X"), createdAt: t0)
        try await store.enqueueAlert(id: "y1", payload: TestPayload.alert("y1", alertId: "Y"), createdAt: t0)
        try await store.enqueueAlert(
            id: "x2", payload: TestPayload.alert("x2", alertId: "X", msgType: "Update"),
            createdAt: t0.addingTimeInterval(5))
        let refused = OutboxBatch(kind: .alert, entries: [try await entry("x1", store)])
        try await store.apply(.deadLetter(refused, reason: .init(rejectedWith: 422, detail: "bad headline")), now: t0)

        #expect(try await store.snapshot(headLimit: 100).alerts.head.map(\.id) == ["y1"])
        let dead = try await store.deadLetters()
        #expect(dead.map(\.id) == ["x1", "x2"])
        #expect(dead.last?.reason == "held back with x1, an earlier event of the same alert the registry refused")
        // The condition ends later: its Cancel joins them instead of reaching the registry alone.
        try await store.enqueueAlert(
            id: "x3", payload: TestPayload.alert("x3", alertId: "X", msgType: "Cancel"),
            createdAt: t0.addingTimeInterval(9))
        #expect(try await store.snapshot(headLimit: 100).alerts.head.map(\.id) == ["y1"])
        #expect(try await store.deadLetters().map(\.id) == ["x1", "x2", "x3"])

        // Retrying any of them sends the whole alert, Alert first.
        #expect(try await store.retryDeadLetters(id: "x3") == ["x1", "x2", "x3"])
        #expect(try await store.snapshot(headLimit: 100).alerts.head.map(\.id) == ["y1", "x1", "x2", "x3"])
        #expect(try await store.deadLetters().isEmpty)
    }

    @Test("an Alert evicted unsent takes its Cancel with it, and a later event of that alert is dropped")
    func evictedAlertTakesItsCancel() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        try await store.enqueueAlert(id: "x1", payload: TestPayload.alert("x1", alertId: "X"), createdAt: t0)
        try await store.enqueueAlert(
            id: "x2", payload: TestPayload.alert("x2", alertId: "X", msgType: "Cancel"),
            createdAt: t0.addingTimeInterval(60))
        try await store.enqueueAlert(
            id: "y1", payload: TestPayload.alert("y1", alertId: "Y"), createdAt: t0.addingTimeInterval(60))
        #expect(try await store.evict(OutboxEviction(kind: .alert, createdBefore: t0.addingTimeInterval(30))) == 2)
        #expect(try await store.snapshot(headLimit: 100).alerts.head.map(\.id) == ["y1"])
        try await store.enqueueAlert(
            id: "x3", payload: TestPayload.alert("x3", alertId: "X", msgType: "Update"),
            createdAt: t0.addingTimeInterval(90))
        #expect(try await store.snapshot(headLimit: 100).alerts.head.map(\.id) == ["y1"])
        #expect(try await store.statistics().evictedCount == 3)
    }
}
