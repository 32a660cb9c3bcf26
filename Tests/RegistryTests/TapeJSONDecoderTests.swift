import Foundation
import ShelterCore
import Testing

@testable import shelter_registry

/// The registry's fast decoder against `JSONDecoder`: whatever it reads, `JSONDecoder` reads as an equal value;
/// what it is not sure about, it declines (and the registry decodes with `JSONDecoder`).
@Suite("tape JSON decoder")
struct TapeJSONDecoderTests {
    private static func tape<T: Decodable>(_ type: T.Type, _ body: [UInt8]) -> T? {
        TapeJSONDecoder.decode(T.self, from: body, dateDecoding: RegistryJSON.decodeDate(from:))
    }

    private static func foundation<T: Decodable>(_ type: T.Type, _ body: [UInt8]) -> T? {
        try? RegistryJSON.makeDecoder().decode(T.self, from: Data(body))
    }

    /// A report as the reference site sends it: text in Chinese, a unit with a slash, an unknown occupancy.
    private static func reportWithText(_ number: Int64) -> StatusReport {
        var report = Payloads.report(number)
        report.capacity = CapacityStatus(registered: 2000, occupied: nil, notes: ["人数未知：计数器 counter1 超时"])
        report.checks.append(
            CheckResult(
                checkId: .areaPerPerson, status: .ok, value: MeasuredValue(1.6304347826086956, unit: "m2/person"),
                threshold: ThresholdUsed(
                    warning: 1.2, critical: 1.0, unit: "m2/person", direction: .below, origin: .record),
                source: "GB 21734-2008 §5.4", summary: "每人 1.63 m²\t(\"tab\" and quotes)"))
        report.readings.append(
            ReadingStatus(
                device: "meter1", point: "firmware", value: nil, unit: nil, quality: .good,
                observedAt: Payloads.observedAt.addingTimeInterval(0.25), text: "v2.1\\b"))
        return report
    }

    /// Every payload the registry decodes, each encoded three ways: as the agent does, pretty-printed, and with
    /// escaped slashes (`JSONEncoder`'s default).
    private static func encodings<T: Encodable>(_ value: T) throws -> [[UInt8]] {
        let pretty = RegistryJSON.makeEncoder()
        pretty.outputFormatting = [.prettyPrinted, .sortedKeys]
        let plain = JSONEncoder()
        plain.dateEncodingStrategy = .iso8601
        return [try Payloads.encode(value), Array(try pretty.encode(value)), Array(try plain.encode(value))]
    }

    @Test("reads every payload the registry takes as JSONDecoder reads it, whitespace and escapes included")
    func readsWhatJSONDecoderReads() throws {
        let reports = (1...20).map { $0 % 3 == 0 ? Self.reportWithText($0) : Payloads.report($0) }
        for body in try Self.encodings(reports) {
            let decoded = try #require(Self.tape([StatusReport].self, body))
            #expect(decoded == Self.foundation([StatusReport].self, body))
            #expect(decoded.count == 20)
            #expect(decoded[2].capacity.notes == ["人数未知：计数器 counter1 超时"])
            #expect(decoded[2].checks[2].threshold?.unit == "m2/person")
            #expect(decoded[2].readings[2].text == "v2.1\\b")
        }
        let alerts = [Payloads.alert(10), Payloads.alert(11, msgType: .update), Payloads.alert(12, msgType: .cancel)]
        for body in try Self.encodings(alerts) {
            let decoded = try #require(Self.tape([AlertEvent].self, body))
            #expect(decoded == Self.foundation([AlertEvent].self, body))
            #expect(decoded.map(\.references) == [[], ["evt-10"], ["evt-11"]])
        }
        for body in try Self.encodings(Payloads.heartbeat()) {
            let decoded = try #require(Self.tape(HeartbeatRequest.self, body))
            #expect(decoded == Self.foundation(HeartbeatRequest.self, body))
            #expect(decoded.outbox.depth == 12)
        }
        for body in try Self.encodings(RegistryFixture.record) {
            let decoded = try #require(Self.tape(ShelterRecord.self, body))
            #expect(decoded == Self.foundation(ShelterRecord.self, body))
        }
    }

