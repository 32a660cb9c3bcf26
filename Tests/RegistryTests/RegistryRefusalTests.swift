import Foundation
import HTTPClient
import HTTPTestSupport
import ShelterCore
import Testing
import ShelterTesting

/// What the registry refuses, and how: unknown gateways, other shelters, malformed bodies, admin without
/// rights, and TLS without a (valid) client certificate.
@Suite("shelter-registry refusals", .tags(.integration))
struct RegistryRefusalTests {
    @Test("an unknown gateway (valid certificate, no mapping) is refused with 403", arguments: RegistryEngine.available)
    func unknownGatewayRefused(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let response = try await fixture.send(
            try fixture.client("gw-reference-02"), .post,
            RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId),
            json: try Payloads.encode([Payloads.report(1)]))
        #expect(response.status == 403)
        let error = try Payloads.decode(ErrorBody.self, response)
        #expect(error.code == .forbidden)
        #expect(error.message.contains("gw-reference-02"))
        try await SchemaCheck.expectValid("--schema", "ErrorBody", [response.body])
    }

    @Test("a gateway posting for another shelter is refused with 403", arguments: RegistryEngine.available)
    func otherShelterRefused(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let response = try await fixture.send(
            try fixture.client(), .post, RegistryAPI.statusPath(shelterId: "SMX-HB-0099"),
            json: try Payloads.encode([Payloads.report(1, shelterId: "SMX-HB-0099")]))
        #expect(response.status == 403)
    }

    @Test(
        "a malformed batch is refused whole with 400 and every problem's path; nothing is stored",
        arguments: RegistryEngine.available)
    func malformedBatchRefused(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let client = try fixture.client()
        var badSequence = Payloads.report(2)
        badSequence.sequence = 0
        let wrongGateway = Payloads.report(3, gatewayId: "gw-someone-else")
        let body = try Payloads.encode([Payloads.report(1), badSequence, wrongGateway])
        // The schema check agrees that sequence 0 is invalid, so the contract and the registry match.
        await #expect(try await SchemaCheck.validate("--request", "postStatus", bodies: [body]).status == 1)

        let response = try await fixture.send(
            client, .post, RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId), json: body)
        #expect(response.status == 400)
        let error = try Payloads.decode(ErrorBody.self, response)
        #expect(error.code == .invalidBody)
        #expect(error.issues.map(\.path) == ["[1].sequence", "[2].gatewayId"])
        try await SchemaCheck.expectValid("--schema", "ErrorBody", [response.body])

        let stored = try Payloads.decode(
            [StatusReport].self, try await fixture.admin(client, .get, "/v1/admin/reports"))
        #expect(stored.isEmpty)
    }

    @Test(
        "a batch with a duplicate key, at any depth or escaped, is refused with 400 and each path; nothing is stored",
        arguments: RegistryEngine.available)
    func duplicateKeyRefused(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let client = try fixture.client()
        func text(_ report: StatusReport) throws -> String {
            String(decoding: try Payloads.encode(report), as: UTF8.self)
        }
        func replacingFirst(_ text: String, _ old: String, _ new: String) -> String {
            guard let range = text.range(of: old) else { Issue.record("no \(old) in \(text)"); return text }
            return text.replacingCharacters(in: range, with: new)
        }
        // Report 2 names its sequence twice (the second time as "\u0073equence"), report 3 a reading's quality.
        let second = replacingFirst(try text(Payloads.report(2)), #""sequence":2"#, #""sequence":2,"\u0073equence":9"#)
        let third = replacingFirst(
            try text(Payloads.report(3)), #""quality":"good""#, #""quality":"good","quality":"bad""#)
        let body = Array("[\(try text(Payloads.report(1))),\(second),\(third)]".utf8)
        #expect(try JSONDecoder().decode([AnyDecodable].self, from: Data(body)).count == 3, "the body is JSON")

        let response = try await fixture.send(
            client, .post, RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId), json: body)
        #expect(response.status == 400)
        let error = try Payloads.decode(ErrorBody.self, response)
        #expect(error.code == .invalidBody)
        #expect(error.issues.map(\.path) == ["[1].sequence", "[2].readings[0].quality"])
        #expect(error.issues.first?.message.contains("duplicate key") == true)
        try await SchemaCheck.expectValid("--schema", "ErrorBody", [response.body])

        var alert = String(decoding: try Payloads.encode([Payloads.alert(10)]), as: UTF8.self)
        alert = replacingFirst(alert, #""eventId":"evt-10""#, #""eventId":"evt-10","eventId":"evt-11""#)
        let refusedAlert = try await fixture.send(
            client, .post, RegistryAPI.alertsPath(shelterId: RegistryFixture.shelterId), json: Array(alert.utf8))
        #expect(refusedAlert.status == 400)
        #expect(try Payloads.decode(ErrorBody.self, refusedAlert).issues.map(\.path) == ["[0].eventId"])

        let stored = try Payloads.decode(
            [StatusReport].self, try await fixture.admin(client, .get, "/v1/admin/reports"))
        #expect(stored.isEmpty)
        let storedAlerts = try Payloads.decode(
            [AlertEvent].self, try await fixture.admin(client, .get, "/v1/admin/alerts"))
        #expect(storedAlerts.isEmpty)
    }

    @Test("a body missing a required key is refused with 400 naming the key", arguments: RegistryEngine.available)
    func missingKeyRefused(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let response = try await fixture.send(
            try fixture.client(), .post, RegistryAPI.heartbeatPath(gatewayId: RegistryFixture.gatewayId),
            json: Array(#"{"gatewayId":"gw-reference-01","shelterId":"SMX-HB-0007"}"#.utf8))
        #expect(response.status == 400)
        let error = try Payloads.decode(ErrorBody.self, response)
        #expect(error.issues.first?.path == "agentVersion")
        #expect(error.issues.first?.message == "is required")
    }

    @Test(
        "a body that is not JSON content is refused with 415, and non-JSON bytes with 400",
        arguments: RegistryEngine.available)
    func contentTypeAndSyntaxRefused(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let client = try fixture.client()
        let path = RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId)
        let plain = try await client.send(
            HTTPRequest(
                method: .post, url: fixture.registry.url(path), headers: [HTTPHeader("Content-Type", "text/plain")],
                body: Array("hello".utf8)))
        #expect(plain.status == 415)
        let garbage = try await fixture.send(client, .post, path, json: Array("[{".utf8))
        #expect(garbage.status == 400)
        #expect(try Payloads.decode(ErrorBody.self, garbage).code == .invalidBody)
    }

    @Test("admin paths refuse a gateway certificate without the admin token", arguments: RegistryEngine.available)
    func adminNeedsOperator(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let response = try await fixture.send(
            try fixture.client(), .put, "/v1/admin/shelters/\(RegistryFixture.shelterId)/lifecycle",
            json: try Payloads.encode(LifecycleChange(state: .activated)))
        #expect(response.status == 403)
        let wrongToken = try await fixture.send(
            try fixture.client(), .get, "/v1/admin/alerts", headers: [HTTPHeader("Authorization", "Bearer nope")])
        #expect(wrongToken.status == 403)
    }

    // TLS without a client certificate: the handshake succeeds (browsers reach the console) and every API path
    // answers 401: ConsoleTests.apiNeedsCertificate.

    @Test("a client certificate from another CA or expired is rejected in the handshake")
    func foreignOrExpiredClientCertificate() async throws {
        let fixture = try await RegistryFixture()
        for certificate in ["wrong-ca-gateway", "gateway-expired"] {
            await #expect {
                _ = try await fixture.send(try fixture.client(certificate), .get, "/openapi.json")
            } throws: { error in
                guard let error = error as? CurlError else { return false }
                return error.kind == .clientCertificateRejected
            }
        }
    }
}

@Suite("shelter-registry fault injection", .tags(.integration))
struct RegistryFaultTests {
    @Test(
        "injected 503 with Retry-After answers the next N gateway requests, then normal service resumes",
        arguments: RegistryEngine.available)
    func injectedUnavailable(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let client = try fixture.client()
        let fault = Array(#"{"status":503,"retryAfterSeconds":7,"count":2,"paths":"status"}"#.utf8)
        try await SchemaCheck.expectValid("--request", "injectFaults", [fault])
        #expect(try await fixture.admin(client, .post, "/v1/admin/faults", json: fault).status == 204)
        let path = RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId)
        let body = try Payloads.encode([Payloads.report(1)])

        let heartbeat = try await fixture.send(
            client, .post, RegistryAPI.heartbeatPath(gatewayId: RegistryFixture.gatewayId),
            json: try Payloads.encode(Payloads.heartbeat()))
        #expect(heartbeat.status == 200)  // the fault applies to status only
        for _ in 0..<2 {
            let refused = try await fixture.send(client, .post, path, json: body)
            #expect(refused.status == 503)
            #expect(refused.value(forHeader: "Retry-After") == "7")
            #expect(try Payloads.decode(ErrorBody.self, refused).code == .unavailable)
        }
        let accepted = try await fixture.send(client, .post, path, json: body)
        #expect(accepted.status == 200)
        #expect(try Payloads.decode(BatchResult.self, accepted).accepted == 1)
    }

    @Test("a registry that hangs makes the client hit its total timeout")
    func hangingRegistryTimesOut() async throws {
        let fixture = try await RegistryFixture()
        let admin = try fixture.client()
        #expect(
            try await fixture.admin(
                admin, .post, "/v1/admin/faults", json: Array(#"{"hang":true,"hangSeconds":3,"count":1}"#.utf8)
            )
            .status == 204)
        let client = try fixture.client(total: .seconds(1))
        let clock = ContinuousClock()
        let start = clock.now
        await #expect {
            _ = try await fixture.send(
                client, .post, RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId),
                json: try Payloads.encode([Payloads.report(1)]))
        } throws: { error in
            guard let error = error as? CurlError else { return false }
            return error.code == .operationTimedOut && error.kind == .timeout
        }
        #expect(clock.now - start >= .milliseconds(950))
    }
}

/// Any JSON value, to check that a body is JSON without reading it as a payload.
private struct AnyDecodable: Decodable {
    init(from decoder: any Decoder) throws {}
}
