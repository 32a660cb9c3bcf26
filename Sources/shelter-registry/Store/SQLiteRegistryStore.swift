import Foundation
import Platform
import SQLite
import ShelterCore

/// The embedded engine: one SQLite database (WAL) for the demo, the tests and a county with a few shelters.
///
/// An actor: requests are served one at a time against the connection, on the store's own thread. A commit of
/// reports or alert events waits for the disk (`synchronous = FULL`, below: an `fdatasync`, 0.2 ms on the
/// bench machine's disk and far longer on an SD card or a busy disk), and a blocking call must not hold one of
/// the concurrency pool's threads (two on a 2-core box) while other requests wait for it (house rule: blocking C
/// calls run on dedicated threads).
actor SQLiteRegistryStore: RegistryStore {
    let database: SQLiteConnection
    private let executor = ThreadExecutor(name: "registry-sqlite")
    private let encoder = RegistryJSON.makeEncoder()
    private let decoder = RegistryJSON.makeDecoder()
    private var statements: [String: SQLiteStatement] = [:]

    /// Runs every isolated method on the store's dedicated thread.
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// Opens (creating) the database at `path` (`":memory:"` for none on disk) and applies the migrations
    /// it has not applied yet.
    ///
    /// Every commit waits for the disk (`synchronous = FULL`): a gateway deletes a report or alert event from
    /// its outbox once the registry answered it, so what was answered must survive a power cut, as on
    /// PostgreSQL, where reports and alerts keep synchronous commits. Heartbeats alone commit without waiting
    /// (`store(heartbeat:)`), as on PostgreSQL: the next one comes within a minute.
    init(path: String) throws {
        let connection = try SQLiteConnection(path: path)
        if path != ":memory:" { _ = try connection.setJournalMode(.wal) }
        try connection.setSynchronous(.full)
        try connection.setBusyTimeout(.seconds(5))
        try Self.migrate(connection, path: path)
        database = connection
    }

    deinit {
        // No job can arrive once the last reference is gone, so the thread may end here.
        executor.shutdown()
    }

    /// Applies the migrations `connection` has not applied yet, each in a transaction with its
    /// `schema_migrations` row.
    private static func migrate(_ connection: SQLiteConnection, path: String) throws {
        try connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at REAL)")
        let applied = try connection.scalarInt64("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") ?? 0
        let unversioned =
            try connection.scalarInt64(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'shelters'") ?? 0
        if applied == 0 && unversioned > 0 {
            throw RegistryStartError(
                "\(path) was made by a shelter-registry without versioned migrations: move it aside and start again")
        }
        for (index, sql) in RegistryMigrations.sqlite.enumerated() where Int64(index + 1) > applied {
            try connection.transaction {
                try connection.execute(sql)
                let mark = try connection.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")
                try mark.bind(Int64(index + 1), at: 1)
                try mark.bind(Date().timeIntervalSince1970, at: 2)
                try mark.run()
            }
        }
    }

    // MARK: Shelters and gateways

    func seed(_ seed: RegistryDirectory.ShelterSeed, at now: Date) throws {
        let record = try seed.record.map(RecordVersion.stamped)
        let statement = try database.prepare(
            """
            INSERT OR IGNORE INTO shelters (shelter_id, record, record_version, name, district, latitude, longitude,
                grade, division_code, lifecycle, is_drill, lifecycle_changed_at, lifecycle_changed_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'seed')
            """)
        try statement.bind(seed.id, at: 1)
        if let record {
            try statement.bind(blob: Array(try encoder.encode(record)), at: 2)
        } else {
            try statement.bindNull(at: 2)
        }
        try statement.bind(Int64(record?.recordVersion ?? 0), at: 3)
        try statement.bind(record?.name ?? "", at: 4)
        try statement.bind(record?.location.district ?? "", at: 5)
        try bindOptional(statement, record?.location.latitude, at: 6)
        try bindOptional(statement, record?.location.longitude, at: 7)
        try statement.bind(seed.grade ?? "", at: 8)
        try statement.bind(seed.divisionCode ?? record?.location.divisionCode ?? "", at: 9)
        try statement.bind((seed.lifecycle ?? .standby).rawValue, at: 10)
        try statement.bind(Int64((seed.isDrill ?? false) ? 1 : 0), at: 11)
        try statement.bind(now.timeIntervalSince1970, at: 12)
        try statement.run()
        for gateway in seed.gateways ?? [] { try mapGateway(gateway, to: seed.id) }
    }

    func mapGateway(_ gatewayId: String, to shelterId: String) throws {
        let statement = try database.prepare(
            """
            INSERT INTO gateways (gateway_id, shelter_id) VALUES (?, ?)
            ON CONFLICT (gateway_id) DO UPDATE SET shelter_id = excluded.shelter_id
            """)
        try statement.bind(gatewayId, at: 1)
        try statement.bind(shelterId, at: 2)
        try statement.run()
    }

    func shelter(_ id: String) throws -> StoredShelter? {
        let statement = try database.prepare(
            "SELECT record, lifecycle, is_drill, grade, division_code FROM shelters WHERE shelter_id = ?")
        try statement.bind(id, at: 1)
        guard try statement.step() else { return nil }
        let record =
            statement.isNull(at: 0)
            ? nil : try decoder.decode(ShelterRecord.self, from: Data(statement.blob(at: 0)))
        return StoredShelter(
            id: id, record: record, lifecycle: LifecycleState(rawValue: statement.text(at: 1) ?? "") ?? .standby,
            isDrill: statement.int64(at: 2) != 0, grade: statement.text(at: 3) ?? "",
            divisionCode: statement.text(at: 4) ?? "")
    }

    func setLifecycle(
        shelterId: String, _ change: LifecycleChange, by actor: String, at now: Date
    ) throws
        -> LifecycleStatus?
    {
        guard let current = try shelter(shelterId) else { return nil }
        let isDrill = change.isDrill ?? current.isDrill
        try database.transaction {
            let update = try database.prepare(
                """
                UPDATE shelters SET lifecycle = ?, is_drill = ?, lifecycle_changed_at = ?, lifecycle_changed_by = ?
                WHERE shelter_id = ?
                """)
            try update.bind(change.state.rawValue, at: 1)
            try update.bind(Int64(isDrill ? 1 : 0), at: 2)
            try update.bind(now.timeIntervalSince1970, at: 3)
            try update.bind(actor, at: 4)
            try update.bind(shelterId, at: 5)
            try update.run()
            let log = try database.prepare(
                "INSERT INTO lifecycle_changes (shelter_id, state, is_drill, changed_by, changed_at) VALUES (?, ?, ?, ?, ?)"
            )
            try log.bind(shelterId, at: 1)
            try log.bind(change.state.rawValue, at: 2)
            try log.bind(Int64(isDrill ? 1 : 0), at: 3)
            try log.bind(actor, at: 4)
            try log.bind(now.timeIntervalSince1970, at: 5)
            try log.run()
        }
        return LifecycleStatus(state: change.state, isDrill: isDrill)
    }

    func replaceRecord(_ record: ShelterRecord, by actor: String, at now: Date) throws -> ShelterRecord? {
        guard try shelter(record.id) != nil else { return nil }
        let stored = try RecordVersion.stamped(record)
        try database.transaction {
            let update = try database.prepare(
                """
                UPDATE shelters SET record = ?, record_version = ?, name = ?, district = ?, latitude = ?, longitude = ?,
                    division_code = COALESCE(?8, division_code)
                WHERE shelter_id = ?7
                """)
            try update.bind(blob: Array(try encoder.encode(stored)), at: 1)
            try update.bind(Int64(stored.recordVersion), at: 2)
            try update.bind(stored.name, at: 3)
            try update.bind(stored.location.district, at: 4)
            try bindOptional(update, stored.location.latitude, at: 5)
            try bindOptional(update, stored.location.longitude, at: 6)
            try update.bind(stored.id, at: 7)
            try bindOptional(update, stored.location.divisionCode, at: 8)
            try update.run()
            let log = try database.prepare(
                "INSERT INTO record_changes (shelter_id, record_version, changed_by, changed_at) VALUES (?, ?, ?, ?)")
            try log.bind(stored.id, at: 1)
            try log.bind(Int64(stored.recordVersion), at: 2)
            try log.bind(actor, at: 3)
            try log.bind(now.timeIntervalSince1970, at: 4)
            try log.run()
        }
        return stored
    }

    // MARK: Received payloads

    func store(reports: [Received<StatusReport>], gatewayId: String, at now: Date) throws -> BatchResult {
        let statement = try cached(
            """
            INSERT OR IGNORE INTO reports (gateway_id, report_id, shelter_id, sequence, observed_at, received_at,
                lifecycle, occupied, body)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var duplicates: [String] = []
        try database.transaction {
            for received in reports {
                let report = received.payload
                try statement.reset()
                try statement.bind(gatewayId, at: 1)
                try statement.bind(report.reportId, at: 2)
                try statement.bind(report.shelterId, at: 3)
                try statement.bind(report.sequence, at: 4)
                try statement.bind(report.observedAt.timeIntervalSince1970, at: 5)
                try statement.bind(now.timeIntervalSince1970, at: 6)
                try statement.bind(report.lifecycle.state.rawValue, at: 7)
                if let occupied = report.capacity.occupied {
                    try statement.bind(Int64(occupied), at: 8)
                } else {
                    try statement.bindNull(at: 8)
                }
                try statement.bind(blob: received.body, at: 9)
                try statement.run()
                if database.changes == 0 { duplicates.append(report.reportId) }
            }
        }
        return BatchResult(accepted: reports.count - duplicates.count, duplicates: duplicates, receivedAt: now)
    }

    func store(alerts: [Received<AlertEvent>], gatewayId: String, at now: Date) throws -> BatchResult {
        let insert = try cached(
            """
            INSERT OR IGNORE INTO alert_events (gateway_id, event_id, alert_id, shelter_id, msg_type, status, severity,
                sent, received_at, body)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let fold = try cached(
            """
            INSERT INTO alerts (gateway_id, alert_id, shelter_id, phase, severity, status, raised_at, updated_at,
                cancelled_at, last_event_seq, last_event_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10)
            ON CONFLICT (gateway_id, alert_id) DO UPDATE SET
                phase = CASE WHEN alerts.phase = 'cancelled' THEN 'cancelled' ELSE excluded.phase END,
                severity = excluded.severity, updated_at = excluded.updated_at,
                cancelled_at = COALESCE(alerts.cancelled_at, excluded.cancelled_at),
                last_event_seq = excluded.last_event_seq, last_event_id = excluded.last_event_id
            """)
        var duplicates: [String] = []
        try database.transaction {
            for received in alerts {
                let alert = received.payload
                try insert.reset()
                try insert.bind(gatewayId, at: 1)
                try insert.bind(alert.eventId, at: 2)
                try insert.bind(alert.alertId, at: 3)
                try insert.bind(alert.shelterId, at: 4)
                try insert.bind(alert.msgType.rawValue, at: 5)
                try insert.bind(alert.status.rawValue, at: 6)
                try insert.bind(alert.severity.rawValue, at: 7)
                try insert.bind(alert.sent.timeIntervalSince1970, at: 8)
                try insert.bind(now.timeIntervalSince1970, at: 9)
                try insert.bind(blob: received.body, at: 10)
                try insert.run()
                if database.changes == 0 {
                    duplicates.append(alert.eventId)
                    continue
                }
                try fold.reset()
                try fold.bind(gatewayId, at: 1)
                try fold.bind(alert.alertId, at: 2)
                try fold.bind(alert.shelterId, at: 3)
                try fold.bind(AlertState.Phase(alert.msgType).rawValue, at: 4)
                try fold.bind(alert.severity.rawValue, at: 5)
                try fold.bind(alert.status.rawValue, at: 6)
                try fold.bind(now.timeIntervalSince1970, at: 7)
                try bindOptional(fold, alert.msgType == .cancel ? now.timeIntervalSince1970 : nil, at: 8)
                try fold.bind(database.lastInsertRowID, at: 9)
                try fold.bind(alert.eventId, at: 10)
                try fold.run()
            }
        }
        return BatchResult(accepted: alerts.count - duplicates.count, duplicates: duplicates, receivedAt: now)
    }

    func store(heartbeat: HeartbeatRequest, shelterId: String, at now: Date) throws -> HeartbeatAnswer? {
        // Committed without waiting for the disk (see `init`): a power cut may lose the last heartbeats, never
        // a report or alert event a gateway was told is stored.
        try database.transaction(synchronous: .normal) {
            let statement = try cached("INSERT INTO heartbeats (gateway_id, received_at, body) VALUES (?, ?, ?)")
            try statement.bind(heartbeat.gatewayId, at: 1)
            try statement.bind(now.timeIntervalSince1970, at: 2)
            try statement.bind(blob: Array(try encoder.encode(heartbeat)), at: 3)
            try statement.run()
            let gateway = try cached(
                "UPDATE gateways SET last_heartbeat_at = ?, agent_version = ? WHERE gateway_id = ?")
            try gateway.bind(now.timeIntervalSince1970, at: 1)
            try gateway.bind(heartbeat.agentVersion, at: 2)
            try gateway.bind(heartbeat.gatewayId, at: 3)
            try gateway.run()
            let answer = try cached("SELECT lifecycle, is_drill, record_version FROM shelters WHERE shelter_id = ?")
            try answer.bind(shelterId, at: 1)
            defer { _ = try? answer.reset() }  // a statement left on a row would pin the WAL snapshot
            guard try answer.step() else { return nil }
            return HeartbeatAnswer(
                lifecycle: LifecycleState(rawValue: answer.text(at: 0) ?? "") ?? .standby,
                isDrill: answer.int64(at: 1) != 0, recordVersion: Int(answer.int64(at: 2)))
        }
    }

    /// The compiled statement for `sql`, reset and cleared: the ingest path's statements are compiled once per
    /// connection rather than once per request.
    private func cached(_ sql: String) throws -> SQLiteStatement {
        if let statement = statements[sql] {
            _ = try? statement.reset()  // answers the previous run's error, if any: that request has failed already
            try statement.clearBindings()
            return statement
        }
        let statement = try database.prepare(sql)
        statements[sql] = statement
        return statement
    }

    // MARK: Listings

    func reportsJSON(shelterId: String?) throws -> [UInt8] {
        StoredJSON.array(try bodies(table: "reports", shelterId: shelterId))
    }

    func alertsJSON(shelterId: String?) throws -> [UInt8] {
        StoredJSON.array(try bodies(table: "alert_events", shelterId: shelterId))
    }

    func heartbeatsJSON() throws -> [UInt8] {
        let statement = try database.prepare("SELECT received_at, body FROM heartbeats ORDER BY seq")
        var items: [[UInt8]] = []
        while try statement.step() {
            items.append(
                try StoredJSON.heartbeatItem(
                    receivedAt: Date(timeIntervalSince1970: statement.double(at: 0)), body: statement.blob(at: 1)))
        }
        return StoredJSON.array(items)
    }

    func alertEvents(eventId: String) throws -> [StoredAlertEvent] {
        try events("WHERE event_id = ? ORDER BY seq", [eventId])
    }

    func alertHistory(gatewayId: String, alertId: String) throws -> [StoredAlertEvent] {
        try events("WHERE gateway_id = ? AND alert_id = ? ORDER BY seq", [gatewayId, alertId])
    }

    func openAlerts(limit: Int) throws -> [StoredAlertEvent] {
        try events(
            """
            WHERE seq IN (SELECT last_event_seq FROM alerts WHERE phase <> 'cancelled')
            ORDER BY received_at DESC, seq DESC LIMIT \(max(0, limit))
            """, [])
    }

    func alertState(gatewayId: String, alertId: String) throws -> AlertState? {
        let statement = try database.prepare(
            """
            SELECT shelter_id, phase, severity, status, raised_at, updated_at, cancelled_at, last_event_id,
                acknowledged_by, acknowledged_at, acknowledgement_note
            FROM alerts WHERE gateway_id = ? AND alert_id = ?
            """)
        try statement.bind(gatewayId, at: 1)
        try statement.bind(alertId, at: 2)
        guard try statement.step() else { return nil }
        func date(_ column: Int32) -> Date? {
            statement.isNull(at: column) ? nil : Date(timeIntervalSince1970: statement.double(at: column))
        }
        return AlertState(
            gatewayId: gatewayId, alertId: alertId, shelterId: statement.text(at: 0) ?? "",
            phase: AlertState.Phase(rawValue: statement.text(at: 1) ?? "") ?? .raised,
            severity: statement.text(at: 2) ?? "", status: statement.text(at: 3) ?? "",
            raisedAt: date(4) ?? .distantPast, updatedAt: date(5) ?? .distantPast, cancelledAt: date(6),
            lastEventId: statement.text(at: 7) ?? "", acknowledgedBy: statement.text(at: 8), acknowledgedAt: date(9),
            acknowledgementNote: statement.text(at: 10))
    }

    func acknowledge(
        gatewayId: String, alertId: String, by actor: String, note: String, at now: Date
    ) throws
        -> AlertState?
    {
        let statement = try database.prepare(
            """
            UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ?, acknowledgement_note = ?
            WHERE gateway_id = ? AND alert_id = ?
            """)
        try statement.bind(actor, at: 1)
        try statement.bind(now.timeIntervalSince1970, at: 2)
        try statement.bind(note, at: 3)
        try statement.bind(gatewayId, at: 4)
        try statement.bind(alertId, at: 5)
        try statement.run()
        return try alertState(gatewayId: gatewayId, alertId: alertId)
    }

    func prepareStorage(at now: Date) -> [String] { [] }

    func prune(before cutoff: Date) throws -> PruneCounts {
        var counts = PruneCounts()
        try database.transaction {
            for (sql, counter) in RegistryRetention.statements(cutoff: "?1") {
                let statement = try database.prepare(sql)
                try statement.bind(cutoff.timeIntervalSince1970, at: 1)
                try statement.run()
                counts[keyPath: counter] += database.changes
            }
        }
        return counts
    }

    // MARK: Helpers

    private func bodies(table: String, shelterId: String?) throws -> [[UInt8]] {
        let filter = shelterId == nil ? "" : " WHERE shelter_id = ?"
        let statement = try database.prepare("SELECT body FROM \(table)\(filter) ORDER BY seq")
        if let shelterId { try statement.bind(shelterId, at: 1) }
        var items: [[UInt8]] = []
        while try statement.step() { items.append(statement.blob(at: 0)) }
        return items
    }

    private func events(_ clause: String, _ arguments: [String]) throws -> [StoredAlertEvent] {
        let statement = try database.prepare("SELECT body, received_at FROM alert_events \(clause)")
        for (index, argument) in arguments.enumerated() { try statement.bind(argument, at: Int32(index + 1)) }
        var events: [StoredAlertEvent] = []
        while try statement.step() {
            events.append(
                StoredAlertEvent(
                    event: try decoder.decode(AlertEvent.self, from: Data(statement.blob(at: 0))),
                    receivedAt: Date(timeIntervalSince1970: statement.double(at: 1))))
        }
        return events
    }

    private func bindOptional(_ statement: SQLiteStatement, _ value: Double?, at index: Int32) throws {
        if let value { try statement.bind(value, at: index) } else { try statement.bindNull(at: index) }
    }

    private func bindOptional(_ statement: SQLiteStatement, _ value: String?, at index: Int32) throws {
        if let value { try statement.bind(value, at: index) } else { try statement.bindNull(at: index) }
    }
}