    @Test("reads integers across Int's range as JSONDecoder does")
    func readsIntegers() throws {
        let body = Array("[0, -7, 9223372036854775807, -9223372036854775808]".utf8)
        let decoded = try #require(Self.tape([Int].self, body))
        #expect(decoded == [0, -7, .max, .min])
        #expect(decoded == Self.foundation([Int].self, body))
        #expect(Self.tape([Int64].self, body) == [0, -7, .max, .min])
        #expect(Self.tape([Int8].self, Array("[127, -128]".utf8)) == [127, -128])
        #expect(Self.tape([Int8].self, Array("[128]".utf8)) == nil)
    }

    @Test("reads floating-point numbers to the same bits as JSONDecoder")
    func readsDoubles() throws {
        let body = Array(
            #"[0, -0, 0.1, -2.5e-3, 1E+2, 1.7976931348623157e308, 5e-324, 0.30000000000000004, 12345678901234567890]"#
                .utf8)
        let decoded = try #require(Self.tape([Double].self, body))
        let reference = try #require(Self.foundation([Double].self, body))
        #expect(decoded.map(\.bitPattern) == reference.map(\.bitPattern))
        #expect(decoded[2] == 0.1 && decoded[6] == .leastNonzeroMagnitude)
    }

    @Test(
        "declines what it is not sure about",
        arguments: [
            #"["\u0041"]"#,  // \u escape
            #"[{"\u0061":1}]"#,  // escaped key
            "[{\"\u{E9}\":1}]",  // non-ASCII key
            #"[{"a":1,"a":2}]"#,  // duplicate key
            #"[{"a":1,"ab":2,"b":3,"ab":4}]"#,  // a duplicate after keys in order
            #"[{"b":1,"a":2,"c":3,"a":4}]"#,  // a duplicate after keys out of order
            "[\"\u{FEFF}\"",  // unterminated
            "\u{FEFF}[1]",  // byte-order mark
            "[1,]", "[01]", "[1.]", "[.5]", "[+1]", "[NaN]", "[1] // x", "[tru]", "[\"a\tb\"]",
        ])
    func declinesText(body: String) {
        #expect(Self.tape([[String: Int]].self, Array(body.utf8)) == nil)
        #expect(Self.tape([String].self, Array(body.utf8)) == nil)
        #expect(Self.tape([Int].self, Array(body.utf8)) == nil)
    }

    @Test(
        "declines a string that is not UTF-8, escaped or not",
        arguments: [[0xFF], [0x61, 0xC3], [0xF1, 0x80, 0x80, 0x61], [0xED, 0xA0, 0x80], [0x5C, 0x6E, 0xC3]])
    func declinesInvalidUTF8(content: [UInt8]) throws {
        let body = Array("[\"".utf8) + content + Array("\"]".utf8)
        #expect(Self.tape([String].self, body) == nil)
    }

    @Test("reads an escape next to non-ASCII text as JSONDecoder does")
    func readsEscapedNonASCII() throws {
        let valid = Array("[\"\\n\u{E9}\u{4EBA}\"]".utf8)
        #expect(try #require(Self.tape([String].self, valid)) == ["\n\u{E9}\u{4EBA}"])
        #expect(Self.foundation([String].self, valid) == ["\n\u{E9}\u{4EBA}"])
    }

    @Test(
        "declines a number outside what it reads exactly",
        arguments: ["[1.0]", "[1e2]", "[-0]", "[9223372036854775808]", "[-9223372036854775809]"])
    func declinesIntegers(body: String) {
        #expect(Self.tape([Int].self, Array(body.utf8)) == nil)
    }

    @Test("declines a double that overflows or underflows, a Float, an unsigned negative")
    func declinesNumbers() {
        #expect(Self.tape([Double].self, Array("[1e400]".utf8)) == nil)
        #expect(Self.tape([Double].self, Array("[-1e400]".utf8)) == nil)
        #expect(Self.tape([Double].self, Array("[1e-400]".utf8)) == nil)
        #expect(Self.tape([Double].self, Array("[0.0e-400]".utf8)) == nil)
        // JSONDecoder refuses 0e1 and 0E5 as a Double (found by Scripts/compare-registry-builds); so does the tape.
        for zero in ["[0e1]", "[0E5]", "[0.0E4]"] {
            #expect(Self.tape([Double].self, Array(zero.utf8)) == nil)
        }
        #expect(Self.foundation([Double].self, Array("[0E5]".utf8)) == nil)
        #expect(Self.tape([Double].self, Array("[0, -0.0, 0.000]".utf8))?.map(\.sign) == [.plus, .minus, .plus])
        #expect(Self.tape([Float].self, Array("[1]".utf8)) == nil)
        #expect(Self.tape([UInt].self, Array("[-1]".utf8)) == nil)
        #expect(Self.tape([UInt8].self, Array("[256]".utf8)) == nil)
        #expect(Self.tape([UInt8].self, Array("[255]".utf8)) == [255])
    }

