import Foundation
import SQLite
import ShelterCore

extension SQLiteRegistryStore: ConsoleStore {
    func saveOperator(_ account: OperatorAccount) throws {
        let statement = try database.prepare(
            """
            INSERT INTO operators (name, role, password_hash, failed_attempts, locked_until) VALUES (?, ?, ?, 0, NULL)
            ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash,
                failed_attempts = 0, locked_until = NULL
            """)
        try statement.bind(account.name, at: 1)
        try statement.bind(account.role.rawValue, at: 2)
        try statement.bind(account.passwordHash, at: 3)
        try statement.run()
    }

    func operatorAccount(_ name: String) throws -> OperatorAccount? {
        let statement = try database.prepare(
            "SELECT role, password_hash, failed_attempts, locked_until FROM operators WHERE name = ?")
        try statement.bind(name, at: 1)
        guard try statement.step() else { return nil }
        return OperatorAccount(
            name: name, role: OperatorRole(rawValue: statement.text(at: 0) ?? "") ?? .viewer,
            passwordHash: statement.text(at: 1) ?? "", failedAttempts: Int(statement.int64(at: 2)),
            lockedUntil: statement.isNull(at: 3) ? nil : Date(timeIntervalSince1970: statement.double(at: 3)))
    }

    func recordFailedSignIn(_ name: String, limit: Int, lockout: TimeInterval, at now: Date) throws -> OperatorAccount?
    {
        let statement = try database.prepare(
            """
            UPDATE operators SET failed_attempts = failed_attempts + 1,
                locked_until = CASE WHEN failed_attempts + 1 >= ?1 THEN ?2 ELSE locked_until END
            WHERE name = ?3
            """)
        try statement.bind(Int64(limit), at: 1)
        try statement.bind(now.timeIntervalSince1970 + lockout, at: 2)
        try statement.bind(name, at: 3)
        try statement.run()
        return try operatorAccount(name)
    }

    func recordSignIn(_ name: String, at now: Date) throws {
        let statement = try database.prepare(
            "UPDATE operators SET failed_attempts = 0, locked_until = NULL WHERE name = ?")
        try statement.bind(name, at: 1)
        try statement.run()
    }

