import FoundationEssentials
import SQLite
import ShelterCore

/// The outbox's connection and its prepared statements. Not thread-safe: used only on the store's thread.
final class OutboxDatabase {
    let connection: SQLiteConnection
    private let insertItem: SQLiteStatement
    private let selectHead: SQLiteStatement
    private let selectTotals: SQLiteStatement
    private let countTotals: SQLiteStatement
    private let selectOldest: SQLiteStatement
    private let selectPayload: SQLiteStatement
    private let deleteItem: SQLiteStatement
    private let updateAttempt: SQLiteStatement
    private let insertDeadLetter: SQLiteStatement
    private let upsertStanding: SQLiteStatement
    private let deleteStanding: SQLiteStatement

    init(connection: SQLiteConnection) throws(SQLiteError) {
        self.connection = connection
        insertItem = try connection.prepare(
            """
            INSERT OR IGNORE INTO items (id, kind, priority, payload, byte_count, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """)
        selectHead = try connection.prepare(
            """
            SELECT id, created_at, byte_count, attempts, next_attempt_at FROM items
            WHERE kind = ?1 ORDER BY seq LIMIT ?2
            """)
        selectTotals = try connection.prepare("SELECT item_count, byte_count FROM queue_totals WHERE kind = ?1")
        countTotals = try connection.prepare("SELECT count(*), total(byte_count) FROM items WHERE kind = ?1")
        selectOldest = try connection.prepare("SELECT created_at FROM items WHERE kind = ?1 ORDER BY seq LIMIT 1")
        selectPayload = try connection.prepare("SELECT payload FROM items WHERE id = ?1")
        deleteItem = try connection.prepare("DELETE FROM items WHERE id = ?1")
        updateAttempt = try connection.prepare(
            "UPDATE items SET attempts = attempts + 1, next_attempt_at = ?2 WHERE id = ?1")
        insertDeadLetter = try connection.prepare(
            """
            INSERT INTO dead_letters (id, kind, payload, created_at, attempts, status_code, reason, dead_at)
            SELECT id, kind, payload, created_at, attempts, ?2, ?3, ?4 FROM items WHERE id = ?1
            """)
        upsertStanding = try connection.prepare(
            "INSERT INTO standing_alerts (alert_id, event) VALUES (?1, ?2) ON CONFLICT (alert_id) DO UPDATE SET event = ?2"
        )
        deleteStanding = try connection.prepare("DELETE FROM standing_alerts WHERE alert_id = ?1")
    }

    func insert(id: String, kind: OutboxKind, payload: [UInt8], createdAt: Date) throws(SQLiteError) {
        try insertItem.bind(id, at: 1)
        try insertItem.bind(kind.rawValue, at: 2)
        try insertItem.bind(Int64(kind == .alert ? 0 : 1), at: 3)
        try insertItem.bind(blob: payload, at: 4)
        try insertItem.bind(Int64(payload.count), at: 5)
        try insertItem.bind(createdAt.unixMilliseconds, at: 6)
        try insertItem.run()
    }

    /// Makes `event` the latest event of the standing alert `alertID`.
    func setStanding(alertID: String, event: [UInt8]) throws(SQLiteError) {
        try upsertStanding.bind(alertID, at: 1)
        try upsertStanding.bind(blob: event, at: 2)
        try upsertStanding.run()
    }

    /// Ends the standing of alert `alertID` (cancelled); nothing when it was not standing.
    func removeStanding(alertID: String) throws(SQLiteError) {
        try deleteStanding.bind(alertID, at: 1)
        try deleteStanding.run()
    }

    /// The latest event of every standing alert, as stored, in no particular order (the caller sorts by onset).
    func standingEvents() throws(SQLiteError) -> [[UInt8]] {
        let select = try connection.prepare("SELECT event FROM standing_alerts")
        var events: [[UInt8]] = []
        while try select.step() { events.append(select.blob(at: 0)) }
        return events
    }