    /// A type that recovers from an error: its value must be the one it gets under `JSONDecoder`.
    private struct Recovering: Decodable, Equatable {
        var value: Int
        enum CodingKeys: String, CodingKey { case value }
        init(value: Int) { self.value = value }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            value = (try? c.decode(Int.self, forKey: .value)) ?? -1
        }
    }

    /// A type that reads the coding path.
    private struct PathReading: Decodable {
        init(from decoder: any Decoder) throws { _ = decoder.codingPath }
    }

    @Test("declines a body on which a decoding call failed, even when the type caught it, or read its path")
    func declinesCaughtErrors() {
        #expect(Self.tape(Recovering.self, Array(#"{"value":3}"#.utf8)) == Recovering(value: 3))
        // 1.0 is an Int to JSONDecoder; the tape declines it, so the type's -1 must not be the answer.
        #expect(Self.tape(Recovering.self, Array(#"{"value":1.0}"#.utf8)) == nil)
        #expect(Self.foundation(Recovering.self, Array(#"{"value":1.0}"#.utf8)) == Recovering(value: 1))
        #expect(Self.tape(PathReading.self, Array("{}".utf8)) == nil)
        #expect(Self.tape(Data.self, Array(#""AAAA""#.utf8)) == nil)
        #expect(Self.tape(URL.self, Array(#""https://example.org""#.utf8)) == nil)
    }

    /// Checks that a batch the tape reads comes with the scan `JSONArrayScanner` finds in it; answers whether the
    /// tape read it.
    @discardableResult
    private static func expectScannerScan<Element: Decodable & Equatable>(
        _ type: Element.Type, _ body: [UInt8], keys: KeyTree, sourceLocation: SourceLocation = #_sourceLocation
    ) -> Bool {
        guard
            let batch = TapeJSONDecoder.decodeBatch(
                Element.self, from: body, keys: keys, dateDecoding: RegistryJSON.decodeDate(from:))
        else { return false }
        let scanned = JSONArrayScanner.scan(body, keys: keys)
        let text = String(decoding: body, as: UTF8.self)
        #expect(batch.payloads == tape([Element].self, body), "\(text)", sourceLocation: sourceLocation)
        #expect(batch.scan.elements == scanned?.elements, "\(text)", sourceLocation: sourceLocation)
        #expect(batch.scan.hasUndefinedKeys == scanned?.hasUndefinedKeys, "\(text)", sourceLocation: sourceLocation)
        #expect(batch.scan.duplicateKeys.isEmpty && scanned?.duplicateKeys.isEmpty == true, "\(text)")
        return true
    }

    /// A report with keys the OpenAPI document does not define: at the top, in a reading, in an object whose
    /// schema lists no members, and in an array of them.
    private static let undefinedKeys = [
        (#""sequence":3"#, #""sequence":3,"comment":"x""#),
        (#""quality":"good""#, #""quality":"good","comment":{"a":[1, {"b":2}]}"#),
        (#""registered":2000"#, #""registered":2000,"Registered":2000"#),
    ]

    @Test("hands over the scan JSONArrayScanner finds: compact elements, and those holding undefined keys")
    func batchCarriesTheScannersScan() throws {
        let keys = try PayloadKeysTests.keys()
        let reports = (1...6).map { $0 % 3 == 0 ? Self.reportWithText($0) : Payloads.report($0) }
        for body in try Self.encodings(reports) {
            #expect(Self.expectScannerScan(StatusReport.self, body, keys: keys.statusReport))
        }
        let alerts = [Payloads.alert(10), Payloads.alert(11, msgType: .update), Payloads.alert(12, msgType: .cancel)]
        for body in try Self.encodings(alerts) {
            #expect(Self.expectScannerScan(AlertEvent.self, body, keys: keys.alertEvent))
        }
        let plain = String(decoding: try Payloads.encode(Self.reportWithText(3)), as: UTF8.self)
        var elements = [plain]
        for (old, new) in Self.undefinedKeys {
            let range = try #require(plain.range(of: old))
            elements.append(plain.replacingCharacters(in: range, with: new))
        }
        let body = Array(("[" + elements.joined(separator: " ,\n") + "]").utf8)
        #expect(Self.expectScannerScan(StatusReport.self, body, keys: keys.statusReport))
        let batch = try #require(
            TapeJSONDecoder.decodeBatch(
                StatusReport.self, from: body, keys: keys.statusReport, dateDecoding: RegistryJSON.decodeDate(from:)))
        #expect(batch.scan.hasUndefinedKeys == [false, true, true, true])
        #expect(batch.scan.elements[2].count == elements[2].utf8.count - 1)  // the space in `[1, {`
        // Not a batch: declined, so the registry decodes it with JSONDecoder and scans it.
        let single = Array(plain.utf8)
        #expect(
            TapeJSONDecoder.decodeBatch(
                StatusReport.self, from: single, keys: keys.statusReport, dateDecoding: RegistryJSON.decodeDate(from:))
                == nil)
    }

    @Test("on thousands of mutated batches, the scan handed over is the scanner's")
    func mutatedBatchesCarryTheScannersScan() throws {
        let keys = try PayloadKeysTests.keys()
        let pretty = RegistryJSON.makeEncoder()
        pretty.outputFormatting = [.prettyPrinted, .sortedKeys]
        let text = String(decoding: try pretty.encode([Self.reportWithText(3), Payloads.report(4)]), as: UTF8.self)
        let commented = text.replacingOccurrences(
            of: #""sequence" : 4"#, with: #""sequence" : 4, "comment" : [ 1 ]"#)
        #expect(commented != text)
        let originals = [Array(text.utf8), Array(commented.utf8)]
        let alphabet = Array("0123456789-+.eE\"\\/{}[],: tnfaulrsx".utf8) + [0x0A]
        var random = SeededRandom(seed: 15)
        var read = 0
        var undefined = 0
        for iteration in 0..<5_000 {
            var body = originals[iteration % 2]
            for _ in 0..<Int.random(in: 1...2, using: &random) {
                let at = Int.random(in: 0..<body.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: body[at] = alphabet.randomElement(using: &random)!
                case 1: body.remove(at: at)
                default: body.insert(alphabet.randomElement(using: &random)!, at: at)
                }
            }
            if Self.expectScannerScan(StatusReport.self, body, keys: keys.statusReport) {
                read += 1
                if JSONArrayScanner.scan(body, keys: keys.statusReport)?.hasUndefinedKeys.contains(true) == true {
                    undefined += 1
                }
            }
        }
        // Read bodies with and without undefined keys were both compared.
        #expect(read > 300)
        #expect(undefined > 100 && undefined < read)
    }

    /// A report with every optional member set: the reader must fill every property `init(from:)` fills.
    private static func reportWithEveryOptional() -> StatusReport {
        var report = reportWithText(5)
        report.readings.append(
            ReadingStatus(
                device: "ups1", point: "soc", quantity: .batterySOC, value: 87.5, unit: "%", quality: .stale,
                reason: .busy, observedAt: Payloads.observedAt, text: "87.5 %"))
        report.checks[1].value = MeasuredValue(-3, unit: "%")
        report.checks[1].threshold = ThresholdUsed(
            warning: nil, critical: 95, unit: "%", direction: .exceeds, origin: .sitePolicy)
        report.capacity.occupied = 1993
        report.capacity.available = 7
        return report
    }

    /// The members `tree` defines under `node` that `json` does not hold (in no element, for an array).
    private static func undefined(in json: Any, _ tree: KeyTree, node: Int = 0, path: String = "") -> Set<String> {
        var missing: Set<String> = []
        if let members = tree.nodes[node].members, let object = json as? [String: Any] {
            for member in tree.members[members] {
                let name = String(decoding: tree.names[member.name], as: UTF8.self)
                if let value = object[name] {
                    missing.formUnion(Self.undefined(in: value, tree, node: member.node, path: path + "." + name))
                } else {
                    missing.insert(path + "." + name)
                }
            }
        }
        if let items = tree.nodes[node].items, let array = json as? [Any] {
            let perElement = array.map { Self.undefined(in: $0, tree, node: items, path: path + "[]") }
            missing.formUnion(perElement.dropFirst().reduce(perElement.first ?? []) { $0.intersection($1) })
        }
        return missing
    }

    @Test("the report with every optional set holds every member the OpenAPI document defines for a report")
    func everyOptionalCoversTheSchema() throws {
        let keys = try PayloadKeysTests.keys()
        let json = try JSONSerialization.jsonObject(with: Data(try Payloads.encode(Self.reportWithEveryOptional())))
        // A member added to the document (and to the type) must be set here too, or the reader's test below
        // would not see the reader leave it out.
        #expect(Self.undefined(in: json, keys.statusReport) == [])
    }

    /// Every member of every object in `json`, at every depth: removed, `null`, and of each other JSON type.
    private static func variants(of json: Any) -> [(what: String, value: Any)] {
        let others: [(String, Any)] = [
            ("null", NSNull()), ("a string", "x"), ("an integer", 7), ("a fraction", 0.5), ("true", true),
            ("an object", [String: Any]()), ("an array", [Any]()), ("Int64.max", Int64.max), ("Int64.min", Int64.min),
        ]
        var variants: [(String, Any)] = []
        if let object = json as? [String: Any] {
            for (key, member) in object {
                var removed = object
                removed[key] = nil
                variants.append(("without \(key)", removed))
                for (what, other) in others {
                    var replaced = object
                    replaced[key] = other
                    variants.append(("\(key) as \(what)", replaced))
                }
                for (what, inner) in Self.variants(of: member) {
                    var replaced = object
                    replaced[key] = inner
                    variants.append(("\(key).\(what)", replaced))
                }
            }
        } else if let array = json as? [Any] {
            for (index, element) in array.enumerated() {
                for (what, inner) in Self.variants(of: element) {
                    var replaced = array
                    replaced[index] = inner
                    variants.append(("[\(index)].\(what)", replaced))
                }
            }
        }
        return variants
    }

    @Test("reads a status report member by member as its init(from:) does: absent, null or mistyped, at any depth")
    func readerFollowsDecodable() throws {
        let full = Self.reportWithEveryOptional()
        var bare = Payloads.report(6)
        bare.capacity = CapacityStatus(registered: 10, occupied: nil)
        bare.checks = [
            CheckResult(checkId: .dataFreshness, status: .ok, value: nil, threshold: nil, source: "s", summary: "")
        ]
        bare.readings = [
            ReadingStatus(device: "d", point: "p", value: nil, unit: nil, quality: .good, observedAt: nil)
        ]
        for report in [full, bare] {
            let body = try Payloads.encode([report])
            let read = try #require(Self.tape([StatusReport].self, body))
            #expect(read == Self.foundation([StatusReport].self, body))
            #expect(read[0].capacity.available == report.capacity.available)
            #expect(read[0].lastUpdate.local == report.lastUpdate.local)
        }
        let json = try JSONSerialization.jsonObject(with: Data(try Payloads.encode(full)))
        var read = 0
        var refused = 0
        for (what, variant) in Self.variants(of: json) {
            let body = Array(try JSONSerialization.data(withJSONObject: [variant], options: [.sortedKeys]))
            let tape = Self.tape([StatusReport].self, body)
            let foundation = Self.foundation([StatusReport].self, body)
            // Absent or null: never a reason to decline, so both must answer alike.
            if what.hasSuffix("as null") || what.split(separator: ".").last?.hasPrefix("without") == true {
                #expect(tape == foundation, "\(what)")
            } else if let tape {
                #expect(tape == foundation, "\(what)")
            }
            if foundation == nil { refused += 1 } else { read += 1 }
        }
        // Both outcomes were compared, across hundreds of variants.
        #expect(read > 100)
        #expect(refused > 300)
    }

    /// Found by a differential attack on the build before it landed: the reader built `lastUpdate` with the
    /// initializer that derives `local`, which overflowed on this offset and took the registry down, where
    /// `JSONDecoder` reads the body and the validator refuses it (400).
    @Test("reads members no derived figure can overflow: an offset of 1.5e17 minutes, capacity at Int's ends")
    func extremeIntegersDoNotTrap() throws {
        let offset = Array(
            #"""
            [{"reportId":"a","sequence":1,"shelterId":"a","gatewayId":"a","recordVersion":0,\#
            "observedAt":"2026-01-01T00:00:00Z","lifecycle":{"state":"full","isDrill":true,"isUnconfirmed":true},\#
            "capacity":{"registered":1,"notes":[]},"resources":{"power":"unknown","water":"unknown",\#
            "sanitation":"unknown","comms":"unknown"},"checks":[],"devices":[],"readings":[],\#
            "lastUpdate":{"instant":"2026-01-01T00:00:00Z","utcOffsetMinutes":153722867251459171,"local":""}}]
            """#.utf8)
        let read = try #require(Self.tape([StatusReport].self, offset))
        #expect(read == Self.foundation([StatusReport].self, offset))
        #expect(read[0].lastUpdate.utcOffsetMinutes == 153_722_867_251_459_171 && read[0].lastUpdate.local == "")
        let capacity = String(decoding: offset, as: UTF8.self).replacingOccurrences(
            of: #""registered":1,"notes":[]"#,
            with: #""registered":-9223372036854775808,"occupied":\#(Int.max),"notes":[]"#)
        let readCapacity = try #require(Self.tape([StatusReport].self, Array(capacity.utf8)))
        #expect(readCapacity == Self.foundation([StatusReport].self, Array(capacity.utf8)))
        #expect(readCapacity[0].capacity.available == nil && readCapacity[0].capacity.registered == Int.min)
    }

    private struct OnlyValue: Decodable, Equatable { var value: Int }

    /// What a member no type reads holds, as bytes. JSONDecoder checks such a member's structure only: it accepts
    /// `00`, `1.5E` and invalid UTF-8 there; the tape declines them (declining is always safe).
    static let ignoredMembers: [[UInt8]] = [
        [0x22, 0xFF, 0x22], [0x22, 0x61, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0x09, 0x22],
        [0x22, 0x7F, 0x22], [0x22, 0xC3, 0xA9, 0x22], Array(#""\u0000""#.utf8), Array(#""\ud800""#.utf8),
        Array("1e99999".utf8), Array("-1e99999".utf8), Array("1e-99999".utf8), Array("-0".utf8), Array("01".utf8),
        Array("1.5E".utf8),
        Array((String(repeating: "[", count: 600) + String(repeating: "]", count: 600)).utf8),
        Array((String(repeating: "[", count: 100) + String(repeating: "]", count: 100)).utf8),
    ]

    @Test("a member no type reads never makes the tape read what JSONDecoder does not", arguments: Self.ignoredMembers)
    func checksIgnoredMembers(member: [UInt8]) {
        let body = Array(#"{"value":1,"ignored":"#.utf8) + member + Array("}".utf8)
        let read = Self.tape(OnlyValue.self, body)
        if read != nil { #expect(read == Self.foundation(OnlyValue.self, body)) }
        let invalid: [[UInt8]] = [[0x22, 0xFF, 0x22], [0x22, 0x61, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22]]
        if invalid.contains(member) { #expect(read == nil) }
        if member == [0x22, 0xC3, 0xA9, 0x22] || member == [0x22, 0x7F, 0x22] { #expect(read == OnlyValue(value: 1)) }
    }

    /// Mutates a valid batch at random (seeded, 10 000 times) and checks the contract on every result: a value
    /// from the tape is a value from `JSONDecoder`, equal.
    @Test("on thousands of mutated bodies, never reads a value JSONDecoder does not read the same")
    func mutationsAgreeWithJSONDecoder() throws {
        let original = try Payloads.encode([Self.reportWithText(3), Payloads.report(4)])
        let alphabet = Array("0123456789-+.eE\"\\/{}[],: tnfaulrsx\u{E9}".utf8) + [0xFF, 0x00, 0x0A]
        var random = SeededRandom(seed: 14)
        var read = 0
        var declined = 0
        for _ in 0..<10_000 {
            var body = original
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let at = Int.random(in: 0..<body.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: body[at] = alphabet.randomElement(using: &random)!
                case 1: body.remove(at: at)
                case 2: body.insert(alphabet.randomElement(using: &random)!, at: at)
                default:
                    // A digit for a digit: most such bodies stay valid, and their values change.
                    if (0x30...0x39).contains(body[at]) { body[at] = UInt8.random(in: 0x30...0x39, using: &random) }
                }
            }
            if let value = Self.tape([StatusReport].self, body) {
                read += 1
                #expect(value == Self.foundation([StatusReport].self, body), "\(String(decoding: body, as: UTF8.self))")
            } else {
                declined += 1
            }
        }
        // Both outcomes are exercised, so the comparison above ran on many read bodies.
        #expect(read > 300)
        #expect(declined > 300)
    }
}
