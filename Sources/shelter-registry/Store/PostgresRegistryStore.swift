import Foundation
import Logging
import NIOCore
import PostgresNIO
import ShelterCore

/// The city engine: PostgreSQL through postgres-nio's connection pool. Stateless: several registry instances
/// may serve one database behind any load balancer; de-duplication is the unique constraints'
/// (`INSERT … ON CONFLICT DO NOTHING RETURNING`), never memory, and migrations run once under an advisory
/// lock whichever instance starts first.
///
/// `client` must be running (`PostgresClient.run()`, a ServiceLifecycle service) before any call.
struct PostgresRegistryStore: RegistryStore {
    let client: PostgresClient
    let logger: Logger
    private static let migrationLock: Int64 = 0x5348_454C_5445_52  // "SHELTER"

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// A client for `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|require]`; `nil` when
    /// `url` is not a PostgreSQL URL. Throws when it is one but malformed.
    ///
    /// - Parameter connections: the pool's bound (`--database-connections`). Each request now holds a
    ///   connection for one statement, so a few connections keep the server's cores busy; more only queue
    ///   inside PostgreSQL, where each backend costs memory and competes for the same cores.
    static func client(url: String, connections: Int, logger: Logger) throws -> PostgresClient? {
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else { return nil }
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty,
            let user = components.user, !user.isEmpty
        else {
            throw RegistryStartError("--database \(url): want postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "prefer": tls = .prefer(.makeClientConfiguration())
        case "require": tls = .require(.makeClientConfiguration())
        default: throw RegistryStartError("--database: sslmode must be disable, prefer or require, got \(sslMode)")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: database.isEmpty ? nil : database, tls: tls)
        configuration.options.maximumConnections = connections
        return PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// Applies the migrations the database has not applied yet (one transaction, advisory lock).
    func migrate() async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at DOUBLE PRECISION)",
                logger: logger)
            var applied = 0
            for try await version in try await connection.query(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", logger: logger
            ).decode(Int.self) { applied = version }
            for (index, migration) in RegistryMigrations.postgres.enumerated() where index + 1 > applied {
                for statement in Self.statements(migration) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                let version = index + 1
                let now = Date().timeIntervalSince1970
                try await connection.query(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (\(version), \(now))", logger: logger)
            }
        }
    }

    /// One migration's statements (the extended protocol takes one at a time).
    private static func statements(_ migration: String) -> [String] {
        migration.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }.filter { !$0.isEmpty }
    }

    // MARK: Shelters and gateways

    func seed(_ seed: RegistryDirectory.ShelterSeed, at now: Date) async throws {
        let record = try seed.record.map(RecordVersion.stamped)
        let body = try record.map { try RegistryJSON.makeEncoder().encode($0) }
        let version = Int64(record?.recordVersion ?? 0)
        let name = record?.name ?? ""
        let district = record?.location.district ?? ""
        let latitude = record?.location.latitude
        let longitude = record?.location.longitude
        let grade = seed.grade ?? ""
        let divisionCode = seed.divisionCode ?? record?.location.divisionCode ?? ""
        let lifecycle = (seed.lifecycle ?? .standby).rawValue
        let isDrill = seed.isDrill ?? false
        let at = now.timeIntervalSince1970
        try await client.query(
            """
            INSERT INTO shelters (shelter_id, record, record_version, name, district, latitude, longitude, grade,
                division_code, lifecycle, is_drill, lifecycle_changed_at, lifecycle_changed_by)
            VALUES (\(seed.id), \(body), \(version), \(name), \(district), \(latitude), \(longitude), \(grade),
                \(divisionCode), \(lifecycle), \(isDrill), \(at), 'seed')
            ON CONFLICT (shelter_id) DO NOTHING
            """, logger: logger)
        for gateway in seed.gateways ?? [] { try await mapGateway(gateway, to: seed.id) }
    }

    func mapGateway(_ gatewayId: String, to shelterId: String) async throws {
        try await client.query(
            """
            INSERT INTO gateways (gateway_id, shelter_id) VALUES (\(gatewayId), \(shelterId))
            ON CONFLICT (gateway_id) DO UPDATE SET shelter_id = excluded.shelter_id
            """, logger: logger)
    }

    func shelter(_ id: String) async throws -> StoredShelter? {
        let rows = try await client.query(
            "SELECT record, lifecycle, is_drill, grade, division_code FROM shelters WHERE shelter_id = \(id)",
            logger: logger)
        for try await (body, lifecycle, isDrill, grade, divisionCode) in rows.decode(
            (Data?, String, Bool, String, String).self)
        {
            let record = try body.map { try RegistryJSON.makeDecoder().decode(ShelterRecord.self, from: $0) }
            return StoredShelter(
                id: id, record: record, lifecycle: LifecycleState(rawValue: lifecycle) ?? .standby, isDrill: isDrill,
                grade: grade, divisionCode: divisionCode)
        }
        return nil
    }

    func setLifecycle(
        shelterId: String, _ change: LifecycleChange, by actor: String, at now: Date
    ) async throws
        -> LifecycleStatus?
    {
        let at = now.timeIntervalSince1970
        let state = change.state.rawValue
        let drill = change.isDrill
        return try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE shelters SET lifecycle = \(state), is_drill = COALESCE(\(drill), is_drill),
                    lifecycle_changed_at = \(at), lifecycle_changed_by = \(actor)
                WHERE shelter_id = \(shelterId) RETURNING is_drill
                """, logger: logger)
            var isDrill: Bool?
            for try await value in rows.decode(Bool.self) { isDrill = value }
            guard let isDrill else { return nil }
            try await connection.query(
                """
                INSERT INTO lifecycle_changes (shelter_id, state, is_drill, changed_by, changed_at)
                VALUES (\(shelterId), \(state), \(isDrill), \(actor), \(at))
                """, logger: logger)
            return LifecycleStatus(state: change.state, isDrill: isDrill)
        }
    }

    func replaceRecord(_ record: ShelterRecord, by actor: String, at now: Date) async throws -> ShelterRecord? {
        let stored = try RecordVersion.stamped(record)
        let body = try RegistryJSON.makeEncoder().encode(stored)
        let version = Int64(stored.recordVersion)
        let at = now.timeIntervalSince1970
        let latitude = stored.location.latitude
        let longitude = stored.location.longitude
        return try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE shelters SET record = \(body), record_version = \(version), name = \(stored.name),
                    district = \(stored.location.district), latitude = \(latitude), longitude = \(longitude),
                    division_code = COALESCE(\(stored.location.divisionCode), division_code)
                WHERE shelter_id = \(stored.id) RETURNING shelter_id
                """, logger: logger)
            var found = false
            for try await _ in rows.decode(String.self) { found = true }
            guard found else { return nil }
            try await connection.query(
                """
                INSERT INTO record_changes (shelter_id, record_version, changed_by, changed_at)
                VALUES (\(stored.id), \(version), \(actor), \(at))
                """, logger: logger)
            return stored
        }
    }

    // MARK: Received payloads

    /// One prepared statement whatever the batch size (`PostgresIngest.InsertReports`): a batch of 100 costs
    /// one round trip instead of 102 (BEGIN, one INSERT each, COMMIT); a statement is atomic, so no
    /// transaction is needed.
    func store(reports: [Received<StatusReport>], gatewayId: String, at now: Date) async throws -> BatchResult {
        guard !reports.isEmpty else { return BatchResult(accepted: 0, duplicates: [], receivedAt: now) }
        var statement = PostgresIngest.InsertReports(gatewayId: gatewayId, receivedAt: now.timeIntervalSince1970)
        for received in reports {
            let report = received.payload
            statement.reportIds.append(report.reportId)
            statement.shelterIds.append(report.shelterId)
            statement.sequences.append(report.sequence)
            statement.observedAt.append(report.observedAt.timeIntervalSince1970)
            statement.lifecycles.append(report.lifecycle.state.rawValue)
            statement.hasOccupied.append(report.capacity.occupied != nil)
            statement.occupied.append(Int64(report.capacity.occupied ?? 0))
            statement.bodies.append(ByteBuffer(bytes: received.body))
        }
        var inserted: [String: Int] = [:]
        for try await id in try await client.execute(statement, logger: logger) { inserted[id, default: 0] += 1 }
        // A report id twice in one batch is inserted once: the second is a duplicate, as in later batches.
        let duplicates = reports.map(\.payload.reportId).filter { id in
            guard let left = inserted[id], left > 0 else { return true }
            inserted[id] = left - 1
            return false
        }
        return BatchResult(accepted: reports.count - duplicates.count, duplicates: duplicates, receivedAt: now)
    }

    /// One prepared statement per event (`PostgresIngest.InsertAlertEvent`: the event and its alert's state);
    /// several events run in one transaction, a single event (the usual case) needs none.
    func store(alerts: [Received<AlertEvent>], gatewayId: String, at now: Date) async throws -> BatchResult {
        let at = now.timeIntervalSince1970
        let statements = alerts.map { received in
            let alert = received.payload
            return PostgresIngest.InsertAlertEvent(
                gatewayId: gatewayId, eventId: alert.eventId, alertId: alert.alertId, shelterId: alert.shelterId,
                msgType: alert.msgType.rawValue, status: alert.status.rawValue, severity: alert.severity.rawValue,
                sent: alert.sent.timeIntervalSince1970, receivedAt: at, body: ByteBuffer(bytes: received.body),
                phase: AlertState.Phase(alert.msgType).rawValue, cancelledAt: alert.msgType == .cancel ? at : nil)
        }
        let logger = self.logger
        let insert = { @Sendable (connection: PostgresConnection) async throws -> [String] in
            var duplicates: [String] = []
            for statement in statements {
                var stored = false
                for try await _ in try await connection.execute(statement, logger: logger) { stored = true }
                if !stored { duplicates.append(statement.eventId) }
            }
            return duplicates
        }
        let duplicates: [String]
        if statements.count == 1 {
            duplicates = try await client.withConnection { try await insert($0) }
        } else {
            duplicates = try await client.withTransaction(logger: logger) { try await insert($0) }
        }
        return BatchResult(accepted: alerts.count - duplicates.count, duplicates: duplicates, receivedAt: now)
    }

    /// One prepared statement (`PostgresIngest.StoreHeartbeat`): the heartbeat, the gateway's last-heartbeat
    /// time and the shelter's answer.
    func store(heartbeat: HeartbeatRequest, shelterId: String, at now: Date) async throws -> HeartbeatAnswer? {
        let statement = PostgresIngest.StoreHeartbeat(
            gatewayId: heartbeat.gatewayId, receivedAt: now.timeIntervalSince1970,
            body: ByteBuffer(bytes: try RegistryJSON.makeEncoder().encode(heartbeat)),
            agentVersion: heartbeat.agentVersion, shelterId: shelterId)
        for try await (lifecycle, isDrill, version) in try await client.execute(statement, logger: logger) {
            return HeartbeatAnswer(
                lifecycle: LifecycleState(rawValue: lifecycle) ?? .standby, isDrill: isDrill,
                recordVersion: Int(version))
        }
        return nil
    }

    // MARK: Listings

    func reportsJSON(shelterId: String?) async throws -> [UInt8] {
        StoredJSON.array(try await bodies(table: "reports", shelterId: shelterId))
    }

    func alertsJSON(shelterId: String?) async throws -> [UInt8] {
        StoredJSON.array(try await bodies(table: "alert_events", shelterId: shelterId))
    }

    func heartbeatsJSON() async throws -> [UInt8] {
        var items: [[UInt8]] = []
        let rows = try await client.query("SELECT received_at, body FROM heartbeats ORDER BY seq", logger: logger)
        for try await (receivedAt, body) in rows.decode((Double, Data).self) {
            items.append(
                try StoredJSON.heartbeatItem(receivedAt: Date(timeIntervalSince1970: receivedAt), body: Array(body)))
        }
        return StoredJSON.array(items)
    }

    func alertEvents(eventId: String) async throws -> [StoredAlertEvent] {
        try await events("SELECT body, received_at FROM alert_events WHERE event_id = \(eventId) ORDER BY seq")
    }

    func alertHistory(gatewayId: String, alertId: String) async throws -> [StoredAlertEvent] {
        try await events(
            """
            SELECT body, received_at FROM alert_events WHERE gateway_id = \(gatewayId) AND alert_id = \(alertId)
            ORDER BY seq
            """)
    }

    func openAlerts(limit: Int) async throws -> [StoredAlertEvent] {
        let limit = max(0, limit)
        return try await events(
            """
            SELECT e.body, e.received_at FROM alerts a JOIN alert_events e ON e.seq = a.last_event_seq
            WHERE a.phase <> 'cancelled' ORDER BY e.received_at DESC, e.seq DESC LIMIT \(limit)
            """)
    }

    func alertState(gatewayId: String, alertId: String) async throws -> AlertState? {
        let rows = try await client.query(
            """
            SELECT shelter_id, phase, severity, status, raised_at, updated_at, cancelled_at, last_event_id,
                acknowledged_by, acknowledged_at, acknowledgement_note
            FROM alerts WHERE gateway_id = \(gatewayId) AND alert_id = \(alertId)
            """, logger: logger)
        for try await row in rows {
            let (shelterId, phase, severity, status, raisedAt, updatedAt, cancelledAt, lastEventId) = try row.decode(
                (String, String, String, String, Double, Double, Double?, String).self)
            let columns = row.makeRandomAccess()
            let acknowledgedBy = try columns[8].decode(String?.self)
            let acknowledgedAt = try columns[9].decode(Double?.self)
            let note = try columns[10].decode(String?.self)
            return AlertState(
                gatewayId: gatewayId, alertId: alertId, shelterId: shelterId,
                phase: AlertState.Phase(rawValue: phase) ?? .raised, severity: severity, status: status,
                raisedAt: Date(timeIntervalSince1970: raisedAt), updatedAt: Date(timeIntervalSince1970: updatedAt),
                cancelledAt: cancelledAt.map(Date.init(timeIntervalSince1970:)), lastEventId: lastEventId,
                acknowledgedBy: acknowledgedBy, acknowledgedAt: acknowledgedAt.map(Date.init(timeIntervalSince1970:)),
                acknowledgementNote: note)
        }
        return nil
    }

    func acknowledge(
        gatewayId: String, alertId: String, by actor: String, note: String, at now: Date
    ) async throws
        -> AlertState?
    {
        let at = now.timeIntervalSince1970
        try await client.query(
            """
            UPDATE alerts SET acknowledged_by = \(actor), acknowledged_at = \(at), acknowledgement_note = \(note)
            WHERE gateway_id = \(gatewayId) AND alert_id = \(alertId)
            """, logger: logger)
        return try await alertState(gatewayId: gatewayId, alertId: alertId)
    }

    func prepareStorage(at now: Date) async throws -> [String] {
        try await ensureReportPartitions(at: now)
    }

    func prune(before cutoff: Date) async throws -> PruneCounts {
        let at = cutoff.timeIntervalSince1970
        return try await client.withTransaction(logger: logger) { connection in
            var counts = PruneCounts()
            for (sql, counter) in RegistryRetention.statements(cutoff: "$1") {
                var bindings = PostgresBindings()
                bindings.append(at)
                let rows = try await connection.query(
                    PostgresQuery(unsafeSQL: sql + " RETURNING 1", binds: bindings), logger: logger)
                for try await _ in rows { counts[keyPath: counter] += 1 }
            }
            return counts
        }
    }

    // MARK: Helpers

    private func bodies(table: String, shelterId: String?) async throws -> [[UInt8]] {
        let rows: PostgresRowSequence
        if let shelterId {
            rows = try await client.query(
                "SELECT body FROM \(unescaped: table) WHERE shelter_id = \(shelterId) ORDER BY seq", logger: logger)
        } else {
            rows = try await client.query("SELECT body FROM \(unescaped: table) ORDER BY seq", logger: logger)
        }
        var items: [[UInt8]] = []
        for try await body in rows.decode(Data.self) { items.append(Array(body)) }
        return items
    }

    private func events(_ query: PostgresQuery) async throws -> [StoredAlertEvent] {
        let decoder = RegistryJSON.makeDecoder()
        var events: [StoredAlertEvent] = []
        for try await (body, receivedAt) in try await client.query(query, logger: logger).decode((Data, Double).self) {
            events.append(
                StoredAlertEvent(
                    event: try decoder.decode(AlertEvent.self, from: body),
                    receivedAt: Date(timeIntervalSince1970: receivedAt)))
        }
        return events
    }
}