    /// The queue of `kind`: its totals (`queue_totals`; counted from `items` should the row be missing), the
    /// creation time of its first item in queue order as the oldest, and its first `headLimit` entries. The
    /// oldest is the first item's time, not the least time in the queue, so that it costs one index lookup:
    /// the two differ only after the wall clock was set back while items were queued.
    func queue(_ kind: OutboxKind, headLimit: Int) throws(SQLiteError) -> OutboxSnapshot.Queue {
        var queue = try totals(kind)
        guard queue.count > 0 else { return queue }
        guard headLimit > 0 else {
            // No head wanted (statistics): the first item's time alone.
            try selectOldest.bind(kind.rawValue, at: 1)
            defer { try? selectOldest.reset() }
            if try selectOldest.step() { queue.oldestCreatedAt = Date(unixMilliseconds: selectOldest.int64(at: 0)) }
            return queue
        }
        try selectHead.bind(kind.rawValue, at: 1)
        try selectHead.bind(Int64(headLimit), at: 2)
        defer { try? selectHead.reset() }
        while try selectHead.step() {
            queue.head.append(
                OutboxEntry(
                    id: selectHead.text(at: 0) ?? "", kind: kind,
                    createdAt: Date(unixMilliseconds: selectHead.int64(at: 1)),
                    byteCount: Int(selectHead.int64(at: 2)), attempts: Int(selectHead.int64(at: 3)),
                    notBefore: selectHead.isNull(at: 4) ? nil : Date(unixMilliseconds: selectHead.int64(at: 4))))
        }
        queue.oldestCreatedAt = queue.head.first?.createdAt  // the forwarder's snapshot: no second lookup
        return queue
    }

    private func totals(_ kind: OutboxKind) throws(SQLiteError) -> OutboxSnapshot.Queue {
        for statement in [selectTotals, countTotals] {
            try statement.bind(kind.rawValue, at: 1)
            defer { try? statement.reset() }
            if try statement.step() {
                return OutboxSnapshot.Queue(
                    count: Int(statement.int64(at: 0)), byteCount: Int(statement.double(at: 1)))
            }
        }
        return .empty
    }

    func payload(id: String) throws(SQLiteError) -> [UInt8]? {
        try selectPayload.bind(id, at: 1)
        defer { try? selectPayload.reset() }
        return try selectPayload.step() ? selectPayload.blob(at: 0) : nil
    }

    func delete(id: String) throws(SQLiteError) {
        try deleteItem.bind(id, at: 1)
        try deleteItem.run()
    }

    func recordFailedAttempt(id: String, notBefore: Date) throws(SQLiteError) {
        try updateAttempt.bind(id, at: 1)
        try updateAttempt.bind(notBefore.unixMilliseconds, at: 2)
        try updateAttempt.run()
    }

    func moveToDeadLetters(id: String, statusCode: Int, reason: String, now: Date) throws(SQLiteError) {
        let alertID = try alertID(ofItem: id)
        try insertDeadLetter.bind(id, at: 1)
        try insertDeadLetter.bind(Int64(statusCode), at: 2)
        try insertDeadLetter.bind(reason, at: 3)
        try insertDeadLetter.bind(now.unixMilliseconds, at: 4)
        try insertDeadLetter.run()
        try delete(id: id)
        if let alertID { try holdBackFollowers(of: alertID, behind: id, now: now) }
    }

    // MARK: - An alert's events stay together (issue 11 item 2)

    /// `alertId` of an alert event's JSON payload, in SQL (`p` names the payload column).
    /// A payload that is not JSON has no alert id (`NULL`) rather than failing the statement.
    private static func alertIDExpression(_ p: String) -> String {
        "CASE WHEN json_valid(CAST(\(p) AS TEXT)) THEN json_extract(CAST(\(p) AS TEXT), '$.alertId') END"
    }

    /// The `alertId` of a queued alert event; `nil` for a status report or an unknown id.
    func alertID(ofItem id: String) throws(SQLiteError) -> String? {
        let statement = try connection.prepare(
            "SELECT \(Self.alertIDExpression("payload")) FROM items WHERE id = ?1 AND kind = 'alert'")
        try statement.bind(id, at: 1)
        return try statement.step() ? statement.text(at: 0) : nil
    }

