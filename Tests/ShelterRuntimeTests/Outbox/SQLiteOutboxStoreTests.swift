import FoundationEssentials
import Logging
import SQLite
import ShelterCore
import ShelterRuntime
import Testing
import ShelterTesting

@Suite("SQLiteOutboxStore")
struct SQLiteOutboxStoreTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let logger = Logger(label: "test")

    @Test("an alert is committed when enqueueAlert returns and is seen by another connection")
    func alertDurable() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("outbox.sqlite")
        let store = try await SQLiteOutboxStore.open(path: path, logger: logger)
        try await store.enqueueAlert(id: "e1", payload: TestPayload.alert("e1"), createdAt: t0)

        let reader = try SQLiteConnection(path: path, mode: .readOnly)
        #expect(try reader.scalarText("SELECT id FROM items WHERE kind = 'alert'") == "e1")
        #expect(try reader.scalarText("PRAGMA journal_mode") == "wal")
        #expect(try reader.scalarInt64("PRAGMA user_version") == 4)
    }

    @Test("status reports go through the hand-off, keep their order, and a repeated id is ignored")
    func statusHandOff() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        for index in 1...5 {
            #expect(store.enqueueStatus(id: "r\(index)", payload: TestPayload.status("r\(index)"), createdAt: t0))
        }
        store.enqueueStatus(id: "r2", payload: TestPayload.status("r2"), createdAt: t0)
        try await store.flush()
        let snapshot = try await store.snapshot(headLimit: 10)
        #expect(snapshot.status.head.map(\.id) == ["r1", "r2", "r3", "r4", "r5"])
        #expect(snapshot.status.count == 5)
        #expect(snapshot.status.byteCount == 5 * TestPayload.status("r1").count)
        #expect(snapshot.status.oldestCreatedAt == t0)
        #expect(snapshot.alerts == .empty)
        let batch = OutboxBatch(kind: .status, entries: Array(snapshot.status.head.prefix(2)))
        #expect(try await store.payloads(for: batch) == [TestPayload.status("r1"), TestPayload.status("r2")])
    }

    @Test("enqueueStatus never waits on a blocked database: beyond the hand-off capacity the oldest are dropped")
    func handOffNeverBlocks() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("o.sqlite")
        let store = try await SQLiteOutboxStore.open(
            path: path, configuration: .init(handOffCapacity: 3, busyTimeout: .seconds(60)), logger: logger)
        // Another connection holds the write lock, so the store thread blocks in its first flush.
        let blocker = try SQLiteConnection(path: path)
        try blocker.execute("BEGIN IMMEDIATE")
        let accepted = (1...10).map { index in
            store.enqueueStatus(id: "r\(index)", payload: TestPayload.status("r\(index)"), createdAt: t0)
        }
        #expect(accepted.filter { !$0 }.count >= 6)
        try blocker.execute("COMMIT")
        try await store.flush()
        let statistics = try await store.statistics()
        #expect(statistics.droppedCount == accepted.filter { !$0 }.count)
        #expect(statistics.statusCount == 10 - statistics.droppedCount)
        let ids = try await store.snapshot(headLimit: 10).status.head.map(\.id)
        #expect(Array(ids.suffix(3)) == ["r8", "r9", "r10"])
    }

    @Test("retry records the attempt and next attempt time; acknowledge deletes; dead letter moves with the status")
    func completions() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("o.sqlite")
        let store = try await SQLiteOutboxStore.open(path: path, logger: logger)
        for id in ["a", "b", "c"] {
            try await store.enqueueAlert(id: id, payload: TestPayload.alert(id), createdAt: t0)
        }
        let head = try await store.snapshot(headLimit: 10).alerts.head
        let retryAt = t0.addingTimeInterval(30)
        try await store.apply(.retry(OutboxBatch(kind: .alert, entries: head), notBefore: retryAt), now: t0)
        let retried = try await store.snapshot(headLimit: 10).alerts.head
        #expect(retried.map(\.attempts) == [1, 1, 1])
        #expect(retried.map(\.notBefore) == [retryAt, retryAt, retryAt])

        try await store.apply(.acknowledge(OutboxBatch(kind: .alert, entries: [retried[0]])), now: t0)
        try await store.apply(
            .deadLetter(OutboxBatch(kind: .alert, entries: [retried[1]]), reason: .init(rejectedWith: 400)), now: t0)
        #expect(try await store.snapshot(headLimit: 10).alerts.head.map(\.id) == ["c"])
        let letters = try await store.deadLetters()
        #expect(letters.map(\.id) == ["b"])
        #expect(letters.first?.statusCode == 400)
        #expect(letters.first?.payload == TestPayload.alert("b"))
        let statistics = try await store.statistics()
        #expect(statistics.deadLetterCount == 1)
        #expect(statistics.alertCount == 1)
        #expect(statistics.depth == 1)
        #expect(statistics.oldestAge(now: t0.addingTimeInterval(90)) == .seconds(90))
    }

    @Test("eviction removes the oldest of a kind by bytes or by age and counts them")
    func eviction() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        for index in 1...6 {
            store.enqueueStatus(
                id: "r\(index)", payload: TestPayload.status("r\(index)"),
                createdAt: t0.addingTimeInterval(Double(index)))
        }
        try await store.enqueueAlert(id: "e1", payload: TestPayload.alert("e1"), createdAt: t0)
        try await store.flush()
        let size = TestPayload.status("r1").count
        #expect(try await store.evict(OutboxEviction(kind: .status, bytesToFree: size + 1)) == 2)
        #expect(try await store.evict(OutboxEviction(kind: .status, createdBefore: t0.addingTimeInterval(4.5))) == 2)
        let snapshot = try await store.snapshot(headLimit: 10)
        #expect(snapshot.status.head.map(\.id) == ["r5", "r6"])
        #expect(snapshot.alerts.head.map(\.id) == ["e1"])
        #expect(try await store.statistics().evictedCount == 4)
    }

    @Test("age eviction follows creation time even when the clock went back between enqueues")
    func ageEvictionAfterClockJump() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        try await store.enqueueAlert(id: "late", payload: TestPayload.alert("late"), createdAt: t0)
        try await store.enqueueAlert(
            id: "early", payload: TestPayload.alert("early"), createdAt: t0.addingTimeInterval(-100))
        #expect(try await store.evict(OutboxEviction(kind: .alert, createdBefore: t0.addingTimeInterval(-50))) == 1)
        #expect(try await store.snapshot(headLimit: 10).alerts.head.map(\.id) == ["late"])
    }

    @Test("what was queued is still there after close and reopen, with its attempts")
    func reopen() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("o.sqlite")
        do {
            let store = try await SQLiteOutboxStore.open(path: path, logger: logger)
            try await store.enqueueAlert(id: "e1", payload: TestPayload.alert("e1"), createdAt: t0)
            store.enqueueStatus(id: "r1", payload: TestPayload.status("r1"), createdAt: t0)
            let head = try await store.snapshot(headLimit: 1).alerts.head
            try await store.apply(.retry(OutboxBatch(kind: .alert, entries: head), notBefore: t0), now: t0)
            await store.close()
            await #expect(throws: OutboxStoreError.self) { try await store.statistics() }
        }
        let store = try await SQLiteOutboxStore.open(path: path, logger: logger)
        let snapshot = try await store.snapshot(headLimit: 10)
        #expect(snapshot.alerts.head.map(\.attempts) == [1])
        #expect(snapshot.status.head.map(\.id) == ["r1"])
    }

    @Test("an AlertEvent is queued as registry JSON under its eventId, created at its sent time")
    func typedAlertEvent() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        let event = AlertEvent(
            alertId: "a-1", eventId: "e-1", shelterId: "S", gatewayId: "G", references: [], status: .actual,
            msgType: .alert, category: .infra, event: "Water", urgency: .expected, severity: .severe,
            certainty: .likely, onset: t0, sent: t0, headline: "h", description: "d", instruction: "i",
            parameters: AlertParameters(
                checkId: .waterDays, subject: "", checkStatus: .critical, value: MeasuredValue(0.33, unit: "d"),
                threshold: 1, thresholdOrigin: .record, occupancy: 1840, capacity: 2000))
        try await store.enqueue(event)
        let head = try await store.snapshot(headLimit: 1).alerts.head
        #expect(head.map(\.id) == ["e-1"])
        #expect(head.first?.createdAt == t0)
        let payload = try #require(try await store.payloads(for: OutboxBatch(kind: .alert, entries: head)).first)
        #expect(try RegistryJSON.makeDecoder().decode(AlertEvent.self, from: Data(payload)) == event)
    }

    func event(_ eventId: String, alert alertId: String, _ msgType: CAPMessageType, onset: Date) -> AlertEvent {
        AlertEvent(
            alertId: alertId, eventId: eventId, shelterId: "S", gatewayId: "G", references: [], status: .actual,
            msgType: msgType, category: .infra, event: "Water", urgency: .expected, severity: .severe,
            certainty: .likely, onset: onset, sent: onset, headline: "h", description: "d", instruction: "i",
            parameters: AlertParameters(
                checkId: .waterDays, subject: "", checkStatus: .critical, value: MeasuredValue(0.33, unit: "d"),
                threshold: 1, thresholdOrigin: .record, occupancy: 1840, capacity: 2000))
    }

    @Test("an alert's state is committed with its event: an Update replaces it, a Cancel ends it; delivery keeps it")
    func standingAlertsGoWithTheirEvents() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("o.sqlite")
        let store = try await SQLiteOutboxStore.open(path: path, logger: logger)
        let a1 = event("e1", alert: "A", .alert, onset: t0.addingTimeInterval(10))
        let b1 = event("e2", alert: "B", .alert, onset: t0)
        let a2 = event("e3", alert: "A", .update, onset: t0.addingTimeInterval(10))
        for e in [a1, b1, a2] { try await store.enqueue(e) }
        // Another connection sees the event and the state together, as committed.
        let reader = try SQLiteConnection(path: path, mode: .readOnly)
        #expect(try reader.scalarInt64("SELECT count(*) FROM standing_alerts") == 2)
        #expect(try await store.standingAlertEvents() == [b1, a2])  // oldest onset first, A's latest event
        // Delivered events leave the queue; the alerts still stand.
        let head = try await store.snapshot(headLimit: 5).alerts.head
        try await store.apply(.acknowledge(OutboxBatch(kind: .alert, entries: head)), now: t0)
        #expect(try await store.snapshot(headLimit: 5).alerts.count == 0)
        try await store.enqueue(event("e4", alert: "B", .cancel, onset: t0))
        await store.close()
        let reopened = try await SQLiteOutboxStore.open(path: path, logger: logger)
        #expect(try await reopened.standingAlertEvents() == [a2])
        #expect(await reopened.adoptsLegacyAlerts == false)
    }

    @Test("an outbox of schema 2 adopts the alerts an older agent saved, once; a row that does not decode is skipped")
    func adoptsLegacyAlertsOnce() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("o.sqlite")
        try OutboxBoundsTests.makeOldFile(at: path, "\(OutboxBoundsTests.itemsTable); PRAGMA user_version = 2;")
        let legacy = [event("e1", alert: "A", .alert, onset: t0), event("e2", alert: "B", .update, onset: t0 + 1)]
        let store = try await SQLiteOutboxStore.open(path: path, logger: logger)
        #expect(await store.adoptsLegacyAlerts)
        try await store.adoptStandingAlerts(legacy)
        try await store.adoptStandingAlerts([event("e9", alert: "C", .alert, onset: t0)])  // not again
        #expect(try await store.standingAlertEvents() == legacy)
        await store.close()
        let writer = try SQLiteConnection(path: path)
        try writer.execute("INSERT INTO standing_alerts (alert_id, event) VALUES ('D', x'7b')")  // "{": not an event
        let reopened = try await SQLiteOutboxStore.open(path: path, logger: logger)
        #expect(await reopened.adoptsLegacyAlerts == false)
        #expect(try await reopened.standingAlertEvents() == legacy)
    }

    @Test("opening a path in a missing directory fails with the path and SQLite's message")
    func openFailure() async throws {
        let directory = try TemporaryDirectory()
        let error = await #expect(throws: OutboxStoreError.self) {
            try await SQLiteOutboxStore.open(path: directory.file("nope/o.sqlite"), logger: logger)
        }
        #expect(error?.path == directory.file("nope/o.sqlite"))
        #expect(error?.message.contains("unable to open") == true)
    }
}
