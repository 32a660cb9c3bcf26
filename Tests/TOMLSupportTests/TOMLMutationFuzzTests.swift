import ShelterCore
import TOMLKit
import TOMLSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A seeded mutation fuzz of `TOMLText.parse` over every file shipped under `Firmware-Config/`: whatever the
/// mutation, the result is a table or a `TOMLSyntaxError`, never a trap (a trap kills the test process).
/// Bounded: a fixed number of rounds per file, the same every run (seeded), a few seconds in all.
@Suite struct TOMLMutationFuzzTests {
    static var firmwareConfig: String {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) }
        return path + "/Firmware-Config"
    }

    /// Every `*.toml` under `Firmware-Config` (sites, profiles, scenarios, value scripts).
    static var shippedFiles: [String] {
        var found: [String] = []
        func walk(_ directory: String) {
            guard let handle = opendir(directory) else { return }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name.hasPrefix(".") { continue }
                let path = directory + "/" + name
                if entry.pointee.d_type == UInt8(DT_DIR) {
                    walk(path)
                } else if name.hasSuffix(".toml") {
                    found.append(path)
                }
            }
        }
        walk(firmwareConfig)
        return found.sorted()
    }

    /// Characters that broke toml++ or sit on its edges: structure, quotes, escapes, line ends, every
    /// invisible whitespace it knows, non-ASCII from each range that reaches `TOML_UNREACHABLE`, NUL.
    static let alphabet: [String] = [
        "[", "]", "[[", "]]", "{", "}", "=", ",", ".", "\"", "'", "\"\"\"", "'''", "#", "\\", "\\u", "\n", "\r\n", "\r",
        "\t", " ", "0", "1e-320", "nan", "inf", "-", "+", "_", ":", "T", "1979-05-27", "07:32:00", "true", "x",
        "\u{0}", "\u{0B}", "\u{0C}", "\u{7F}", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{200B}", "\u{2028}",
        "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}", "é", "ж", "、", "。", "，", "＝", "\u{FB50}",
        "避", "\u{FFFD}", "😀", "§", "\\\n", "\"\"\"\\\n§", "1979-05-27T", "T0",
    ]

    static func mutate(_ base: [Character], using random: inout SeededRandom) -> String {
        var text = base
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            guard !text.isEmpty else { break }
            let at = Int.random(in: 0..<text.count, using: &random)
            let piece = Array(alphabet.randomElement(using: &random) ?? "")
            switch Int.random(in: 0..<4, using: &random) {
            case 0: text.insert(contentsOf: piece, at: at)
            case 1: text.replaceSubrange(at..<min(text.count, at + piece.count), with: piece)
            case 2: text.removeSubrange(at..<min(text.count, at + Int.random(in: 1...40, using: &random)))
            default:  // splice: copy a slice of the text elsewhere (duplicated headers, half strings)
                let from = Int.random(in: 0..<text.count, using: &random)
                let slice = text[from..<min(text.count, from + Int.random(in: 1...80, using: &random))]
                text.insert(contentsOf: slice, at: at)
            }
        }
        return String(text)
    }

    @Test func shippedFilesAreFound() { #expect(Self.shippedFiles.count >= 15) }

    @Test(arguments: shippedFiles)
    func mutantsOfAShippedFileParseOrGiveASyntaxError(_ path: String) throws {
        let bytes = try #require(FileBytes.read(path))
        let base = Array(String(decoding: bytes, as: UTF8.self))
        // The unmutated file parses.
        #expect(throws: Never.self) { try TOMLText.parse(String(base)) }
        var random = SeededRandom(seed: 20_261_204 &+ UInt64(path.utf8.count))  // a failing round reproduces
        var refused = 0
        let rounds = 150
        for _ in 0..<rounds {
            do {
                _ = try TOMLText.parse(Self.mutate(base, using: &random))
            } catch {
                #expect(error.line >= 1 && error.column >= 1 && !error.message.isEmpty)
                refused += 1
            }
        }
        // A mutant may stay valid (a digit for a digit), but most are refused; none trapped to get here.
        #expect(refused > rounds / 4)
    }
}
