import FoundationEssentials
import Testing

@testable import ScenarioKit

@Suite("JSON paths and comparisons")
struct JSONPathTests {
    static let report: JSONValue = {
        let text = """
            {"sequence": 7, "capacity": {"registered": 2000, "occupied": 1840, "available": 160},
             "lifecycle": {"state": "activated", "isDrill": false},
             "checks": [{"checkId": "C-01", "subject": "", "status": "warning", "value": {"value": 0.92, "unit": "1"}},
                        {"checkId": "C-05", "subject": "if_full", "status": "critical"},
                        {"checkId": "C-05", "subject": "", "status": "critical", "value": {"value": 0.33, "unit": "d"}}],
             "devices": [{"device": "gen1", "link": "down"}], "note": null}
            """
        return (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
    }()

    @Test(
        "resolves members, indices and selectors",
        arguments: [
            ("capacity.occupied", JSONValue.number(1840)),
            ("lifecycle.isDrill", .bool(false)),
            ("devices[0].link", .string("down")),
            ("checks[checkId=C-01].value.value", .number(0.92)),
            ("checks[checkId=C-05,subject=].value.unit", .string("d")),
            ("checks[checkId=C-05, subject=if_full].status", .string("critical")),
            ("checks[2].value.value", .number(0.33)),
            ("note", .null),
        ])
    func resolves(path: String, expected: JSONValue) throws {
        let parsed = try #require(JSONPath(path))
        #expect(parsed.resolve(in: Self.report) == expected)
    }

    @Test(
        "paths that lead nowhere resolve to nil",
        arguments: ["capacity.missing", "devices[3]", "checks[checkId=C-99]", "sequence.x"])
    func nowhere(path: String) throws {
        #expect(try #require(JSONPath(path)).resolve(in: Self.report) == nil)
    }

    @Test("malformed paths are refused", arguments: ["", ".a", "a.", "a..b", "a[", "a[x]", "a[=1]", "a]b", "a[0]b"])
    func malformed(path: String) {
        #expect(JSONPath(path) == nil)
    }

    @Test("comparisons")
    func comparisons() {
        #expect(Comparison(.greaterOrEqual, .number(1800)).holds(for: .number(1840)))
        #expect(!Comparison(.greaterOrEqual, .number(1900)).holds(for: .number(1840)))
        #expect(Comparison(.less, .number(1)).holds(for: .number(0.33)))
        #expect(!Comparison(.less, .number(0.33)).holds(for: .number(0.33)))
        #expect(Comparison(.lessOrEqual, .number(0.3)).holds(for: .number(0.1 + 0.2)))  // tolerance
        #expect(Comparison(.equal, .number(0.3)).holds(for: .number(0.1 + 0.2)))
        #expect(Comparison(.equal, .string("critical")).holds(for: .string("critical")))
        #expect(Comparison(.notEqual, .string("ok")).holds(for: .string("critical")))
        #expect(Comparison(.notEqual, .string("ok")).holds(for: nil))
        #expect(!Comparison(.equal, .string("ok")).holds(for: nil))
        #expect(!Comparison(.greater, .number(1)).holds(for: .string("2")))  // no number: fails, never guesses
        #expect(Comparison(.exists).holds(for: .number(0)))
        #expect(!Comparison(.exists).holds(for: .null))
        #expect(Comparison(.absent).holds(for: nil))
        #expect(Comparison(.absent).holds(for: .null))
        #expect(Comparison(.equal, .bool(true)).holds(for: .bool(true)))
    }
}
