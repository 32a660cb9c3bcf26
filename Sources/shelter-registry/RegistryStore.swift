import Foundation
import SQLite
import ShelterCore

/// Everything the registry holds, in one SQLite database (WAL): shelters with their record and lifecycle,
/// and every status report, alert event and heartbeat received, each stored once (de-duplicated by
/// `reportId` / `eventId` through the primary key).
///
/// An actor: requests are served one at a time against the connection. SQLite calls on a local file take
/// microseconds; the registry is a reference implementation, not the agent, so they run on the actor's
/// executor rather than a dedicated thread.
actor RegistryStore {
    private let database: SQLiteConnection
    private let encoder = RegistryJSON.makeEncoder()
    private let decoder = RegistryJSON.makeDecoder()

    /// A shelter as the registry holds it.
    struct Shelter: Sendable {
        var record: ShelterRecord
        var lifecycle: LifecycleState
        var isDrill: Bool
    }

    /// Opens (creating) the database at `path` (`":memory:"` for none on disk).
    init(path: String) throws {
        database = try SQLiteConnection(path: path)
        if path != ":memory:" { _ = try database.setJournalMode(.wal) }
        try database.setSynchronous(.normal)
        try database.setBusyTimeout(.seconds(5))
        try database.execute(Self.schema)
    }

    private static let schema = """
        CREATE TABLE IF NOT EXISTS shelters (
            shelter_id TEXT PRIMARY KEY, record BLOB NOT NULL, lifecycle TEXT NOT NULL, is_drill INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS reports (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, report_id TEXT NOT NULL UNIQUE, shelter_id TEXT NOT NULL,
            gateway_id TEXT NOT NULL, sequence INTEGER NOT NULL, received_at REAL NOT NULL, body BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS alerts (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, alert_id TEXT NOT NULL,
            shelter_id TEXT NOT NULL, gateway_id TEXT NOT NULL, received_at REAL NOT NULL, body BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS heartbeats (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, gateway_id TEXT NOT NULL, received_at REAL NOT NULL,
            body BLOB NOT NULL);
        """

    // MARK: Shelters

    /// Creates the shelter unless the database already holds it (a restarted registry keeps its state).
    func seed(_ seed: RegistryDirectory.ShelterSeed) throws {
        var record = seed.record
        record.recordVersion = max(1, record.recordVersion)
        let statement = try database.prepare(
            "INSERT OR IGNORE INTO shelters (shelter_id, record, lifecycle, is_drill) VALUES (?, ?, ?, ?)")
        try statement.bind(record.id, at: 1)
        try statement.bind(blob: Array(try encoder.encode(record)), at: 2)
        try statement.bind((seed.lifecycle ?? .standby).rawValue, at: 3)
        try statement.bind(Int64((seed.isDrill ?? false) ? 1 : 0), at: 4)
        try statement.run()
    }

    /// The shelter with `id`, or `nil`.
    func shelter(_ id: String) throws -> Shelter? {
        let statement = try database.prepare("SELECT record, lifecycle, is_drill FROM shelters WHERE shelter_id = ?")
        try statement.bind(id, at: 1)
        guard try statement.step() else { return nil }
        let record = try decoder.decode(ShelterRecord.self, from: Data(statement.blob(at: 0)))
        let lifecycle = LifecycleState(rawValue: statement.text(at: 1) ?? "") ?? .standby
        return Shelter(record: record, lifecycle: lifecycle, isDrill: statement.int64(at: 2) != 0)
    }

    /// Applies an operator's lifecycle decision; `nil` when there is no such shelter.
    func setLifecycle(shelterId: String, _ change: LifecycleChange) throws -> LifecycleStatus? {
        guard let current = try shelter(shelterId) else { return nil }
        let isDrill = change.isDrill ?? current.isDrill
        let statement = try database.prepare("UPDATE shelters SET lifecycle = ?, is_drill = ? WHERE shelter_id = ?")
        try statement.bind(change.state.rawValue, at: 1)
        try statement.bind(Int64(isDrill ? 1 : 0), at: 2)
        try statement.bind(shelterId, at: 3)
        try statement.run()
        return LifecycleStatus(state: change.state, isDrill: isDrill)
    }

    /// Replaces a shelter's record, bumping `recordVersion` past the stored one; `nil` when there is no such
    /// shelter.
    func replaceRecord(_ record: ShelterRecord) throws -> ShelterRecord? {
        guard let current = try shelter(record.id) else { return nil }
        var stored = record
        stored.recordVersion = current.record.recordVersion + 1
        let statement = try database.prepare("UPDATE shelters SET record = ? WHERE shelter_id = ?")
        try statement.bind(blob: Array(try encoder.encode(stored)), at: 1)
        try statement.bind(record.id, at: 2)
        try statement.run()
        return stored
    }

    // MARK: Received payloads

    /// Stores the reports it does not hold yet, in one transaction.
    func store(reports: [StatusReport], at now: Date) throws -> BatchResult {
        let statement = try database.prepare(
            """
            INSERT OR IGNORE INTO reports (report_id, shelter_id, gateway_id, sequence, received_at, body)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        var duplicates: [String] = []
        try database.transaction {
            for report in reports {
                try statement.reset()
                try statement.bind(report.reportId, at: 1)
                try statement.bind(report.shelterId, at: 2)
                try statement.bind(report.gatewayId, at: 3)
                try statement.bind(report.sequence, at: 4)
                try statement.bind(now.timeIntervalSince1970, at: 5)
                try statement.bind(blob: Array(try encoder.encode(report)), at: 6)
                try statement.run()
                if database.changes == 0 { duplicates.append(report.reportId) }
            }
        }
        return BatchResult(accepted: reports.count - duplicates.count, duplicates: duplicates, receivedAt: now)
    }

    /// Stores the alert events it does not hold yet, in one transaction.
    func store(alerts: [AlertEvent], at now: Date) throws -> BatchResult {
        let statement = try database.prepare(
            """
            INSERT OR IGNORE INTO alerts (event_id, alert_id, shelter_id, gateway_id, received_at, body)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        var duplicates: [String] = []
        try database.transaction {
            for alert in alerts {
                try statement.reset()
                try statement.bind(alert.eventId, at: 1)
                try statement.bind(alert.alertId, at: 2)
                try statement.bind(alert.shelterId, at: 3)
                try statement.bind(alert.gatewayId, at: 4)
                try statement.bind(now.timeIntervalSince1970, at: 5)
                try statement.bind(blob: Array(try encoder.encode(alert)), at: 6)
                try statement.run()
                if database.changes == 0 { duplicates.append(alert.eventId) }
            }
        }
        return BatchResult(accepted: alerts.count - duplicates.count, duplicates: duplicates, receivedAt: now)
    }

    /// Stores a heartbeat (every one: they are not de-duplicated).
    func store(heartbeat: HeartbeatRequest, at now: Date) throws {
        let statement = try database.prepare(
            "INSERT INTO heartbeats (gateway_id, received_at, body) VALUES (?, ?, ?)")
        try statement.bind(heartbeat.gatewayId, at: 1)
        try statement.bind(now.timeIntervalSince1970, at: 2)
        try statement.bind(blob: Array(try encoder.encode(heartbeat)), at: 3)
        try statement.run()
    }

    // MARK: Listings (JSON arrays, arrival order)

    /// Reports received, optionally for one shelter, as a JSON array.
    func reportsJSON(shelterId: String?) throws -> [UInt8] {
        try jsonArray(table: "reports", shelterId: shelterId)
    }

    /// Alert events received, optionally for one shelter, as a JSON array.
    func alertsJSON(shelterId: String?) throws -> [UInt8] {
        try jsonArray(table: "alerts", shelterId: shelterId)
    }

    /// Heartbeats received as a JSON array of `{ "receivedAt": …, "heartbeat": … }`.
    func heartbeatsJSON() throws -> [UInt8] {
        let statement = try database.prepare("SELECT received_at, body FROM heartbeats ORDER BY seq")
        var items: [[UInt8]] = []
        while try statement.step() {
            let receivedAt = Date(timeIntervalSince1970: statement.double(at: 0))
            let stamp = try encoder.encode(["receivedAt": receivedAt])  // {"receivedAt":"…"}
            items.append(Array(stamp.dropLast()) + Array(",\"heartbeat\":".utf8) + statement.blob(at: 1) + [0x7D])
        }
        return Self.join(items)
    }

    private func jsonArray(table: String, shelterId: String?) throws -> [UInt8] {
        let filter = shelterId == nil ? "" : " WHERE shelter_id = ?"
        let statement = try database.prepare("SELECT body FROM \(table)\(filter) ORDER BY seq")
        if let shelterId { try statement.bind(shelterId, at: 1) }
        var items: [[UInt8]] = []
        while try statement.step() { items.append(statement.blob(at: 0)) }
        return Self.join(items)
    }

    private static func join(_ items: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = [0x5B]
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(0x2C) }
            out += item
        }
        out.append(0x5D)
        return out
    }
}
