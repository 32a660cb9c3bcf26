import TOMLKit
import TOMLSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `TOMLText.parse` refuses, with line and column, every input that traps toml++, and parses valid TOML.
@Suite struct TOMLTextTests {
    /// Issue 12 item 2: one invisible character inside an array aborted the parser (`check-config` exit 134).
    @Test(arguments: [
        ("ports = [502,\u{2028} 1502]", 1, 14, "U+2028 (LINE SEPARATOR)"),
        ("ports = [502,\u{2029} 1502]", 1, 14, "U+2029 (PARAGRAPH SEPARATOR)"),
        ("ports = [502,\u{85} 1502]", 1, 14, "U+0085 (NEXT LINE)"),
        ("a = 1\nports = [\u{A0}502]", 2, 10, "U+00A0 (NO-BREAK SPACE)"),
        ("ports = [502,\u{3000}1502]", 1, 14, "U+3000 (IDEOGRAPHIC SPACE)"),
        ("a = [1,\u{0B}2]", 1, 8, "U+000B (LINE TABULATION)"),
        ("a = 1\u{200B}", 1, 6, "U+200B (ZERO WIDTH SPACE)"),
    ])
    func invisibleCharacterOutsideStringsIsASyntaxError(_ text: String, _ line: Int, _ column: Int, _ name: String) {
        #expect(throws: TOMLSyntaxError.self) { try TOMLText.parse(text) }
        do {
            _ = try TOMLText.parse(text)
        } catch {
            #expect(error.line == line)
            #expect(error.column == column)
            #expect(error.message == "invisible character \(name) outside a string or comment")
            #expect(error.fix.hasPrefix("delete it"))
        }
    }

    /// Non-ASCII characters outside strings reach `TOML_UNREACHABLE` in toml++ (é, 、, 。, Arabic forms).
    @Test(arguments: [
        ("étage = 1", 1, 1, "é"), ("[gateway]\nid = \"gw\"。", 2, 10, "。"), ("a = 1 ж", 1, 7, "ж"),
        ("\u{FB50} = 1", 1, 1, "\u{FB50}"), ("[é]", 1, 2, "é"), ("a = 1、2", 1, 6, "、"),
    ])
    func nonASCIIOutsideStringsIsASyntaxError(_ text: String, _ line: Int, _ column: Int, _ character: String) {
        do {
            _ = try TOMLText.parse(text)
            Issue.record("parsed: \(text)")
        } catch {
            #expect(error.line == line)
            #expect(error.column == column)
            #expect(error.message.hasPrefix("character '\(character)' (U+"))
            #expect(error.message.hasSuffix(") outside a string or comment"))
        }
    }

    /// Found by `Scripts/fuzz-toml` through the screen: `parse_time` asserts a digit after the date's 'T'.
    @Test(arguments: [
        ("d = 1979-05-27Tx07:30", 1, 16), ("a = [1979-05-27T-27T07:30]", 1, 17), ("d = 1979-05-27t:", 1, 16),
        ("d = 1978-05-22 1,", 1, 16), ("d = [1978-05-22 1]", 1, 17), ("dus = 1978-05-2= 1,927T07aue d", 1, 18),
    ])
    func aDateTimeWithoutItsTimeIsASyntaxError(_ text: String, _ line: Int, _ column: Int) {
        do {
            _ = try TOMLText.parse(text)
            Issue.record("parsed: \(text)")
        } catch {
            #expect(error.line == line)
            #expect(error.column == column)
            #expect(error.message.hasPrefix("a date"))
        }
    }

