import FoundationEssentials
import Testing

@testable import ShelterCore

@Suite("Numbers, units and spans of time per language")
struct TextFormattingTests {
    static let nnbsp = "\u{202F}"

    @Test(
        "integers are grouped by three with a narrow no-break space",
        arguments: [(0, "0"), (999, "999"), (1880, "1 880"), (-12_000, "-12 000"), (1_234_567, "1 234 567")])
    func grouping(value: Int, expected: String) {
        #expect(LocalizedNumber.grouped(value) == expected.replacingSpaces(with: Self.nnbsp))
    }

    @Test("decimals round half away from zero and keep grouping")
    func decimals() {
        #expect(LocalizedNumber.format(12_345.678, places: 1) == "12\u{202F}345.7")
        #expect(LocalizedNumber.format(-0.004, places: 2) == "0.00")
        #expect(LocalizedNumber.format(2.5, places: 0) == "3")
        #expect(LocalizedNumber.trimmed(2.0, places: 1) == "2")
        #expect(LocalizedNumber.format(.infinity, places: 1) == "∞")
    }

    @Test("the issue's example: 1 880 人 / 2 000 人 (94 %)")
    func occupancyExample() {
        let finding = CheckFinding.occupancy(present: 1880, capacity: 2000, ratio: 0.94)
        #expect(
            finding.text(in: .zhCN)
                == "在场 1 880 人 / 可容纳人数 2 000 人（94 %）".replacingSpaces(with: Self.nnbsp, onlyInNumbers: true))
        #expect(
            finding.text(in: .en)
                == "1 880 persons present / registered capacity 2 000 persons (94 %)"
                .replacingSpaces(with: Self.nnbsp, onlyInNumbers: true))
    }

    @Test(
        "spans of time are written in the unit a person reads: never 0.11 d",
        arguments: [
            (15.11, "15.1 秒", "15.1 s"), (40.0, "40 秒", "40 s"), (59.97, "60 秒", "60 s"), (119.4, "119 秒", "119 s"),
            (119.6, "2 分钟", "2 min"), (1500, "25 分钟", "25 min"),
            (7200, "2 小时", "2 h"), (0.11 * 86_400, "2.6 小时", "2.6 h"), (86_400, "24 小时", "24 h"),
            (1.9 * 86_400, "45.6 小时", "45.6 h"), (2 * 86_400, "2 天", "2 days"),
            (2.567 * 86_400, "2.6 天", "2.6 days"), (3 * 86_400, "3 天", "3 days"),
        ] as [(Double, String, String)])
    func spans(seconds: Double, zh: String, en: String) {
        #expect(TextArgument.timeSpan(seconds: seconds).render(.zhCN) == zh)
        #expect(TextArgument.timeSpan(seconds: seconds).render(.en) == en)
    }

    @Test("English counts take a plural, Chinese counts do not")
    func plurals() {
        #expect(TextArgument.count(1, .sources).render(.en) == "1 source")
        #expect(TextArgument.count(2, .sources).render(.en) == "2 sources")
        #expect(TextArgument.count(1, .persons).render(.en) == "1 person")
        #expect(TextArgument.count(1, .persons).render(.zhCN) == "1 人")
        #expect(TextArgument.count(2, .persons).render(.zhCN) == "2 人")
        #expect(TextArgument.count(0, .facilities).render(.en) == "0 facilities")
    }

    @Test("check values read as people read them: 1 source, not 1.00 sources; 94 %, not 0.94")
    func checkValues() {
        #expect(CheckKind.sourceRedundancy.argument(forValue: 1).render(.en) == "1 source")
        #expect(CheckKind.occupancy.argument(forValue: 0.94).render(.zhCN) == "94 %")
        #expect(CheckKind.waterDays.argument(forValue: 0.11).render(.zhCN) == "2.6 小时")
        #expect(CheckKind.sewageLevel.argument(forValue: 82).render(.en) == "82 %")
        #expect(CheckKind.generatorTransfer.argument(forValue: 15.11).render(.en) == "15.1 s")
    }

    @Test("lists join with 、 in Chinese and , in English; an empty list says so")
    func lists() {
        let list = TextArgument.list([.verbatim("a"), .verbatim("b")])
        #expect(list.render(.zhCN) == "a、b")
        #expect(list.render(.en) == "a, b")
        #expect(TextArgument.list([]).render(.zhCN) == "无")
    }
}

extension String {
    /// The text with its ASCII spaces replaced by `separator`: all of them, or (`onlyInNumbers`) only those
    /// between two digits.
    func replacingSpaces(with separator: String, onlyInNumbers: Bool = false) -> String {
        let characters = Array(self)
        var out = ""
        for (i, c) in characters.enumerated() {
            let between = i > 0 && i + 1 < characters.count && characters[i - 1].isNumber && characters[i + 1].isNumber
            out += c == " " && (!onlyInNumbers || between) ? separator : String(c)
        }
        return out
    }
}