    /// Moves the queued events of `alertID` (its Updates and Cancel) to the dead letters behind `id`, one of its
    /// events the registry refused: a Cancel or Update must never reach the registry for an alert it never
    /// received, nor overtake an earlier event of it. `outbox retry` of any of them sends them all, in order.
    private func holdBackFollowers(of alertID: String, behind id: String, now: Date) throws(SQLiteError) {
        let reason = "held back with \(id), an earlier event of the same alert the registry refused"
        let move = try connection.prepare(
            """
            INSERT INTO dead_letters (id, kind, payload, created_at, attempts, status_code, reason, dead_at)
            SELECT id, kind, payload, created_at, attempts, NULL, ?2, ?3 FROM items
            WHERE kind = 'alert' AND \(Self.alertIDExpression("payload")) = ?1 ORDER BY seq
            """)
        try move.bind(alertID, at: 1)
        try move.bind(reason, at: 2)
        try move.bind(now.unixMilliseconds, at: 3)
        try move.run()
        guard connection.changes > 0 else { return }
        let delete = try connection.prepare(
            "DELETE FROM items WHERE kind = 'alert' AND \(Self.alertIDExpression("payload")) = ?1")
        try delete.bind(alertID, at: 1)
        try delete.run()
    }

    /// After queueing alert event `id`: if an earlier event of its alert is a dead letter, the new one joins it
    /// there (it must not reach the registry before it); if its alert's Alert event was evicted, it is
    /// dropped (the registry never received the alert: no orphan Update or Cancel). Returns what happened.
    func keepWithItsAlert(id: String, now: Date) throws(SQLiteError) -> FollowerFate {
        guard let alertID = try alertID(ofItem: id) else { return .queued }
        let dropped = try connection.prepare("SELECT 1 FROM dropped_alerts WHERE alert_id = ?1")
        try dropped.bind(alertID, at: 1)
        if try dropped.step() {
            try delete(id: id)
            try addToCounter("evicted.alert", 1)
            return .dropped
        }
        let dead = try connection.prepare(
            """
            SELECT id FROM dead_letters WHERE kind = 'alert' AND \(Self.alertIDExpression("payload")) = ?1
            ORDER BY seq LIMIT 1
            """)
        try dead.bind(alertID, at: 1)
        guard try dead.step(), let first = dead.text(at: 0) else { return .queued }
        try holdBackFollowers(of: alertID, behind: first, now: now)
        return .heldBack(behind: first)
    }

    /// What became of an alert event just queued (`keepWithItsAlert`).
    enum FollowerFate: Equatable {
        /// Queued as usual.
        case queued
        /// Moved to the dead letters behind this earlier event of its alert.
        case heldBack(behind: String)
        /// Dropped: its alert's Alert event was evicted.
        case dropped
    }

    /// Adds `value` to counter `name`.
    private func addToCounter(_ name: String, _ value: Int) throws(SQLiteError) {
        let counter = try connection.prepare(
            """
            INSERT INTO counters (name, value) VALUES (?1, ?2)
            ON CONFLICT (name) DO UPDATE SET value = value + excluded.value
            """)
        try counter.bind(name, at: 1)
        try counter.bind(Int64(value), at: 2)
        try counter.run()
    }

    /// Before alert items are evicted (`condition` selects them in `items`): the alerts whose Alert event goes
    /// are remembered in `dropped_alerts`, and their later events are evicted with it, so the registry never
    /// gets an Update or Cancel for an alert it never received. Returns how many later events went.
    private func evictFollowers(
        ofAlertsWhere condition: String, bind: (SQLiteStatement) throws(SQLiteError) -> Void
    )
        throws(SQLiteError) -> Int
    {
        let remember = try connection.prepare(
            """
            INSERT OR IGNORE INTO dropped_alerts (alert_id)
            SELECT \(Self.alertIDExpression("payload")) FROM items
            WHERE kind = 'alert' AND \(condition)
              AND json_valid(CAST(payload AS TEXT)) AND json_extract(CAST(payload AS TEXT), '$.msgType') = 'Alert'
            """)
        try bind(remember)
        try remember.run()
        guard connection.changes > 0 else { return 0 }
        let delete = try connection.prepare(
            """
            DELETE FROM items WHERE kind = 'alert' AND NOT (\(condition))
              AND \(Self.alertIDExpression("payload")) IN (SELECT alert_id FROM dropped_alerts)
            """)
        try bind(delete)
        try delete.run()
        return connection.changes
    }

