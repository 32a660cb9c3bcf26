import Foundation
import HTTPClient
import HTTPTestSupport
import SQLite
import ShelterCore
import ShelterTesting
import Testing

@testable import shelter_registry

/// What the store keeps and for how long (issue 14 item 3): periodic retention that never deletes what an open
/// alert refers to, one statement per batch that still de-duplicates within the batch, and on PostgreSQL the
/// month partitions of the status reports with their indexes.
@Suite("shelter-registry storage: retention, batches, partitions", .tags(.integration))
struct RegistryStorageTests {
    @Test(
        "periodic retention deletes old heartbeats, reports and closed alerts, never what an open alert refers to",
        arguments: RegistryEngine.available)
    func periodicRetentionKeepsOpenAlerts(engine: RegistryEngine) async throws {
        // 3 s of retention (days, fractions allowed), a pass every 0.2 s.
        let fixture = try await RegistryFixture(
            engine: engine,
            extraArguments: ["--retention-days", String(3.0 / 86_400), "--maintenance-interval-seconds", "0.2"])
        let client = try fixture.client()
        let statusPath = RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId)
        let alertsPath = RegistryAPI.alertsPath(shelterId: RegistryFixture.shelterId)
        let heartbeatPath = RegistryAPI.heartbeatPath(gatewayId: RegistryFixture.gatewayId)
        let heartbeat = try Payloads.encode(Payloads.heartbeat())

