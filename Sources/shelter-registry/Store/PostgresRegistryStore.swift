import Foundation
import Logging
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
    static func client(url: String, logger: Logger) throws -> PostgresClient? {
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
        configuration.options.maximumConnections = 16
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
        let divisionCode = seed.divisionCode ?? ""
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
                    district = \(stored.location.district), latitude = \(latitude), longitude = \(longitude)
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

    func store(reports: [StatusReport], gatewayId: String, at now: Date) async throws -> BatchResult {
        let encoder = RegistryJSON.makeEncoder()
        let rows = try reports.map { ($0, try encoder.encode($0)) }
        let at = now.timeIntervalSince1970
        let duplicates = try await client.withTransaction(logger: logger) { connection in
            var duplicates: [String] = []
            for (report, body) in rows {
                let observed = report.observedAt.timeIntervalSince1970
                let occupied = report.capacity.occupied.map(Int64.init)
                let inserted = try await connection.query(
                    """
                    INSERT INTO reports (gateway_id, report_id, shelter_id, sequence, observed_at, received_at,
                        lifecycle, occupied, body)
                    VALUES (\(gatewayId), \(report.reportId), \(report.shelterId), \(report.sequence), \(observed),
                        \(at), \(report.lifecycle.state.rawValue), \(occupied), \(body))
                    ON CONFLICT (gateway_id, report_id) DO NOTHING RETURNING seq
                    """, logger: logger)
                var stored = false
                for try await _ in inserted.decode(Int64.self) { stored = true }
                if !stored { duplicates.append(report.reportId) }
            }
            return duplicates
        }
        return BatchResult(accepted: reports.count - duplicates.count, duplicates: duplicates, receivedAt: now)
    }

    func store(alerts: [AlertEvent], gatewayId: String, at now: Date) async throws -> BatchResult {
        let encoder = RegistryJSON.makeEncoder()
        let rows = try alerts.map { ($0, try encoder.encode($0)) }
        let at = now.timeIntervalSince1970
        let duplicates = try await client.withTransaction(logger: logger) { connection in
            var duplicates: [String] = []
            for (alert, body) in rows {
                let sent = alert.sent.timeIntervalSince1970
                let inserted = try await connection.query(
                    """
                    INSERT INTO alert_events (gateway_id, event_id, alert_id, shelter_id, msg_type, status, severity,
                        sent, received_at, body)
                    VALUES (\(gatewayId), \(alert.eventId), \(alert.alertId), \(alert.shelterId),
                        \(alert.msgType.rawValue), \(alert.status.rawValue), \(alert.severity.rawValue), \(sent), \(at),
                        \(body))
                    ON CONFLICT (gateway_id, event_id) DO NOTHING RETURNING seq
                    """, logger: logger)
                var seq: Int64?
                for try await value in inserted.decode(Int64.self) { seq = value }
                guard let seq else {
                    duplicates.append(alert.eventId)
                    continue
                }
                let phase = AlertState.Phase(alert.msgType).rawValue
                let cancelledAt: Double? = alert.msgType == .cancel ? at : nil
                try await connection.query(
                    """
                    INSERT INTO alerts (gateway_id, alert_id, shelter_id, phase, severity, status, raised_at,
                        updated_at, cancelled_at, last_event_seq, last_event_id)
                    VALUES (\(gatewayId), \(alert.alertId), \(alert.shelterId), \(phase), \(alert.severity.rawValue),
                        \(alert.status.rawValue), \(at), \(at), \(cancelledAt), \(seq), \(alert.eventId))
                    ON CONFLICT (gateway_id, alert_id) DO UPDATE SET
                        phase = CASE WHEN alerts.phase = 'cancelled' THEN 'cancelled' ELSE excluded.phase END,
                        severity = excluded.severity, updated_at = excluded.updated_at,
                        cancelled_at = COALESCE(alerts.cancelled_at, excluded.cancelled_at),
                        last_event_seq = excluded.last_event_seq, last_event_id = excluded.last_event_id
                    """, logger: logger)
            }
            return duplicates
        }
        return BatchResult(accepted: alerts.count - duplicates.count, duplicates: duplicates, receivedAt: now)
    }

    func store(heartbeat: HeartbeatRequest, at now: Date) async throws {
        let body = try RegistryJSON.makeEncoder().encode(heartbeat)
        let at = now.timeIntervalSince1970
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query(
                "INSERT INTO heartbeats (gateway_id, received_at, body) VALUES (\(heartbeat.gatewayId), \(at), \(body))",
                logger: logger)
            try await connection.query(
                """
                UPDATE gateways SET last_heartbeat_at = \(at), agent_version = \(heartbeat.agentVersion)
                WHERE gateway_id = \(heartbeat.gatewayId)
                """, logger: logger)
        }
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