    /// Deletes the items (or dead letters) of the eviction created (dead-lettered) before its cutoff, then the
    /// oldest ones (insertion order) until its bytes are freed; counts them in `counters`; returns how many.
    func evict(_ eviction: OutboxEviction) throws(SQLiteError) -> Int {
        let table = eviction.isDeadLetters ? "dead_letters" : "items"
        let kindFilter = eviction.isDeadLetters ? "?1 = ?1" : "kind = ?1"
        let ageColumn = eviction.isDeadLetters ? "dead_at" : "created_at"
        let sizeColumn = eviction.isDeadLetters ? "length(payload)" : "byte_count"
        var count = 0
        let evictsAlerts = !eviction.isDeadLetters && eviction.kind == .alert
        if let cutoff = eviction.createdBefore {
            if evictsAlerts {
                count += try evictFollowers(ofAlertsWhere: "created_at < ?1") { s throws(SQLiteError) in
                    try s.bind(cutoff.unixMilliseconds, at: 1)
                }
            }
            let delete = try connection.prepare("DELETE FROM \(table) WHERE \(kindFilter) AND \(ageColumn) < ?2")
            try delete.bind(eviction.kind.rawValue, at: 1)
            try delete.bind(cutoff.unixMilliseconds, at: 2)
            try delete.run()
            count += connection.changes
        }
        if eviction.bytesToFree > 0 {
            var freed = 0
            var lastSeq: Int64?
            let candidates = try connection.prepare(
                "SELECT seq, \(sizeColumn) FROM \(table) WHERE \(kindFilter) ORDER BY seq")
            try candidates.bind(eviction.kind.rawValue, at: 1)
            while freed < eviction.bytesToFree, try candidates.step() {
                lastSeq = candidates.int64(at: 0)
                freed += Int(candidates.int64(at: 1))
            }
            try candidates.reset()
            if let lastSeq {
                if evictsAlerts {
                    count += try evictFollowers(ofAlertsWhere: "seq <= ?1") { s throws(SQLiteError) in
                        try s.bind(lastSeq, at: 1)
                    }
                }
                let delete = try connection.prepare("DELETE FROM \(table) WHERE \(kindFilter) AND seq <= ?2")
                try delete.bind(eviction.kind.rawValue, at: 1)
                try delete.bind(lastSeq, at: 2)
                try delete.run()
                count += connection.changes
            }
        }
        guard count > 0 else { return 0 }
        try addToCounter("evicted.\(eviction.target)", count)
        return count
    }

    /// Count, payload bytes and oldest dead-letter time of the dead letters, as a snapshot queue (no head).
    func deadLetterQueue() throws(SQLiteError) -> OutboxSnapshot.Queue {
        let totals = try connection.prepare("SELECT count(*), total(length(payload)), min(dead_at) FROM dead_letters")
        guard try totals.step() else { return .empty }
        return OutboxSnapshot.Queue(
            count: Int(totals.int64(at: 0)), byteCount: Int(totals.double(at: 1)),
            oldestCreatedAt: totals.isNull(at: 2) ? nil : Date(unixMilliseconds: totals.int64(at: 2)))
    }

    /// Evicted items per counter name (`status`, `alert`, `dead_letter`).
    func evictedCounts() throws(SQLiteError) -> [String: Int] {
        let statement = try connection.prepare("SELECT name, value FROM counters WHERE name LIKE 'evicted.%'")
        var counts: [String: Int] = [:]
        while try statement.step() {
            counts[String((statement.text(at: 0) ?? "").dropFirst("evicted.".count))] = Int(statement.int64(at: 1))
        }
        return counts
    }
    func deadLetters(id: String? = nil) throws(SQLiteError) -> [SQLiteOutboxStore.DeadLetter] {
        let statement = try connection.prepare(
            """
            SELECT id, kind, status_code, reason, payload, created_at, dead_at, attempts FROM dead_letters
            WHERE ?1 IS NULL OR id = ?1 ORDER BY seq
            """)
        if let id { try statement.bind(id, at: 1) } else { try statement.bindNull(at: 1) }
        var letters: [SQLiteOutboxStore.DeadLetter] = []
        while try statement.step() {
            letters.append(
                SQLiteOutboxStore.DeadLetter(
                    id: statement.text(at: 0) ?? "", kind: OutboxKind(rawValue: statement.text(at: 1) ?? "") ?? .status,
                    statusCode: statement.isNull(at: 2) ? nil : Int(statement.int64(at: 2)),
                    reason: statement.text(at: 3) ?? "", payload: statement.blob(at: 4),
                    createdAt: Date(unixMilliseconds: statement.int64(at: 5)),
                    deadAt: Date(unixMilliseconds: statement.int64(at: 6)), attempts: Int(statement.int64(at: 7))))
        }
        return letters
    }

