import Testing

@testable import ShelterCore

@Suite("Display width: columns line up with Chinese text")
struct DisplayWidthTests {
    @Test(
        "columns of mixed text",
        arguments: [
            ("", 0), ("ok", 2), ("正常", 4), ("C-01 警告", 9), ("（阈值 90 %）", 13), ("1\u{202F}880 人", 8),
            ("e\u{301}", 1), ("\u{200B}x", 1), ("Ｃ", 2), ("가", 2), ("\u{1F600}", 2), ("\t", 0),
        ])
    func columns(text: String, expected: Int) {
        #expect(DisplayWidth.columns(of: text) == expected)
    }

    @Test("padding counts columns, not characters, so a table of zh and en rows lines up")
    func padding() {
        let rows = [("C-01", "正常"), ("C-12", "警告"), ("C-22", "unknown"), ("C-23", "未知")]
        let lines = rows.map { DisplayWidth.pad($0.0, to: 6) + DisplayWidth.pad($0.1, to: 9) + "|" }
        for line in lines { #expect(DisplayWidth.columns(of: line) == 16, "\(line)") }
        #expect(DisplayWidth.pad("已启用", to: 8, alignment: .right) == "  已启用")
        #expect(DisplayWidth.pad("应急避难场所", to: 4) == "应急避难场所", "never cut")
    }
}