        // Before the alert: a report no alert refers to.
        #expect(
            try await fixture.send(client, .post, statusPath, json: Payloads.encode([Payloads.report(1)])).status == 200
        )
        // Alert 1 stays open; alert 2 is raised and cancelled.
        for event in [Payloads.alert(10), Payloads.alert(20), Payloads.alert(21, msgType: .cancel)] {
            #expect(try await fixture.send(client, .post, alertsPath, json: Payloads.encode([event])).status == 200)
        }
        // After the open alert was raised: a report it refers to.
        #expect(
            try await fixture.send(client, .post, statusPath, json: Payloads.encode([Payloads.report(2)])).status == 200
        )
        // The last write: once retention has deleted this heartbeat, a pass has run with a cutoff later than
        // everything above, so whatever is still listed was kept on purpose.
        #expect(try await fixture.send(client, .post, heartbeatPath, json: heartbeat).status == 200)

        let operatorClient = try fixture.operatorClient()
        let pruned = try await eventually(timeout: .seconds(60)) {
            let listed = try await fixture.send(operatorClient, .get, "/v1/admin/heartbeats")
            return listed.status == 200 && listed.body == Array("[]".utf8)
        }
        #expect(pruned, "retention never deleted the heartbeat")

        let reports = try Payloads.decode(
            [StatusReport].self, try await fixture.send(operatorClient, .get, "/v1/admin/reports"))
        #expect(reports.map(\.sequence) == [2])
        let alerts = try Payloads.decode(
            [AlertEvent].self, try await fixture.send(operatorClient, .get, "/v1/admin/alerts"))
        #expect(alerts.map(\.eventId) == ["evt-10"])
        let open = try await fixture.send(
            operatorClient, .get, "/v1/admin/alerts/\(RegistryFixture.gatewayId)/alr-C-01-1")
        #expect(open.status == 200)
        let cancelled = try await fixture.send(
            operatorClient, .get, "/v1/admin/alerts/\(RegistryFixture.gatewayId)/alr-C-01-2")
        #expect(cancelled.status == 404)
    }

    @Test(
        "reports and alert events are stored as the gateway sent each, without insignificant whitespace",
        arguments: RegistryEngine.available)
    func storedAsSent(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let client = try fixture.client()
        let pretty = RegistryJSON.makeEncoder()
        pretty.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let compact = RegistryJSON.makeEncoder()
        let reports = [Payloads.report(1), Payloads.report(2)]
        let alerts = [Payloads.alert(10)]
        let statusPath = RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId)
        let alertsPath = RegistryAPI.alertsPath(shelterId: RegistryFixture.shelterId)
        #expect(try await fixture.send(client, .post, statusPath, json: Array(pretty.encode(reports))).status == 200)
        #expect(try await fixture.send(client, .post, alertsPath, json: Array(pretty.encode(alerts))).status == 200)

        let storedReports = try await fixture.admin(client, .get, "/v1/admin/reports")
        #expect(
            String(decoding: storedReports.body, as: UTF8.self)
                == String(decoding: try compact.encode(reports), as: UTF8.self))
        #expect(try Payloads.decode([StatusReport].self, storedReports) == reports)
        let storedAlerts = try await fixture.admin(client, .get, "/v1/admin/alerts")
        #expect(
            String(decoding: storedAlerts.body, as: UTF8.self)
                == String(decoding: try compact.encode(alerts), as: UTF8.self))
        #expect(try Payloads.decode([AlertEvent].self, storedAlerts) == alerts)
    }

    @Test(
        "a report or alert event with a key the protocol does not define is accepted and stored without it",
        arguments: RegistryEngine.available)
    func undefinedKeyStoredCanonically(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let client = try fixture.client()
        let report = String(decoding: try Payloads.encode(Payloads.report(1)), as: UTF8.self)
        let alert = String(decoding: try Payloads.encode(Payloads.alert(10)), as: UTF8.self)
        let statusPath = RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId)
        let alertsPath = RegistryAPI.alertsPath(shelterId: RegistryFixture.shelterId)
        // As before the registry stored what it sent as sent: the decoder ignores the key, the store drops it.
        let extraReport = report.replacingOccurrences(of: #""quality":"good""#, with: #""quality":"good","x":1"#)
        let extraAlert = "{\"note\" : \"x\"," + alert.dropFirst()
        #expect(extraReport != report)
        #expect(try await fixture.send(client, .post, statusPath, json: Array("[\(extraReport)]".utf8)).status == 200)
        #expect(try await fixture.send(client, .post, alertsPath, json: Array("[\(extraAlert)]".utf8)).status == 200)

        let storedReports = try await fixture.admin(client, .get, "/v1/admin/reports")
        #expect(String(decoding: storedReports.body, as: UTF8.self) == "[\(report)]")
        let storedAlerts = try await fixture.admin(client, .get, "/v1/admin/alerts")
        #expect(String(decoding: storedAlerts.body, as: UTF8.self) == "[\(alert)]")
    }

    @Test("SQLite: every commit but a heartbeat's waits for the disk, so an answered report survives power loss")
    func sqliteCommitsAreDurable() async throws {
        let directory = try makeTemporaryDirectory(prefix: "durable")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteRegistryStore(path: directory + "/registry.sqlite")
        // PRAGMA synchronous: 1 NORMAL (durable only after the next checkpoint), 2 FULL (each commit fsyncs).
        #expect(try await store.synchronous() == 2)
        let answer = try await store.store(
            heartbeat: Payloads.heartbeat(), shelterId: RegistryFixture.shelterId, at: Date())
        #expect(answer == nil)  // no filed shelter in this database
        #expect(try await store.synchronous() == 2)
        let received = Received(payload: Payloads.report(1), body: try Payloads.encode(Payloads.report(1)))
        let result = try await store.store(reports: [received], gatewayId: RegistryFixture.gatewayId, at: Date())
        #expect(result.accepted == 1)
        #expect(try await store.synchronous() == 2)
    }

    @Test(
        "a batch holding one report twice stores it once and names the second as a duplicate",
        arguments: RegistryEngine.available)
    func duplicateWithinBatch(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let client = try fixture.client()
        let path = RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId)
        let body = try Payloads.encode([Payloads.report(1), Payloads.report(2), Payloads.report(1)])
        let result = try Payloads.decode(BatchResult.self, try await fixture.send(client, .post, path, json: body))
        #expect(result.accepted == 2)
        #expect(result.duplicates == ["rpt-gw-reference-01-1"])
        let reports = try Payloads.decode(
            [StatusReport].self, try await fixture.admin(client, .get, "/v1/admin/reports"))
        #expect(reports.map(\.sequence) == [1, 2])
    }

    @Test(
        "PostgreSQL: reports land in month partitions made ahead, and both bureau queries stay indexed",
        .enabled(if: RegistryEngine.available.contains(.postgres)))
    func monthPartitions() async throws {
        let fixture = try await RegistryFixture(engine: .postgres)
        let client = try fixture.client()
        let path = RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId)
        var now = Payloads.report(1)
        now.observedAt = Date()
        var farAhead = Payloads.report(2)
        farAhead.observedAt = Date().addingTimeInterval(400 * 86_400)  // a gateway clock a year ahead
        let body = try Payloads.encode([now, farAhead])
        #expect(
            try Payloads.decode(BatchResult.self, try await fixture.send(client, .post, path, json: body)).accepted == 2
        )
        // Re-sent in another batch: still a duplicate (the partition key is the report's own time).
        let again = try Payloads.decode(BatchResult.self, try await fixture.send(client, .post, path, json: body))
        #expect(again.accepted == 0)

        let partitions = try await Psql.lines(
            fixture.database,
            """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'reports'::regclass ORDER BY c.relname
            """)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let expected = (0...3).map { offset -> String in
            let month = calendar.date(byAdding: .month, value: offset, to: Date())!
            let parts = calendar.dateComponents([.year, .month], from: month)
            return "reports_y\(parts.year!)m" + (parts.month! < 10 ? "0" : "") + "\(parts.month!)"
        }
        #expect(Set(partitions).isSuperset(of: expected + ["reports_default"]), "\(partitions)")
        let placed = try await Psql.lines(
            fixture.database, "SELECT tableoid::regclass::text || ' ' || sequence FROM reports ORDER BY sequence")
        #expect(placed == ["\(expected[0]) 1", "reports_default 2"])

        // History of one shelter and its latest report: index scans on every partition, never a sequential scan.
        for query in [
            "SELECT body FROM reports WHERE shelter_id = 'SMX-HB-0007' AND observed_at >= 0 ORDER BY observed_at",
            "SELECT body FROM reports WHERE shelter_id = 'SMX-HB-0007' ORDER BY observed_at DESC LIMIT 1",
        ] {
            let plan = try await Psql.lines(fixture.database, "SET enable_seqscan = off; EXPLAIN \(query)")
                .joined(separator: "\n")
            #expect(plan.contains("Index"), "\(plan)")
            #expect(!plan.contains("Seq Scan"), "\(plan)")
        }
    }
}

/// `psql` against a test database: unaligned, tuples only, one line per row.
enum Psql {
    static func lines(_ database: String, _ sql: String) async throws -> [String] {
        let process = try ChildProcess(
            executable: "/usr/bin/env", arguments: ["psql", database, "-v", "ON_ERROR_STOP=1", "-qAtc", sql])
        let status = await process.waitForExit()
        guard status == 0 else {
            throw TestFailure("psql failed (\(status)): \(process.output.joined(separator: "\n"))")
        }
        return process.output.filter { !$0.isEmpty }
    }
}

extension SQLiteRegistryStore {
    /// `PRAGMA synchronous` of the store's connection: 1 NORMAL, 2 FULL.
    fileprivate func synchronous() throws -> Int64? { try database.scalarInt64("PRAGMA synchronous") }
}
