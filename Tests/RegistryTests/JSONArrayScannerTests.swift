import Foundation
import ShelterCore
import Testing

@testable import shelter_registry

/// The batch scanner: element bytes without insignificant whitespace, and duplicate keys found as
/// `JSONDecoder` would see them (escapes resolved, keys compared as `String`s).
@Suite("JSON array scanner")
struct JSONArrayScannerTests {
    private func scan(_ text: String) -> JSONArrayScanner.Scan? { JSONArrayScanner.scan(Array(text.utf8)) }

    private func elements(_ text: String) -> [String]? {
        scan(text)?.elements.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("splits an array into its elements, whitespace outside strings removed, strings as sent")
    func splitsElements() {
        let body =
            " [ {\"a\" : 1 ,\r\n \"b\":[ 1, 2 ,{\"c\" :\t\"x  y\\\" ]\"} ] } ,\n\"s \\u0041\", -3.5e+2 , true, null ] \n"
        #expect(elements(body) == [#"{"a":1,"b":[1,2,{"c":"x  y\" ]"}]}"#, #""s \u0041""#, "-3.5e+2", "true", "null"])
        #expect(scan(body)?.duplicateKeys.isEmpty == true)
        #expect(elements("[]") == [])
        #expect(elements(" [ {} , [ ] ] ") == ["{}", "[]"])
    }

    @Test("answers nil for what it cannot walk, so the caller stores the canonical encoding")
    func refusesWhatItCannotWalk() {
        #expect(scan(#"{"a":1}"#) == nil)
        #expect(scan("[1] x") == nil)
        #expect(scan(#"[{"a":1]"#) == nil)
        #expect(scan(#"["open]"#) == nil)
        #expect(JSONArrayScanner.scan([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == nil)
    }

    @Test(
        "finds every duplicate key with its JSON path",
        arguments: [
            (#"[{"a":1,"a":2}]"#, ["[0].a"]),
            (#"[{"x":1},{"r":[{"d":1},{"d":1,"e":{"f":1,"f":2},"d":2}]}]"#, ["[1].r[1].e.f", "[1].r[1].d"]),
            (#"[{"a":1,"b":1,"a":2,"a":3}]"#, ["[0].a", "[0].a"]),
            (#"[{"seq":1,"\u0073eq":2}]"#, ["[0].seq"]),
            (#"[{"K":1,"\u212A":2}]"#, ["[0].\u{212A}"]),
            ("[{\"\u{E9}\":1,\"e\u{301}\":2}]", ["[0].e\u{301}"]),
            (#"[{"a":{"b":1},"b":2,"c":[{"b":3}]}]"#, []),
        ])
    func findsDuplicateKeys(body: String, paths: [String]) {
        #expect(scan(body)?.duplicateKeys.map(\.path) == paths)
        #expect(scan(body)?.duplicateKeys.allSatisfy { $0.message == JSONArrayScanner.duplicateKeyMessage } == true)
    }

    @Test(
        "keys it calls duplicates are the keys JSONDecoder reads as one",
        arguments: [
            #"{"a":1,"a":2}"#, #"{"seq":1,"\u0073eq":2}"#, #"{"K":1,"\u212A":2}"#, "{\"\u{E9}\":1,\"e\u{301}\":2}",
        ])
    func agreesWithJSONDecoder(object: String) throws {
        let decoded = try JSONDecoder().decode([String: Int].self, from: Data(object.utf8))
        #expect(decoded.count == 1)
        #expect(scan("[\(object)]")?.duplicateKeys.count == 1)
    }
}

/// The keys the OpenAPI document defines, as the scanner checks stored elements against them.
@Suite("payload keys from the OpenAPI document")
struct PayloadKeysTests {
    static func keys() throws -> PayloadKeys {
        let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/shelter-registry/Resources/openapi.json")
        return try PayloadKeys(openAPIDocument: Array(try Data(contentsOf: document)))
    }

    private static func text(_ value: some Encodable) throws -> String {
        String(decoding: try Payloads.encode(value), as: UTF8.self)
    }

    @Test("every key the agent's payloads carry is defined, so they are stored as sent")
    func payloadsAreDefined() throws {
        let keys = try Self.keys()
        var alert = Payloads.alert(10)
        alert.texts = [
            AlertEventText(
                language: "en-US", event: alert.event, headline: alert.headline, description: alert.description,
                instruction: alert.instruction)
        ]
        let reports = try Payloads.encode([Payloads.report(1), Payloads.report(2)])
        #expect(JSONArrayScanner.scan(reports, keys: keys.statusReport)?.hasUndefinedKeys == [false, false])
        let alerts = try Payloads.encode([alert, Payloads.alert(11, msgType: .update)])
        #expect(JSONArrayScanner.scan(alerts, keys: keys.alertEvent)?.hasUndefinedKeys == [false, false])
    }

    @Test("a key the document does not define marks its element, at any depth")
    func undefinedKeysMarked() throws {
        let keys = try Self.keys()
        let plain = try Self.text(Payloads.report(1))
        func adding(_ old: String, _ new: String) -> String {
            guard let range = plain.range(of: old) else { return plain }
            return plain.replacingCharacters(in: range, with: new)
        }
        let topLevel = adding(#""sequence":1"#, #""sequence":1,"comment":"x""#)
        let nested = adding(#""quality":"good""#, #""quality":"good","\u0063omment":{"a":[1]}"#)
        let inCapacity = adding(#""registered":2000"#, #""registered":2000,"Registered":2000"#)
        let body = Array("[\(plain),\(topLevel),\(nested),\(inCapacity)]".utf8)
        #expect(topLevel != plain && nested != plain && inCapacity != plain)
        #expect(
            JSONArrayScanner.scan(body, keys: keys.statusReport)?.hasUndefinedKeys == [false, true, true, true])
    }
}