    /// Moves dead letters back to the end of their queue, attempts reset; `id == nil` moves all. A dead letter
    /// whose id is queued again already is only removed. Returns the ids moved, oldest first.
    func requeueDeadLetters(id: String?) throws(SQLiteError) -> [String] {
        var letters = try deadLetters(id: id)
        // An alert event goes back with every dead event of its alert, in their order (issue 11 item 2).
        if let id, let letter = letters.first, letter.kind == .alert {
            let chain = try connection.prepare(
                """
                SELECT id FROM dead_letters WHERE kind = 'alert' AND \(Self.alertIDExpression("payload")) =
                    (SELECT \(Self.alertIDExpression("payload")) FROM dead_letters WHERE id = ?1 LIMIT 1)
                ORDER BY seq
                """)
            try chain.bind(id, at: 1)
            var ids: [String] = []
            while try chain.step() { ids.append(chain.text(at: 0) ?? "") }
            if ids.count > 1 { letters = try deadLetters().filter { ids.contains($0.id) } }
        }
        for letter in letters {
            try insert(id: letter.id, kind: letter.kind, payload: letter.payload, createdAt: letter.createdAt)
            let delete = try connection.prepare("DELETE FROM dead_letters WHERE id = ?1")
            try delete.bind(letter.id, at: 1)
            try delete.run()
        }
        return letters.map(\.id)
    }

    /// Records (or refreshes) the configuration fault holding the outbox; `since` is kept from the first.
    func setHold(_ fault: UplinkFault, now: Date) throws(SQLiteError) {
        let statement = try connection.prepare(
            """
            INSERT INTO hold (id, kind, status_code, message, since, last_at) VALUES (1, ?1, ?2, ?3, ?4, ?4)
            ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, status_code = excluded.status_code,
                message = excluded.message, last_at = excluded.last_at
            """)
        try statement.bind(fault.kind, at: 1)
        try statement.bind(Int64(fault.statusCode), at: 2)
        try statement.bind(fault.message, at: 3)
        try statement.bind(now.unixMilliseconds, at: 4)
        try statement.run()
    }

    /// The hold, if the outbox is held: its sentence and when it began.
    func hold() throws(SQLiteError) -> OutboxHold? {
        let statement = try connection.prepare("SELECT message, since, status_code FROM hold WHERE id = 1")
        guard try statement.step() else { return nil }
        return OutboxHold(
            message: statement.text(at: 0) ?? "", since: Date(unixMilliseconds: statement.int64(at: 1)),
            statusCode: Int(statement.int64(at: 2)))
    }

    /// Ends the hold. Returns whether there was one.
    @discardableResult
    func clearHold() throws(SQLiteError) -> Bool {
        try connection.execute("DELETE FROM hold")
        return connection.changes > 0
    }

    /// Free pages in the file (`PRAGMA freelist_count`) and the page size, bytes.
    func freePages() throws(SQLiteError) -> (count: Int, pageSize: Int) {
        (
            Int(try connection.scalarInt64("PRAGMA freelist_count") ?? 0),
            Int(try connection.scalarInt64("PRAGMA page_size") ?? 4096)
        )
    }
}

extension Date {
    /// Milliseconds since 1970-01-01T00:00:00Z, rounded; the outbox's time column format.
    var unixMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    init(unixMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(unixMilliseconds) / 1000)
    }
}
