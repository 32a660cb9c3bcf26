import Foundation
import HTTPClient
import HTTPTestSupport
import ShelterCore
import Testing
import ShelterTesting

/// The reference registry over real HTTPS on loopback, driven by the libcurl client with mutual TLS and a
/// pin; every body sent is validated against the OpenAPI document with `Scripts/validate-payloads`.
@Suite("shelter-registry protocol v1", .tags(.integration))
struct RegistryProtocolTests {
    @Test(
        "status reports are stored once: a re-sent batch is reported as duplicates and listed once",
        arguments: RegistryEngine.available)
    func statusBatchDeduplicates(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let client = try fixture.client()
        let path = RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId)
        let body = try Payloads.encode([Payloads.report(1), Payloads.report(2)])
        try await SchemaCheck.expectValid("--request", "postStatus", [body])

        let first = try await fixture.send(client, .post, path, json: body)
        #expect(first.status == 200)
        let firstResult = try Payloads.decode(BatchResult.self, first)
        #expect(firstResult.accepted == 2)
        #expect(firstResult.duplicates.isEmpty)

        let overlapping = try Payloads.encode([Payloads.report(2), Payloads.report(3)])
        let second = try await fixture.send(client, .post, path, json: overlapping)
        let secondResult = try Payloads.decode(BatchResult.self, second)
        #expect(secondResult.accepted == 1)
        #expect(secondResult.duplicates == ["rpt-gw-reference-01-2"])

