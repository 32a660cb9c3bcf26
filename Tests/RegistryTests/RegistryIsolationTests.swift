import Foundation
import HTTPClient
import HTTPTestSupport
import ShelterCore
import ShelterTesting
import Testing

/// One gateway can never write or read another shelter's data, nor suppress its payloads; the admin token
/// never works with a gateway's certificate; idle connections are closed and bodies capped (issue 12 items 5
/// and 9).
@Suite("shelter-registry isolation and bounds", .tags(.integration))
struct RegistryIsolationTests {
    @Test(
        "another gateway posting the same event and report ids first does not suppress this gateway's",
        arguments: RegistryEngine.available)
    func deduplicationIsPerGateway(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let intruder = try fixture.client(RegistryFixture.otherGatewayId)
        let owner = try fixture.client()
        let other = (shelterId: RegistryFixture.otherShelterId, gatewayId: RegistryFixture.otherGatewayId)

        // The other gateway uses the ids the owner will use next, for its own shelter.
        let stolenAlert = try await fixture.send(
            intruder, .post, RegistryAPI.alertsPath(shelterId: other.shelterId),
            json: try Payloads.encode([Payloads.alert(10, shelterId: other.shelterId, gatewayId: other.gatewayId)]))
        #expect(try Payloads.decode(BatchResult.self, stolenAlert).accepted == 1)
        let stolenReport = try await fixture.send(
            intruder, .post, RegistryAPI.statusPath(shelterId: other.shelterId),
            json: try Payloads.encode([Payloads.report(1, shelterId: other.shelterId, gatewayId: other.gatewayId)]))
        #expect(try Payloads.decode(BatchResult.self, stolenReport).accepted == 1)

        var report = Payloads.report(1)
        report.reportId = "rpt-\(other.gatewayId)-1"  // the very id the intruder used
        let alert = try await fixture.send(
            owner, .post, RegistryAPI.alertsPath(shelterId: RegistryFixture.shelterId),
            json: try Payloads.encode([Payloads.alert(10)]))
        let alertResult = try Payloads.decode(BatchResult.self, alert)
        #expect(alertResult.accepted == 1)
        #expect(alertResult.duplicates.isEmpty)
        let status = try await fixture.send(
            owner, .post, RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId),
            json: try Payloads.encode([report]))
        #expect(try Payloads.decode(BatchResult.self, status).accepted == 1)

        let alerts = try Payloads.decode(
            [AlertEvent].self,
            try await fixture.admin(owner, .get, "/v1/admin/alerts?shelterId=\(RegistryFixture.shelterId)"))
        #expect(alerts.map(\.gatewayId) == [RegistryFixture.gatewayId])
        let reports = try Payloads.decode(
            [StatusReport].self,
            try await fixture.admin(owner, .get, "/v1/admin/reports?shelterId=\(RegistryFixture.shelterId)"))
        #expect(reports == [report])
    }

    @Test("a gateway can neither read nor write another shelter's data", arguments: RegistryEngine.available)
    func gatewayCannotReachOtherShelter(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let gateway = try fixture.client()
        let other = RegistryFixture.otherShelterId
        let attempts: [(HTTPMethod, String, [UInt8]?)] = [
            (.get, RegistryAPI.recordPath(shelterId: other), nil),
            (
                .post, RegistryAPI.statusPath(shelterId: other),
                try Payloads.encode([Payloads.report(1, shelterId: other)])
            ),
            (
                .post, RegistryAPI.alertsPath(shelterId: other),
                try Payloads.encode([Payloads.alert(1, shelterId: other)])
            ),
            (
                .post, RegistryAPI.heartbeatPath(gatewayId: RegistryFixture.otherGatewayId),
                try Payloads.encode(Payloads.heartbeat(gatewayId: RegistryFixture.otherGatewayId))
            ),
            (.get, "/v1/admin/reports?shelterId=\(other)", nil),
            (.get, "/v1/admin/alerts", nil),
            (.get, "/v1/cap/feed.atom", nil),
            (.get, "/v1/cap/evt-1.xml", nil),
            (.put, "/v1/admin/shelters/\(other)/lifecycle", try Payloads.encode(LifecycleChange(state: .activated))),
        ]
        for (method, path, body) in attempts {
            let response = try await fixture.send(gateway, method, path, json: body)
            #expect(response.status == 403, "\(method) \(path) answered \(response.status)")
        }
        // Nothing reached the other shelter.
        let reports = try Payloads.decode(
            [StatusReport].self, try await fixture.admin(gateway, .get, "/v1/admin/reports?shelterId=\(other)"))
        #expect(reports.isEmpty)
    }

    @Test("the admin token is refused with a gateway's certificate, accepted with a certificate that names none")
    func adminTokenNeedsNonGatewayCertificate() async throws {
        let fixture = try await RegistryFixture()
        let withGateway = try await fixture.adminWithToken(try fixture.client(), .get, "/v1/admin/alerts")
        #expect(withGateway.status == 403)
        #expect(try Payloads.decode(ErrorBody.self, withGateway).message.contains("gateway"))
        let change = try Payloads.encode(LifecycleChange(state: .activated))
        let lifecycle = try await fixture.adminWithToken(
            try fixture.client(RegistryFixture.otherGatewayId), .put,
            "/v1/admin/shelters/\(RegistryFixture.otherShelterId)/lifecycle", json: change)
        #expect(lifecycle.status == 403)
        // gw-reference-02 is not a registered gateway: its certificate with the token is an operator's script.
        let unregistered = try await fixture.adminWithToken(
            try fixture.client("gw-reference-02"), .get, "/v1/admin/alerts")
        #expect(unregistered.status == 200)
    }

    @Test("an idle connection is closed after --idle-timeout-seconds; the next request opens a new one")
    func idleConnectionsAreClosed() async throws {
        // (That a connection is kept alive between requests within the timeout, the ETag test shows.)
        let fixture = try await RegistryFixture(extraArguments: ["--idle-timeout-seconds", "1"])
        let client = try fixture.client()
        let path = RegistryAPI.recordPath(shelterId: RegistryFixture.shelterId)
        #expect(try await fixture.send(client, .get, path).newConnections == 1)
        try await Task.sleep(for: .seconds(4))
        #expect(try await fixture.send(client, .get, path).newConnections == 1)
    }

    @Test("a body over the limit is refused with 413 and nothing is stored")
    func oversizedBodyRefused() async throws {
        let fixture = try await RegistryFixture()
        var body = Array("[".utf8)
        body += Array(repeating: UInt8(ascii: " "), count: RegistryAPI.maximumBodySize + 1)
        body += Array("]".utf8)
        let response = try await fixture.send(
            try fixture.client(), .post, RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId), json: body)
        #expect(response.status == 413)
        #expect(try Payloads.decode(ErrorBody.self, response).code == .tooLarge)
    }
}
