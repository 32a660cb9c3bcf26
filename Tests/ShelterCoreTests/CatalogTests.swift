import FoundationEssentials
import Testing

@testable import ShelterCore

@Suite("Message catalog: every key in zh-CN and en, with the same arguments")
struct CatalogTests {
    static let samples = CatalogSamples.all

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        (0x3000...0x303F).contains(scalar.value) || (0x4E00...0x9FFF).contains(scalar.value)
            || (0xFF00...0xFFEF).contains(scalar.value)
    }

    @Test("every sample is one case of its type, and every case of every type has a sample")
    func coverage() throws {
        var hit: [String: (Set<Int>, Int)] = [:]
        for sample in Self.samples {
            let position = try #require(CatalogCoverage.position(of: sample.entry), "\(sample.name): unknown type")
            hit[position.type, default: ([], position.count)].0.insert(position.index)
        }
        #expect(hit.count == 12)
        for (type, (indices, count)) in hit {
            let missing = Set(0..<count).subtracting(indices)
            #expect(missing.isEmpty && indices.count == count, "\(type): cases without a sample: \(missing)")
        }
        #expect(Set(Self.samples.map(\.name)).count == Self.samples.count, "sample names are unique")
    }

    @Test("the zh-CN and en texts of each key take the same arguments")
    func sameArguments() {
        for sample in Self.samples {
            let texts = sample.entry.texts
            let zh = texts.zh.arguments.map { "\($0)" }.sorted()
            let en = texts.en.arguments.map { "\($0)" }.sorted()
            #expect(zh == en, "\(sample.name): zh \(zh) vs en \(en)")
        }
    }

    @Test("zh-CN texts are Chinese, en texts have no Chinese, and neither has stray spaces")
    func bothLanguagesWritten() {
        for sample in Self.samples {
            let zh = sample.entry.text(in: .zhCN)
            let en = sample.entry.text(in: .en)
            #expect(zh.unicodeScalars.contains(where: Self.isCJK), "\(sample.name) zh: \(zh)")
            #expect(!en.unicodeScalars.contains(where: Self.isCJK), "\(sample.name) en: \(en)")
            for text in [zh, en] {
                #expect(!text.contains("  "), "\(sample.name): double space in \(text)")
                #expect(
                    text.first?.isWhitespace != true && text.last?.isWhitespace != true,
                    "\(sample.name): edge space in '\(text)'")
                #expect(!text.contains("( ") && !text.contains(" )"), "\(sample.name): \(text)")
            }
            #expect(!zh.contains("(") && !zh.contains(")"), "\(sample.name): zh uses full-width brackets: \(zh)")
        }
    }

    @Test("an argument list differing between the languages is caught")
    func argumentCheckCanFail() {
        let broken = Bilingual(zh: "在场 \(.persons(3))", en: "\(.persons(4)) present")
        #expect(broken.zh.arguments != broken.en.arguments)
    }

    /// `SHELTER_UPDATE_GOLDEN=1 swift test --filter CatalogTests` rewrites the files after a deliberate change;
    /// read the diff as a duty officer would before committing it.
    @Test("the rendered catalog matches Fixtures/messages-zh-CN.txt and messages-en.txt", arguments: Language.allCases)
    func golden(language: Language) throws {
        let rendered = Self.samples.map { "\($0.name) = \($0.entry.text(in: language))" }.joined(separator: "\n") + "\n"
        let directory = String(#filePath).split(separator: "/").dropLast().joined(separator: "/")
        let url = URL(filePath: "/" + directory + "/Fixtures/messages-\(language.rawValue).txt")
        if ProcessInfo.processInfo.environment["SHELTER_UPDATE_GOLDEN"] == "1" {
            try Data(rendered.utf8).write(to: url)
        }
        let expected = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let renderedLines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, (want, got)) in zip(expectedLines, renderedLines).enumerated() where want != got {
            Issue.record("line \(index + 1): expected\n  \(want)\nrendered\n  \(got)")
        }
        #expect(expectedLines.count == renderedLines.count)
    }
}
