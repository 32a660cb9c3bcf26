import Foundation
import Logging
import PostgresNIO
import ShelterCore

extension PostgresRegistryStore: ConsoleStore {
    func saveOperator(_ account: OperatorAccount) async throws {
        try await client.query(
            """
            INSERT INTO operators (name, role, password_hash, failed_attempts, locked_until)
            VALUES (\(account.name), \(account.role.rawValue), \(account.passwordHash), 0, NULL)
            ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash,
                failed_attempts = 0, locked_until = NULL
            """, logger: logger)
    }

    func operatorAccount(_ name: String) async throws -> OperatorAccount? {
        let rows = try await client.query(
            "SELECT role, password_hash, failed_attempts, locked_until FROM operators WHERE name = \(name)",
            logger: logger)
        for try await (role, hash, failures, lockedUntil) in rows.decode((String, String, Int64, Double?).self) {
            return OperatorAccount(
                name: name, role: OperatorRole(rawValue: role) ?? .viewer, passwordHash: hash,
                failedAttempts: Int(failures), lockedUntil: lockedUntil.map(Date.init(timeIntervalSince1970:)))
        }
        return nil
    }

    func recordFailedSignIn(
        _ name: String, limit: Int, lockout: TimeInterval, at now: Date
    ) async throws
        -> OperatorAccount?
    {
        let limit = Int64(limit)
        let until = now.timeIntervalSince1970 + lockout
        try await client.query(
            """
            UPDATE operators SET failed_attempts = failed_attempts + 1,
                locked_until = CASE WHEN failed_attempts + 1 >= \(limit) THEN \(until) ELSE locked_until END
            WHERE name = \(name)
            """, logger: logger)
        return try await operatorAccount(name)
    }

    func recordSignIn(_ name: String, at now: Date) async throws {
        try await client.query(
            "UPDATE operators SET failed_attempts = 0, locked_until = NULL WHERE name = \(name)", logger: logger)
    }

    func createSession(_ session: ConsoleSession) async throws {
        let created = session.createdAt.timeIntervalSince1970
        let expires = session.expiresAt.timeIntervalSince1970
        try await client.query(
            """
            INSERT INTO console_sessions (token_hash, operator_name, role, csrf_token, created_at, expires_at)
            VALUES (\(session.tokenHash), \(session.operatorName), \(session.role.rawValue), \(session.csrfToken),
                \(created), \(expires))
            """, logger: logger)
    }

    func session(tokenHash: String, at now: Date) async throws -> ConsoleSession? {
        let at = now.timeIntervalSince1970
        let rows = try await client.query(
            """
            SELECT operator_name, role, csrf_token, created_at, expires_at FROM console_sessions
            WHERE token_hash = \(tokenHash) AND expires_at > \(at)
            """, logger: logger)
        for try await (name, role, csrf, created, expires) in rows.decode((String, String, String, Double, Double).self)
        {
            return ConsoleSession(
                tokenHash: tokenHash, operatorName: name, role: OperatorRole(rawValue: role) ?? .viewer,
                csrfToken: csrf, createdAt: Date(timeIntervalSince1970: created),
                expiresAt: Date(timeIntervalSince1970: expires))
        }
        return nil
    }

    func deleteSession(tokenHash: String) async throws {
        try await client.query("DELETE FROM console_sessions WHERE token_hash = \(tokenHash)", logger: logger)
    }

    func recordAct(_ act: ConsoleAct) async throws {
        let at = act.at.timeIntervalSince1970
        try await client.query(
            """
            INSERT INTO console_acts (kind, actor, shelter_id, detail, at)
            VALUES (\(act.kind), \(act.actor), \(act.shelterId), \(act.detail), \(at))
            """, logger: logger)
    }

    func acts(shelterId: String?, limit: Int) async throws -> [ConsoleAct] {
        let limit = Int64(max(0, limit))
        let rows: PostgresRowSequence
        if let shelterId {
            rows = try await client.query(
                """
                SELECT kind, actor, shelter_id, detail, at FROM console_acts WHERE shelter_id = \(shelterId)
                ORDER BY seq DESC LIMIT \(limit)
                """, logger: logger)
        } else {
            rows = try await client.query(
                "SELECT kind, actor, shelter_id, detail, at FROM console_acts ORDER BY seq DESC LIMIT \(limit)",
                logger: logger)
        }
        var acts: [ConsoleAct] = []
        for try await (kind, actor, shelter, detail, at) in rows.decode((String, String, String, String, Double).self) {
            acts.append(
                ConsoleAct(
                    kind: kind, actor: actor, shelterId: shelter, detail: detail, at: Date(timeIntervalSince1970: at)))
        }
        return acts
    }

    func allShelters() async throws -> [StoredShelter] {
        let rows = try await client.query(
            "SELECT shelter_id, record, lifecycle, is_drill, grade, division_code FROM shelters ORDER BY shelter_id",
            logger: logger)
        let decoder = RegistryJSON.makeDecoder()
        var shelters: [StoredShelter] = []
        for try await (id, body, lifecycle, isDrill, grade, divisionCode) in rows.decode(
            (String, Data?, String, Bool, String, String).self)
        {
            shelters.append(
                StoredShelter(
                    id: id, record: try body.map { try decoder.decode(ShelterRecord.self, from: $0) },
                    lifecycle: LifecycleState(rawValue: lifecycle) ?? .standby, isDrill: isDrill, grade: grade,
                    divisionCode: divisionCode))
        }
        return shelters
    }