        let listed = try await fixture.admin(client, .get, "/v1/admin/reports?shelterId=\(RegistryFixture.shelterId)")
        #expect(listed.status == 200)
        let reports = try Payloads.decode([StatusReport].self, listed)
        #expect(reports.map(\.sequence) == [1, 2, 3])
        #expect(reports.first == Payloads.report(1))
        try await SchemaCheck.expectValid("--request", "postStatus", [overlapping, listed.body])
    }

    @Test("alert events are stored once and listed in arrival order", arguments: RegistryEngine.available)
    func alertsDeduplicate(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let client = try fixture.client()
        let path = RegistryAPI.alertsPath(shelterId: RegistryFixture.shelterId)
        let raised = try Payloads.encode([Payloads.alert(10)])
        let updated = try Payloads.encode([Payloads.alert(10), Payloads.alert(11, msgType: .update)])
        try await SchemaCheck.expectValid("--request", "postAlerts", [raised, updated])

        #expect(try await fixture.send(client, .post, path, json: raised).status == 200)
        let again = try Payloads.decode(BatchResult.self, try await fixture.send(client, .post, path, json: updated))
        #expect(again.accepted == 1)
        #expect(again.duplicates == ["evt-10"])

        let alerts = try Payloads.decode([AlertEvent].self, try await fixture.admin(client, .get, "/v1/admin/alerts"))
        #expect(alerts.map(\.eventId) == ["evt-10", "evt-11"])
        #expect(alerts.map(\.alertId) == ["alr-C-01-1", "alr-C-01-1"])
        #expect(alerts.last?.references == ["evt-10"])
    }

    @Test(
        "heartbeat answers the lifecycle the operator set, the record version and the server time",
        arguments: RegistryEngine.available)
    func heartbeatCarriesLifecycle(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let gateway = try fixture.client()
        let operatorClient = try fixture.client("operator")
        let path = RegistryAPI.heartbeatPath(gatewayId: RegistryFixture.gatewayId)
        let body = try Payloads.encode(Payloads.heartbeat())
        try await SchemaCheck.expectValid("--request", "postHeartbeat", [body])

        let before = Date()
        let first = try Payloads.decode(
            HeartbeatResponse.self, try await fixture.send(gateway, .post, path, json: body))
        #expect(first.shelterId == RegistryFixture.shelterId)
        #expect(first.lifecycle == .standby)
        #expect(first.isDrill == false)
        let filed = try Payloads.decode(
            ShelterRecord.self,
            try await fixture.send(gateway, .get, RegistryAPI.recordPath(shelterId: RegistryFixture.shelterId)))
        #expect(first.recordVersion == filed.recordVersion)
        #expect(abs(first.serverTime.timeIntervalSince(before)) < 60)

        let change = try Payloads.encode(LifecycleChange(state: .activated, isDrill: true))
        try await SchemaCheck.expectValid("--request", "setLifecycle", [change])
        let set = try await fixture.send(
            operatorClient, .put, "/v1/admin/shelters/\(RegistryFixture.shelterId)/lifecycle", json: change)
        #expect(set.status == 200)
        #expect(try Payloads.decode(LifecycleStatus.self, set) == LifecycleStatus(state: .activated, isDrill: true))

        let second = try Payloads.decode(
            HeartbeatResponse.self, try await fixture.send(gateway, .post, path, json: body))
        #expect(second.lifecycle == .activated)
        #expect(second.isDrill)

        let heartbeats = try await fixture.admin(gateway, .get, "/v1/admin/heartbeats")
        struct Listed: Decodable { var receivedAt: Date; var heartbeat: HeartbeatRequest }
        let listed = try Payloads.decode([Listed].self, heartbeats)
        #expect(listed.count == 2)
        #expect(listed.first?.heartbeat == Payloads.heartbeat())
    }

    @Test(
        "record is served with an ETag of its content-derived version, 304 on If-None-Match, a new version after an update",
        arguments: RegistryEngine.available)
    func recordWithETag(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let client = try fixture.client()
        let path = RegistryAPI.recordPath(shelterId: RegistryFixture.shelterId)

        let first = try await fixture.send(client, .get, path)
        #expect(first.status == 200)
        var record = try Payloads.decode(ShelterRecord.self, first)
        #expect(record.id == RegistryFixture.shelterId)
        #expect(record.capacity == 2000)
        #expect(record.recordVersion > 1)  // derived from the content, not a counter starting at 1
        let etag = "\"v\(record.recordVersion)\""
        #expect(first.etag == etag)
        try await SchemaCheck.expectValid("--schema", "ShelterRecord", [first.body])

        let unchanged = try await fixture.send(client, .get, path, headers: [HTTPHeader("If-None-Match", etag)])
        #expect(unchanged.status == 304)
        #expect(unchanged.body.isEmpty)
        #expect(unchanged.newConnections == 0)  // the kept-alive connection was reused

        let firstVersion = record.recordVersion
        record.capacity = 2400
        let update = try await fixture.send(
            try fixture.client("operator"), .put, "/v1/admin/shelters/\(RegistryFixture.shelterId)/record",
            json: try Payloads.encode(record))
        #expect(update.status == 200)
        let updatedVersion = try Payloads.decode(ShelterRecord.self, update).recordVersion
        #expect(updatedVersion != firstVersion)
        #expect(update.etag == "\"v\(updatedVersion)\"")

        let changed = try await fixture.send(client, .get, path, headers: [HTTPHeader("If-None-Match", etag)])
        #expect(changed.status == 200)
        let updated = try Payloads.decode(ShelterRecord.self, changed)
        #expect(updated.capacity == 2400)
        #expect(updated.recordVersion == updatedVersion)

        // Filing the first content again gives the first version back: the version is the content's.
        record.capacity = 2000
        let back = try await fixture.send(
            try fixture.client("operator"), .put, "/v1/admin/shelters/\(RegistryFixture.shelterId)/record",
            json: try Payloads.encode(record))
        #expect(try Payloads.decode(ShelterRecord.self, back).recordVersion == firstVersion)
    }

    @Test("two registries holding the same record give it the same version; a different record another one")
    func recordVersionIsTheContents() async throws {
        let first = try await RegistryFixture()
        let second = try await RegistryFixture()
        let path = RegistryAPI.recordPath(shelterId: RegistryFixture.shelterId)
        let a = try Payloads.decode(ShelterRecord.self, try await first.send(try first.client(), .get, path))
        let b = try Payloads.decode(ShelterRecord.self, try await second.send(try second.client(), .get, path))
        #expect(a.recordVersion == b.recordVersion)
        var other = a
        other.name = "Another shelter"
        let changed = try await second.send(
            try second.operatorClient(), .put, "/v1/admin/shelters/\(RegistryFixture.shelterId)/record",
            json: try Payloads.encode(other))
        #expect(try Payloads.decode(ShelterRecord.self, changed).recordVersion != a.recordVersion)
    }

    @Test(
        "a shelter with no filed record answers 404 for its record, never a placeholder",
        arguments: RegistryEngine.available)
    func unfiledRecordIsNotFound(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let gateway = try fixture.client(RegistryFixture.otherGatewayId)
        let response = try await fixture.send(
            gateway, .get, RegistryAPI.recordPath(shelterId: RegistryFixture.otherShelterId))
        #expect(response.status == 404)
        let error = try Payloads.decode(ErrorBody.self, response)
        #expect(error.code == .notFound)
        #expect(error.message.contains("no filed record"))
        try await SchemaCheck.expectValid("--schema", "ErrorBody", [response.body])

        var heartbeat = Payloads.heartbeat(gatewayId: RegistryFixture.otherGatewayId)
        heartbeat.shelterId = RegistryFixture.otherShelterId
        let answer = try await fixture.send(
            gateway, .post, RegistryAPI.heartbeatPath(gatewayId: RegistryFixture.otherGatewayId),
            json: try Payloads.encode(heartbeat))
        #expect(answer.status == 200)
        #expect(try Payloads.decode(HeartbeatResponse.self, answer).recordVersion == 0)
    }

    @Test("the OpenAPI document served is the repository's")
    func servesOpenAPIDocument() async throws {
        let fixture = try await RegistryFixture()
        let response = try await fixture.send(try fixture.client(), .get, "/openapi.json")
        #expect(response.status == 200)
        let file = try Data(
            contentsOf: URL(fileURLWithPath: repositoryRoot + "/Sources/shelter-registry/Resources/openapi.json"))
        #expect(Data(response.body) == file)
        let document = try JSONSerialization.jsonObject(with: file) as? [String: Any]
        #expect(document?["openapi"] as? String == "3.1.0")
    }

    @Test("everything received is captured and validates against the OpenAPI document")
    func capturedBodiesValidate() async throws {
        let captureDirectory = try makeTemporaryDirectory(prefix: "capture")
        let fixture = try await RegistryFixture(extraArguments: ["--capture-dir", captureDirectory])
        let client = try fixture.client()
        _ = try await fixture.send(
            client, .post, RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId),
            json: try Payloads.encode([Payloads.report(1)]))
        _ = try await fixture.send(
            client, .post, RegistryAPI.alertsPath(shelterId: RegistryFixture.shelterId),
            json: try Payloads.encode([Payloads.alert(20)]))
        _ = try await fixture.send(
            client, .post, RegistryAPI.heartbeatPath(gatewayId: RegistryFixture.gatewayId),
            json: try Payloads.encode(Payloads.heartbeat()))
        let files = try FileManager.default.contentsOfDirectory(atPath: captureDirectory).sorted()
        #expect(files == ["000001.postStatus.json", "000002.postAlerts.json", "000003.postHeartbeat.json"])
        let result = try await SchemaCheck.validateCapture(captureDirectory)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("3 valid, 0 invalid"))
    }
}