    /// marzer/tomlplusplus#190: the whitespace lookup after a line-ending backslash in a """ string.
    @Test func aLineEndingBackslashBeforeACharacterTomlPlusPlusCannotTrimIsRefused() throws {
        do {
            _ = try TOMLText.parse("a = 1\ns = \"\"\"\\\n\n  §x\"\"\"\n")
            Issue.record("parsed")
        } catch {
            #expect(error.line == 4)
            #expect(error.column == 3)
            #expect(
                error.message == "the TOML parser cannot read '§' as the first character after a line-ending backslash")
            #expect(error.fix == "write it as \\u00A7, or end the line before without the backslash")
        }
        // Chinese text (outside the lookup's broken blocks) and ASCII still continue a line.
        let table = try TOMLText.parse("s = \"\"\"避难\\\n  所\"\"\"\nt = \"\"\"a \\  \n b\"\"\"\n")
        #expect(table["s"]?.string == "避难所")
        #expect(table["t"]?.string == "a b")
    }

    @Test(arguments: ["d = 1978-05-\"2 1", "a = x\"y\"", "a = [1, 2\"]\"]"])
    func aQuoteInsideABareWordIsASyntaxError(_ text: String) {
        #expect(throws: TOMLSyntaxError.self) { try TOMLText.parse(text) }
        do { _ = try TOMLText.parse(text) } catch { #expect(error.message == "a quote inside a bare word") }
    }

    @Test func quotedKeysAndValuesStillParse() throws {
        let table = try TOMLText.parse("\"k\" = 'v'\na.\"b\".c = 1\nt = {x=\"1\",y=[\"2\",'3']}\n")
        #expect(table["k"]?.string == "v")
        #expect(table["a"]?.table?["b"]?.table?["c"]?.int == 1)
        #expect(table["t"]?.table?["y"]?.array?.count == 2)
    }

    @Test func datesTimesAndDateLikeKeysStillParse() throws {
        let table = try TOMLText.parse(
            "a = 1979-05-27T07:32:00Z\nb = 1979-05-27 07:32:00\nc = 1979-05-27\nd = 07:32:00\n1979-05-27Tx = 1\n"
                + "e = [1979-05-27, 1979-05-28 ]\n")
        #expect(table["c"] != nil && table["d"] != nil)
        #expect(table["1979-05-27Tx"]?.int == 1)
    }

    @Test func textInStringsAndCommentsIsUntouched() throws {
        let text = """
            \u{FEFF}# 避难所。注释、U+2028:\u{2028} ok
            name = "第一避难所\u{2028}、。é"
            literal = 'ж\u{A0}'
            multi = \"\"\"
            行\u{2029}
            \"\"\"
            list = [ "a", 'b', ] # ]]} in a comment
            [ "引号"."x" ] # a quoted header
            k = 1
            """
        let table = try TOMLText.parse(text)
        #expect(table["name"]?.string == "第一避难所\u{2028}、。é")
        #expect(table["literal"]?.string == "ж\u{A0}")
        #expect(table["multi"]?.string == "行\u{2029}\n")
        #expect(table["list"]?.array?.count == 2)
        #expect(table["引号"]?.table?["x"]?.table?["k"]?.int == 1)
    }

    @Test func aNULIsRefusedInsteadOfTruncatingTheDocument() {
        do {
            _ = try TOMLText.parse("a = 1\n\u{0}b = [\n")
            Issue.record("parsed")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 1)
            #expect(error.message == "a NUL character (U+0000)")
        }
    }

    @Test func crlfLinesCountAndALoneCarriageReturnIsRefused() throws {
        #expect(try TOMLText.parse("a = 1\r\nb = 2\r\n")["b"]?.int == 2)
        do {
            _ = try TOMLText.parse("a = 1\r\nb = 2\rc = 3")
            Issue.record("parsed")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 6)
        }
    }

    @Test func parseErrorsOfTomlPlusPlusCarryLineAndColumn() {
        do {
            _ = try TOMLText.parse("[gateway]\nid = \"gw\"\nstate_directory = = 3\n")
            Issue.record("parsed")
        } catch {
            #expect(error.line == 3)
            #expect(error.description.hasPrefix("TOML syntax error at line 3, column "))
        }
    }

    @Test func decodeReportsSyntaxAndUnknownKeys() throws {
        struct File: Decodable { var a: Int }
        #expect(try TOMLText.decode(File.self, from: "a = 3").a == 3)
        #expect(throws: TOMLSyntaxError.self) { try TOMLText.decode(File.self, from: "a = [\u{2028}]") }
        #expect(throws: UnexpectedKeysError.self) { try TOMLText.decode(File.self, from: "a = 3\nb = 4") }
    }

    static var corpusDirectory: String {
        let file = #filePath
        return String(file[..<(file.lastIndex(of: "/") ?? file.endIndex)]) + "/Corpus"
    }

    static var corpusFiles: [String] {
        guard let directory = opendir(corpusDirectory) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".toml") { names.append(name) }
        }
        return names.sorted()
    }

    @Test func corpusIsFound() { #expect(Self.corpusFiles.count >= 15) }

    /// Every input that once trapped toml++ is a syntax error with a position.
    @Test(arguments: corpusFiles)
    func corpusFileIsASyntaxErrorNotATrap(_ name: String) throws {
        let bytes = try #require(FileBytes.read(Self.corpusDirectory + "/" + name))
        do {
            _ = try TOMLText.parse(String(decoding: bytes, as: UTF8.self))
            Issue.record("\(name) parsed")
        } catch {
            #expect(error.line >= 1 && error.column >= 1)
            #expect(!error.message.isEmpty && !error.fix.isEmpty)
        }
    }
}

/// Reads a whole file (tests only).
enum FileBytes {
    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return bytes
    }
}
