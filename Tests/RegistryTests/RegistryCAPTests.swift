import Foundation
import HTTPClient
import HTTPTestSupport
import ShelterCore
import ShelterTesting
import Testing

@testable import shelter_registry

/// Every alert event as an OASIS CAP 1.2 document and the Atom feed of open alerts, each checked against the
/// OASIS XSD and the rules it cannot say by `Scripts/validate-cap` (issue 14 item 4).
@Suite("shelter-registry CAP 1.2", .tags(.integration))
struct RegistryCAPTests {
    @Test(
        "Alert, Update and Cancel are valid CAP 1.2 with references, +08:00 times, parameters and area",
        arguments: RegistryEngine.available)
    func alertUpdateCancelAsCAP(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let gateway = try fixture.client()
        let sent = Date(timeIntervalSince1970: 1_795_000_000.75)  // 2026-11-18T19:06:40.75+08:00
        let events = [
            Payloads.alert(10, sent: sent), Payloads.alert(11, msgType: .update, sent: sent + 60),
            Payloads.alert(12, msgType: .cancel, sent: sent + 120),
        ]
        let posted = try await fixture.send(
            gateway, .post, RegistryAPI.alertsPath(shelterId: RegistryFixture.shelterId),
            json: try Payloads.encode(events))
        #expect(posted.status == 200)

        var documents: [String] = []
        for event in events {
            let response = try await fixture.admin(gateway, .get, "/v1/cap/\(event.eventId).xml")
            #expect(response.status == 200)
            #expect(response.value(forHeader: "Content-Type")?.hasPrefix("application/cap+xml") == true)
            documents.append(String(decoding: response.body, as: UTF8.self))
        }
        try await CAPCheck.expectValid(documents)

        let alert = documents[0]
        #expect(alert.contains("<identifier>evt-10</identifier>"))
        #expect(alert.contains("<sender>gw-reference-01</sender>"))
        #expect(alert.contains("<sent>2026-11-18T19:06:40+08:00</sent>"))
        #expect(alert.contains("<status>Actual</status>"))
        #expect(alert.contains("<msgType>Alert</msgType>"))
        #expect(alert.contains("<scope>Restricted</scope>"))
        #expect(!alert.contains("<references>"))
        #expect(alert.contains("<language>en-US</language>"))
        #expect(alert.contains("<valueName>checkId</valueName>\n      <value>C-01</value>"))
        #expect(alert.contains("<valueName>threshold</valueName>\n      <value>0.9</value>"))
        #expect(alert.contains("<valueName>thresholdSource</valueName>\n      <value>record</value>"))
        #expect(alert.contains("<areaDesc>1 Hubin Road, Hubin District, Sanmenxia</areaDesc>"))
        #expect(alert.contains("<circle>34.7733,111.2006 0.5</circle>"))
        #expect(alert.contains("<valueName>GB/T 2260</valueName>\n        <value>411202</value>"))

        #expect(documents[1].contains("<msgType>Update</msgType>"))
        #expect(documents[1].contains("<references>gw-reference-01,evt-10,2026-11-18T19:06:40+08:00</references>"))
        #expect(documents[2].contains("<msgType>Cancel</msgType>"))
        #expect(
            documents[2].contains(
                "<references>gw-reference-01,evt-10,2026-11-18T19:06:40+08:00 gw-reference-01,evt-11,2026-11-18T19:07:40+08:00</references>"
            ))
    }

    @Test(
        "a registry started with --record (as the HIL scenarios start it) takes the geocode from the filed record",
        arguments: RegistryEngine.available)
    func geocodeFromFiledRecord(engine: RegistryEngine) async throws {
        var record = RegistryFixture.record
        record.location.divisionCode = "411202"
        let recordPath = try makeTemporaryDirectory(prefix: "registry-record") + "/record.json"
        try Data(try Payloads.encode(record)).write(to: URL(fileURLWithPath: recordPath))
        let pki = try await TestPKI.shared()
        let registry = try await RegistryProcess(
            pki: pki,
            arguments: [
                "--record", recordPath, "--gateway", "\(RegistryFixture.gatewayId)=\(RegistryFixture.shelterId)",
                "--database", try await engine.makeDatabase(),
            ])
        let gateway = try HTTPClient(
            configuration: .init(
                tls: .init(
                    caBundlePath: pki.certificate("ca"),
                    clientCertificatePath: pki.certificate(RegistryFixture.gatewayId),
                    clientKeyPath: pki.key(RegistryFixture.gatewayId), pinnedPublicKey: try pki.registryPin())))
        let posted = try await gateway.send(
            HTTPRequest(
                method: .post, url: registry.url(RegistryAPI.alertsPath(shelterId: RegistryFixture.shelterId)),
                headers: [HTTPHeader("Content-Type", "application/json")],
                body: try Payloads.encode([Payloads.alert(10)])))
        #expect(posted.status == 200)
        let operatorClient = try HTTPClient(
            configuration: .init(
                tls: .init(
                    caBundlePath: pki.certificate("ca"), clientCertificatePath: pki.certificate("operator"),
                    clientKeyPath: pki.key("operator"), pinnedPublicKey: try pki.registryPin())))
        let response = try await operatorClient.send(HTTPRequest(method: .get, url: registry.url("/v1/cap/evt-10.xml")))
        #expect(response.status == 200)
        let document = String(decoding: response.body, as: UTF8.self)
        #expect(document.contains("<circle>34.7733,111.2006 0.5</circle>"))
        #expect(document.contains("<valueName>GB/T 2260</valueName>\n        <value>411202</value>"))
        try await CAPCheck.expectValid([document])
    }

    @Test(
        "an event with texts in both languages has one info per language, zh-CN first (issue 16)",
        arguments: RegistryEngine.available)
    func oneInfoPerLanguage(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let gateway = try fixture.client()
        var event = Payloads.alert(20, sent: Date(timeIntervalSince1970: 1_795_000_000))
        event.texts = [
            AlertEventText(
                language: "zh-CN", event: "应急避难场所接近满员", headline: "C-01 警告：在场人数占可容纳人数的 94 %",
                description: "在场 1 880 人 / 可容纳人数 2 000 人（94 %）。", instruction: "准备分流至附近的应急避难场所。"),
            AlertEventText(
                language: "en-US", event: "Shelter near capacity", headline: "C-01 warning: occupancy 94 %",
                description: "1 880 persons present / registered capacity 2 000 persons (94 %).",
                instruction: "Prepare to direct arrivals to nearby shelters."),
        ]
        let posted = try await fixture.send(
            gateway, .post, RegistryAPI.alertsPath(shelterId: RegistryFixture.shelterId),
            json: try Payloads.encode([event]))
        #expect(posted.status == 200)
        let response = try await fixture.admin(gateway, .get, "/v1/cap/\(event.eventId).xml")
        let document = String(decoding: response.body, as: UTF8.self)
        try await CAPCheck.expectValid([document])
        let chinese = try #require(document.range(of: "<language>zh-CN</language>"))
        let english = try #require(document.range(of: "<language>en-US</language>"))
        #expect(chinese.lowerBound < english.lowerBound)
        #expect(document.contains("<headline>C-01 警告：在场人数占可容纳人数的 94 %</headline>"))
        #expect(document.contains("<headline>C-01 warning: occupancy 94 %</headline>"))
        #expect(document.components(separatedBy: "<info>").count == 3)
    }

    @Test("each info names the department of art. 24 as audience in its language, and the CAP stays valid")
    func responsibleDepartment() async throws {
        var event = Payloads.alert(1)
        event.parameters.checkId = .fuelAutonomy
        event.parameters.subject = "gen1"
        event.texts = [
            AlertEventText(
                language: "zh-CN", event: "发电机燃油不足", headline: "C-13 警告", description: "燃油可用 5 小时。",
                instruction: "通知供电单位。"),
            AlertEventText(
                language: "en-US", event: "Generator fuel running low", headline: "C-13 warning",
                description: "5 h of fuel.", instruction: "Call the power supply company."),
        ]
        let document = CAPDocument(event: event, shelter: nil, earlier: []).xml()
        #expect(document.contains("<audience>供电单位</audience>"))
        #expect(document.contains("<audience>power supply company</audience>"))
        #expect(document.contains("<valueName>responsibleDepartment</valueName>\n      <value>power</value>"))
        try await CAPCheck.expectValid([document])
    }

    @Test("a Cancel without the Alert it cancels, or an Update without references, fails the rule check")
    func validatorRefusesBrokenReferences() async throws {
        let alert = CAPCheck.minimal(identifier: "a1", msgType: "Alert", references: nil)
        let update = CAPCheck.minimal(identifier: "u1", msgType: "Update", references: nil)
        let cancel = CAPCheck.minimal(
            identifier: "c1", msgType: "Cancel", references: "gw-1,u1,2026-11-17T14:26:40+08:00")
        let updateWithReference = CAPCheck.minimal(
            identifier: "u1", msgType: "Update", references: "gw-1,a1,2026-11-17T14:26:40+08:00")
        #expect(try await CAPCheck.validate([alert, update]).status == 1)
        #expect(try await CAPCheck.validate([alert, updateWithReference, cancel]).status == 1)
        #expect(try await CAPCheck.validate([alert, updateWithReference]).status == 0)
        let zulu = alert.replacingOccurrences(of: "+08:00</sent>", with: "Z</sent>")
        #expect(try await CAPCheck.validate([zulu]).status == 1)
    }

    @Test(
        "the Atom feed lists the alerts not cancelled, newest first, each linking to its CAP document",
        arguments: RegistryEngine.available)
    func feedListsOpenAlerts(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let gateway = try fixture.client()
        let path = RegistryAPI.alertsPath(shelterId: RegistryFixture.shelterId)
        #expect(
            try await fixture.send(gateway, .post, path, json: try Payloads.encode([Payloads.alert(10)])).status == 200)
        #expect(
            try await fixture.send(gateway, .post, path, json: try Payloads.encode([Payloads.alert(20)])).status == 200)
        let feed = String(decoding: try await fixture.admin(gateway, .get, "/v1/cap/feed.atom").body, as: UTF8.self)
        let first = try #require(feed.range(of: "evt-20.xml"))
        let second = try #require(feed.range(of: "evt-10.xml"))
        #expect(first.lowerBound < second.lowerBound)  // newest first

        #expect(
            try await fixture.send(
                gateway, .post, path, json: try Payloads.encode([Payloads.alert(11, msgType: .cancel)])
            )
            .status == 200)
        let after = try await fixture.admin(gateway, .get, "/v1/cap/feed.atom")
        #expect(after.value(forHeader: "Content-Type")?.hasPrefix("application/atom+xml") == true)
        let text = String(decoding: after.body, as: UTF8.self)
        #expect(text.contains("evt-20.xml"))
        #expect(!text.contains("evt-10.xml"))
        #expect(!text.contains("evt-11.xml"))
    }

    @Test("an event id two gateways used needs ?sender=; an unknown one is 404", arguments: RegistryEngine.available)
    func ambiguousEventId(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let other = (shelterId: RegistryFixture.otherShelterId, gatewayId: RegistryFixture.otherGatewayId)
        _ = try await fixture.send(
            try fixture.client(other.gatewayId), .post, RegistryAPI.alertsPath(shelterId: other.shelterId),
            json: try Payloads.encode([Payloads.alert(10, shelterId: other.shelterId, gatewayId: other.gatewayId)]))
        _ = try await fixture.send(
            try fixture.client(), .post, RegistryAPI.alertsPath(shelterId: RegistryFixture.shelterId),
            json: try Payloads.encode([Payloads.alert(10)]))
        let operatorClient = try fixture.operatorClient()
        #expect(try await fixture.send(operatorClient, .get, "/v1/cap/evt-10.xml").status == 409)
        let chosen = try await fixture.send(operatorClient, .get, "/v1/cap/evt-10.xml?sender=\(other.gatewayId)")
        #expect(chosen.status == 200)
        #expect(String(decoding: chosen.body, as: UTF8.self).contains("<sender>\(other.gatewayId)</sender>"))
        #expect(try await fixture.send(operatorClient, .get, "/v1/cap/evt-99.xml").status == 404)
    }

    @Test("an operator acknowledges an alert: who, when and a note are kept", arguments: RegistryEngine.available)
    func acknowledgement(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        _ = try await fixture.send(
            try fixture.client(), .post, RegistryAPI.alertsPath(shelterId: RegistryFixture.shelterId),
            json: try Payloads.encode([Payloads.alert(10)]))
        let path = "/v1/admin/alerts/\(RegistryFixture.gatewayId)/alr-C-01-1"
        let before = try Payloads.decode(AckState.self, try await fixture.admin(try fixture.client(), .get, path))
        #expect(before.phase == "raised")
        #expect(before.acknowledgedBy == nil)
        let acknowledged = try await fixture.admin(
            try fixture.client(), .post, path + "/acknowledgement", json: Array(#"{"note":"crew sent"}"#.utf8))
        #expect(acknowledged.status == 200)
        let state = try Payloads.decode(AckState.self, acknowledged)
        #expect(state.acknowledgedBy == "operator")
        #expect(state.acknowledgementNote == "crew sent")
        #expect(state.acknowledgedAt != nil)
    }

    private struct AckState: Decodable {
        var phase: String
        var acknowledgedBy: String?
        var acknowledgedAt: Date?
        var acknowledgementNote: String?
    }
}

/// Runs `Scripts/validate-cap` (xmllint against the OASIS CAP 1.2 XSD, then the rules) on documents.
enum CAPCheck {
    static func validate(_ documents: [String]) async throws -> (status: Int32, output: String) {
        let directory = try makeTemporaryDirectory(prefix: "cap")
        for (index, document) in documents.enumerated() {
            try document.write(toFile: "\(directory)/\(index).xml", atomically: true, encoding: .utf8)
        }
        let process = try ChildProcess(
            executable: "/usr/bin/env", arguments: ["python3", repositoryRoot + "/Scripts/validate-cap", directory])
        let status = await process.waitForExit()
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
        return (exitCode, process.output.joined(separator: "\n"))
    }

    static func expectValid(_ documents: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let result = try await validate(documents)
        #expect(result.status == 0, "CAP check failed:\n\(result.output)", sourceLocation: sourceLocation)
    }

    /// A small schema-valid CAP alert.
    static func minimal(identifier: String, msgType: String, references: String?) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
          <identifier>\(identifier)</identifier>
          <sender>gw-1</sender>
          <sent>2026-11-18T19:06:40+08:00</sent>
          <status>Actual</status>
          <msgType>\(msgType)</msgType>
          <scope>Public</scope>
          \(references.map { "<references>\($0)</references>" } ?? "")
        </alert>
        """
    }
}