    func gatewayLinks() async throws -> [GatewayLink] {
        let rows = try await client.query(
            "SELECT gateway_id, shelter_id, last_heartbeat_at, agent_version FROM gateways ORDER BY gateway_id",
            logger: logger)
        var links: [GatewayLink] = []
        for try await (gateway, shelter, last, version) in rows.decode((String, String, Double?, String?).self) {
            links.append(
                GatewayLink(
                    gatewayId: gateway, shelterId: shelter,
                    lastHeartbeatAt: last.map(Date.init(timeIntervalSince1970:)),
                    agentVersion: version))
        }
        return links
    }

    func latestReports() async throws -> [ReceivedReport] {
        try await receivedReports(
            """
            SELECT body, received_at FROM reports
            WHERE seq IN (SELECT MAX(seq) FROM reports GROUP BY shelter_id) ORDER BY shelter_id
            """)
    }

    func reports(
        shelterId: String, observedIn period: ClosedRange<Date>, limit: Int
    ) async throws
        -> [ReceivedReport]
    {
        let from = period.lowerBound.timeIntervalSince1970
        let to = period.upperBound.timeIntervalSince1970
        let limit = Int64(max(0, limit))
        return try await receivedReports(
            """
            SELECT body, received_at FROM reports
            WHERE shelter_id = \(shelterId) AND observed_at >= \(from) AND observed_at <= \(to)
            ORDER BY observed_at DESC LIMIT \(limit)
            """
        ).reversed()
    }

    func alertListing(openOnly: Bool, limit: Int) async throws -> [ListedAlert] {
        let filter = openOnly ? "WHERE a.phase <> 'cancelled'" : ""
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT a.gateway_id, a.alert_id, a.shelter_id, a.phase, a.severity, a.status, a.raised_at,
                        a.updated_at, a.cancelled_at, a.last_event_id, a.acknowledged_by, a.acknowledged_at,
                        a.acknowledgement_note, e.body, e.received_at
                    FROM alerts a JOIN alert_events e ON e.seq = a.last_event_seq
                    \(filter) ORDER BY a.updated_at DESC LIMIT \(max(0, limit))
                    """), logger: logger)
        let decoder = RegistryJSON.makeDecoder()
        var listed: [ListedAlert] = []
        for try await row in rows {
            let columns = row.makeRandomAccess()
            func date(_ index: Int) throws -> Date? {
                try columns[index].decode(Double?.self).map(Date.init(timeIntervalSince1970:))
            }
            let state = AlertState(
                gatewayId: try columns[0].decode(String.self), alertId: try columns[1].decode(String.self),
                shelterId: try columns[2].decode(String.self),
                phase: AlertState.Phase(rawValue: try columns[3].decode(String.self)) ?? .raised,
                severity: try columns[4].decode(String.self), status: try columns[5].decode(String.self),
                raisedAt: try date(6) ?? .distantPast, updatedAt: try date(7) ?? .distantPast,
                cancelledAt: try date(8), lastEventId: try columns[9].decode(String.self),
                acknowledgedBy: try columns[10].decode(String?.self), acknowledgedAt: try date(11),
                acknowledgementNote: try columns[12].decode(String?.self))
            let event = try decoder.decode(AlertEvent.self, from: try columns[13].decode(Data.self))
            listed.append(
                ListedAlert(
                    state: state, latest: StoredAlertEvent(event: event, receivedAt: try date(14) ?? .distantPast)))
        }
        return listed
    }

    func lifecycleChanges(shelterId: String) async throws -> [LifecycleChangeEntry] {
        let rows = try await client.query(
            """
            SELECT state, is_drill, changed_by, changed_at FROM lifecycle_changes WHERE shelter_id = \(shelterId)
            ORDER BY seq
            """, logger: logger)
        var changes: [LifecycleChangeEntry] = []
        for try await (state, isDrill, by, at) in rows.decode((String, Bool, String, Double).self) {
            changes.append(
                LifecycleChangeEntry(
                    state: LifecycleState(rawValue: state) ?? .standby, isDrill: isDrill, changedBy: by,
                    changedAt: Date(timeIntervalSince1970: at)))
        }
        return changes
    }

    func heartbeats(gatewayIds: [String], since: Date, limit: Int) async throws -> [ReceivedHeartbeat] {
        guard !gatewayIds.isEmpty else { return [] }
        let at = since.timeIntervalSince1970
        let limit = Int64(max(0, limit))
        let rows = try await client.query(
            """
            SELECT body, received_at FROM heartbeats WHERE received_at >= \(at) AND gateway_id = ANY(\(gatewayIds))
            ORDER BY seq LIMIT \(limit)
            """, logger: logger)
        let decoder = RegistryJSON.makeDecoder()
        var beats: [ReceivedHeartbeat] = []
        for try await (body, receivedAt) in rows.decode((Data, Double).self) {
            beats.append(
                ReceivedHeartbeat(
                    heartbeat: try decoder.decode(HeartbeatRequest.self, from: body),
                    receivedAt: Date(timeIntervalSince1970: receivedAt)))
        }
        return beats
    }

    /// Notifies every registry instance on this database that the console's data changed (`NOTIFY`).
    func notifyConsole(_ kind: String) async throws {
        try await client.query("SELECT pg_notify('shelter_console', \(kind))", logger: logger)
    }

    private func receivedReports(_ query: PostgresQuery) async throws -> [ReceivedReport] {
        let decoder = RegistryJSON.makeDecoder()
        var reports: [ReceivedReport] = []
        for try await (body, receivedAt) in try await client.query(query, logger: logger).decode((Data, Double).self) {
            reports.append(
                ReceivedReport(
                    report: try decoder.decode(StatusReport.self, from: body),
                    receivedAt: Date(timeIntervalSince1970: receivedAt)))
        }
        return reports
    }
}