    func createSession(_ session: ConsoleSession) throws {
        let statement = try database.prepare(
            """
            INSERT INTO console_sessions (token_hash, operator_name, role, csrf_token, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        try statement.bind(session.tokenHash, at: 1)
        try statement.bind(session.operatorName, at: 2)
        try statement.bind(session.role.rawValue, at: 3)
        try statement.bind(session.csrfToken, at: 4)
        try statement.bind(session.createdAt.timeIntervalSince1970, at: 5)
        try statement.bind(session.expiresAt.timeIntervalSince1970, at: 6)
        try statement.run()
    }

    func session(tokenHash: String, at now: Date) throws -> ConsoleSession? {
        let statement = try database.prepare(
            """
            SELECT operator_name, role, csrf_token, created_at, expires_at FROM console_sessions
            WHERE token_hash = ? AND expires_at > ?
            """)
        try statement.bind(tokenHash, at: 1)
        try statement.bind(now.timeIntervalSince1970, at: 2)
        guard try statement.step() else { return nil }
        return ConsoleSession(
            tokenHash: tokenHash, operatorName: statement.text(at: 0) ?? "",
            role: OperatorRole(rawValue: statement.text(at: 1) ?? "") ?? .viewer,
            csrfToken: statement.text(at: 2) ?? "",
            createdAt: Date(timeIntervalSince1970: statement.double(at: 3)),
            expiresAt: Date(timeIntervalSince1970: statement.double(at: 4)))
    }

    func deleteSession(tokenHash: String) throws {
        let statement = try database.prepare("DELETE FROM console_sessions WHERE token_hash = ?")
        try statement.bind(tokenHash, at: 1)
        try statement.run()
    }

    func recordAct(_ act: ConsoleAct) throws {
        let statement = try database.prepare(
            "INSERT INTO console_acts (kind, actor, shelter_id, detail, at) VALUES (?, ?, ?, ?, ?)")
        try statement.bind(act.kind, at: 1)
        try statement.bind(act.actor, at: 2)
        try statement.bind(act.shelterId, at: 3)
        try statement.bind(act.detail, at: 4)
        try statement.bind(act.at.timeIntervalSince1970, at: 5)
        try statement.run()
    }

    func acts(shelterId: String?, limit: Int) throws -> [ConsoleAct] {
        let filter = shelterId == nil ? "" : "WHERE shelter_id = ?"
        let statement = try database.prepare(
            "SELECT kind, actor, shelter_id, detail, at FROM console_acts \(filter) ORDER BY seq DESC LIMIT \(max(0, limit))"
        )
        if let shelterId { try statement.bind(shelterId, at: 1) }
        var acts: [ConsoleAct] = []
        while try statement.step() {
            acts.append(
                ConsoleAct(
                    kind: statement.text(at: 0) ?? "", actor: statement.text(at: 1) ?? "",
                    shelterId: statement.text(at: 2) ?? "", detail: statement.text(at: 3) ?? "",
                    at: Date(timeIntervalSince1970: statement.double(at: 4))))
        }
        return acts
    }

    func allShelters() throws -> [StoredShelter] {
        let statement = try database.prepare("SELECT shelter_id FROM shelters ORDER BY shelter_id")
        var ids: [String] = []
        while try statement.step() { ids.append(statement.text(at: 0) ?? "") }
        return try ids.compactMap { try shelter($0) }
    }

    func gatewayLinks() throws -> [GatewayLink] {
        let statement = try database.prepare(
            "SELECT gateway_id, shelter_id, last_heartbeat_at, agent_version FROM gateways ORDER BY gateway_id")
        var links: [GatewayLink] = []
        while try statement.step() {
            links.append(
                GatewayLink(
                    gatewayId: statement.text(at: 0) ?? "", shelterId: statement.text(at: 1) ?? "",
                    lastHeartbeatAt: statement.isNull(at: 2)
                        ? nil : Date(timeIntervalSince1970: statement.double(at: 2)),
                    agentVersion: statement.text(at: 3)))
        }
        return links
    }

    func latestReports() throws -> [ReceivedReport] {
        try receivedReports(
            "WHERE seq IN (SELECT MAX(seq) FROM reports GROUP BY shelter_id) ORDER BY shelter_id", bind: { _ in })
    }

    func reports(shelterId: String, observedIn period: ClosedRange<Date>, limit: Int) throws -> [ReceivedReport] {
        let newest = try receivedReports(
            "WHERE shelter_id = ? AND observed_at >= ? AND observed_at <= ? ORDER BY observed_at DESC LIMIT \(max(0, limit))"
        ) { statement in
            try statement.bind(shelterId, at: 1)
            try statement.bind(period.lowerBound.timeIntervalSince1970, at: 2)
            try statement.bind(period.upperBound.timeIntervalSince1970, at: 3)
        }
        return newest.reversed()
    }

    func alertListing(openOnly: Bool, limit: Int) throws -> [ListedAlert] {
        let filter = openOnly ? "WHERE alerts.phase <> 'cancelled'" : ""
        let statement = try database.prepare(
            """
            SELECT alerts.gateway_id, alerts.alert_id, alerts.shelter_id, alerts.phase, alerts.severity, alerts.status,
                alerts.raised_at, alerts.updated_at, alerts.cancelled_at, alerts.last_event_id, alerts.acknowledged_by,
                alerts.acknowledged_at, alerts.acknowledgement_note, alert_events.body, alert_events.received_at
            FROM alerts JOIN alert_events ON alert_events.seq = alerts.last_event_seq
            \(filter) ORDER BY alerts.updated_at DESC LIMIT \(max(0, limit))
            """)
        var listed: [ListedAlert] = []
        while try statement.step() {
            func date(_ column: Int32) -> Date? {
                statement.isNull(at: column) ? nil : Date(timeIntervalSince1970: statement.double(at: column))
            }
            let state = AlertState(
                gatewayId: statement.text(at: 0) ?? "", alertId: statement.text(at: 1) ?? "",
                shelterId: statement.text(at: 2) ?? "",
                phase: AlertState.Phase(rawValue: statement.text(at: 3) ?? "") ?? .raised,
                severity: statement.text(at: 4) ?? "", status: statement.text(at: 5) ?? "",
                raisedAt: date(6) ?? .distantPast, updatedAt: date(7) ?? .distantPast, cancelledAt: date(8),
                lastEventId: statement.text(at: 9) ?? "", acknowledgedBy: statement.text(at: 10),
                acknowledgedAt: date(11), acknowledgementNote: statement.text(at: 12))
            let event = try RegistryJSON.makeDecoder().decode(AlertEvent.self, from: Data(statement.blob(at: 13)))
            listed.append(
                ListedAlert(state: state, latest: StoredAlertEvent(event: event, receivedAt: date(14) ?? .distantPast)))
        }
        return listed
    }

    func lifecycleChanges(shelterId: String) throws -> [LifecycleChangeEntry] {
        let statement = try database.prepare(
            "SELECT state, is_drill, changed_by, changed_at FROM lifecycle_changes WHERE shelter_id = ? ORDER BY seq")
        try statement.bind(shelterId, at: 1)
        var changes: [LifecycleChangeEntry] = []
        while try statement.step() {
            changes.append(
                LifecycleChangeEntry(
                    state: LifecycleState(rawValue: statement.text(at: 0) ?? "") ?? .standby,
                    isDrill: statement.int64(at: 1) != 0, changedBy: statement.text(at: 2) ?? "",
                    changedAt: Date(timeIntervalSince1970: statement.double(at: 3))))
        }
        return changes
    }

    func heartbeats(gatewayIds: [String], since: Date, limit: Int) throws -> [ReceivedHeartbeat] {
        guard !gatewayIds.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: gatewayIds.count).joined(separator: ", ")
        let statement = try database.prepare(
            """
            SELECT body, received_at FROM heartbeats WHERE received_at >= ? AND gateway_id IN (\(marks))
            ORDER BY seq LIMIT \(max(0, limit))
            """)
        try statement.bind(since.timeIntervalSince1970, at: 1)
        for (index, gateway) in gatewayIds.enumerated() { try statement.bind(gateway, at: Int32(index + 2)) }
        var beats: [ReceivedHeartbeat] = []
        while try statement.step() {
            beats.append(
                ReceivedHeartbeat(
                    heartbeat: try RegistryJSON.makeDecoder().decode(
                        HeartbeatRequest.self, from: Data(statement.blob(at: 0))),
                    receivedAt: Date(timeIntervalSince1970: statement.double(at: 1))))
        }
        return beats
    }

    private func receivedReports(
        _ clause: String, bind: (SQLiteStatement) throws -> Void
    ) throws -> [ReceivedReport] {
        let statement = try database.prepare("SELECT body, received_at FROM reports \(clause)")
        try bind(statement)
        var reports: [ReceivedReport] = []
        let decoder = RegistryJSON.makeDecoder()
        while try statement.step() {
            reports.append(
                ReceivedReport(
                    report: try decoder.decode(StatusReport.self, from: Data(statement.blob(at: 0))),
                    receivedAt: Date(timeIntervalSince1970: statement.double(at: 1))))
        }
        return reports
    }
}
