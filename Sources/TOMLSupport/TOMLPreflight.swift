/// A lexical screen run before toml++ parses a document. Internal; `TOMLText.parse(_:)` is the entry point.
///
/// toml++ 3.4.0 (inside TOMLKit 0.6.0) traps instead of reporting an error on these classes of input, all
/// found by fuzzing (`Scripts/fuzz-toml`, a libFuzzer harness over toml++ as TOMLKit builds it) and kept
/// as corpus files under `Tests/TOMLSupportTests/Corpus`:
/// 1. A character outside strings and comments that is not printable ASCII, a space, a tab or a line end:
///    - an invisible or non-ASCII "whitespace" where a value may start (U+2028, U+2029, U+0085, U+00A0,
///      U+3000, …; `a = [1,<U+2028> 2]`) fails `parse_value`'s assertion `!is_value_terminator(*cp)`;
///    - any code point in U+00A1…U+0499, U+2C5E…U+3057 (except U+3000) or U+FB26…U+FEFE (`é`, `、`, `。`)
///      reaches `TOML_UNREACHABLE` in `is_non_ascii_horizontal_whitespace` (`__builtin_unreachable()`: undefined
///      behaviour in release builds too). The same lookup runs on the first character after a line-ending
///      backslash inside a `"""` string (marzer/tomlplusplus#190): such a character there is refused too.
///    TOML 1.0 allows none of these there anyway (whitespace is space and tab; bare keys are ASCII), so the
///    screen refuses the whole class and loses no valid document.
/// 2. A table header whose first non-blank character after `[` or `[[` is not a key (`[[` then a newline,
///    `[.a]`, `[#`, `[}`, `[:`): assertion in `parse_key`.
/// 3. A `}` where an array expects a value (`a = [1, }`): any closing bracket that does not match the open
///    one is refused.
/// 4. A date followed by `T` (or `t`) and then not a digit, where a `:` follows later in the value
///    (`a = 1979-05-27Tx07:30`): assertion `is_decimal_digit(*cp)` in `parse_time`. Found by
///    `Scripts/fuzz-toml` through this very screen. Refused in value position whenever the digit is missing.
/// 5. A date, one space, one digit and the end of the value (`d = 1978-05-22 1,`): assertion
///    `!is_value_terminator(*cp)` in `parse_value`'s scan; also found by `Scripts/fuzz-toml`.
/// 6. A quote inside a bare word (`d = 1978-05-"2 1`): toml++ scans it as part of the value, while this
///    screen would read a string; refused (never valid TOML) so both read the text the same way.
/// 7. A NUL anywhere: TOMLKit hands the text to C as a NUL-terminated string, so toml++ would silently parse
///    only the part before it.
/// A UTF-8 byte-order mark at the very start is allowed (toml++ skips it). Strings and comments are not
/// screened beyond NUL: toml++ reports bad characters there itself.
enum TOMLPreflight {
    static func firstProblem(in text: String) -> TOMLSyntaxError? {
        var scanner = Scanner(Array(text.unicodeScalars))
        return scanner.run()
    }

    private struct Scanner {
        let scalars: [Unicode.Scalar]
        var index = 0
        var line = 1
        var lineStart = 0
        /// Value arrays and inline tables not yet closed.
        var open: [Unicode.Scalar] = []
        /// Only blanks seen since the last line end.
        var atLineStart = true
        /// Past the `=` of a key/value line (or inside brackets): where values are.
        var inValue = false

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        func problem(
            _ message: String, fix: String = "correct the TOML syntax at that position", at position: Int? = nil
        )
            -> TOMLSyntaxError
        {
            TOMLSyntaxError(line: line, column: (position ?? index) - lineStart + 1, message: message, fix: fix)
        }

        mutating func newLine() {
            line += 1
            lineStart = index
            atLineStart = true
        }

        mutating func run() -> TOMLSyntaxError? {
            if current == "\u{FEFF}" {
                index += 1
                lineStart = index
            }
            while let scalar = current {
                switch scalar {
                case "\n":
                    index += 1
                    newLine()
                    if open.isEmpty { inValue = false }
                    continue
                case "\r":
                    guard index + 1 < scalars.count, scalars[index + 1] == "\n" else {
                        return problem(
                            "a carriage return not followed by a line feed",
                            fix: "save the file with LF or CRLF line ends")
                    }
                    index += 2
                    newLine()
                    if open.isEmpty { inValue = false }
                    continue
                case " ", "\t":
                    if scalar == " ", inValue || !open.isEmpty, let problem = checkSpaceAfterDate() { return problem }
                    index += 1
                    continue
                case "#":
                    if let problem = skipComment() { return problem }
                    continue
                case "\"", "'":
                    // toml++ starts a string only where a key or value starts; a quote inside a bare word is part
                    // of that word for its value scan (found by fuzzing: `d = 1978-05-"2 1`). Never valid TOML.
                    if index > 0, !atLineStart, !Self.startsToken(after: scalars[index - 1]) {
                        return problem(
                            "a quote inside a bare word", fix: "quote the whole key or value, or remove the quote")
                    }
                    if let problem = skipString(delimiter: scalar) { return problem }
                case "[" where open.isEmpty && atLineStart:
                    if let problem = scanHeader() { return problem }
                    continue
                case "[", "{":
                    open.append(scalar)
                    index += 1
                case "]", "}":
                    if let last = open.last {
                        let opener: Unicode.Scalar = scalar == "]" ? "[" : "{"
                        if last != opener {
                            return problem(
                                "'\(scalar)' does not close the open '\(last)'",
                                fix: "close the open '\(last)' with '\(last == "[" ? "]" : "}")' first")
                        }
                        open.removeLast()
                    }
                    index += 1
                case "=":
                    inValue = true
                    index += 1
                default:
                    if scalar == "T" || scalar == "t", inValue || !open.isEmpty, isDateBefore(index),
                        index + 1 >= scalars.count || !("0"..."9").contains(scalars[index + 1])
                    {
                        return problem(
                            "a date-time needs the time right after '\(scalar)'",
                            fix: "write the time after the date, e.g. 1979-05-27T07:32:00, or quote the text",
                            at: index + 1)
                    }
                    if let problem = checkBare(at: index) { return problem }
                    index += 1
                }
                atLineStart = false
            }
            return nil
        }

        /// toml++ reads `YYYY-MM-DD D` (a date, one space, one digit, then the value's end) as a date-time with a
        /// space and then scans past the end of the value: assertion `!is_value_terminator(*cp)` in
        /// `parse_value`. Never valid TOML (a time is HH:MM:SS), so refused. `index` is at the space.
        func checkSpaceAfterDate() -> TOMLSyntaxError? {
            guard index >= 10, index + 2 < scalars.count, ("0"..."9").contains(scalars[index + 1]),
                Self.endsValue(scalars[index + 2]), ("0"..."9").contains(scalars[index - 10]),
                scalars[index - 6] == "-", scalars[index - 3] == "-",
                !scalars[(index - 10)..<index].contains(where: Self.endsValue)
            else { return nil }
            if index >= 11, !Self.endsValue(scalars[index - 11]), scalars[index - 11] != "=",
                scalars[index - 11] != "[", scalars[index - 11] != "{"
            {
                return nil
            }
            return problem(
                "a date followed by a single digit after the space",
                fix: "write the time in full after the date, e.g. 1979-05-27 07:32:00, or quote the text",
                at: index + 1)
        }

        /// Whether a key or value may start right after `scalar`.
        static func startsToken(after scalar: Unicode.Scalar) -> Bool {
            switch scalar {
            case " ", "\t", "\n", "=", "[", "{", ",", ".": true
            default: false
            }
        }

        /// Characters that end a value for toml++ (`is_value_terminator`): whitespace, `]`, `}`, `,`, `#`.
        static func endsValue(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar {
            case " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "]", "}", ",", "#": true
            default: false
            }
        }

        /// Whether a value token `YYYY-MM-DD` ends right before `position` (not the tail of a longer bare word).
        func isDateBefore(_ position: Int) -> Bool {
            guard position >= 10 else { return false }
            let shape = Array("dddd-dd-dd".unicodeScalars)
            for (offset, expected) in shape.enumerated() {
                let scalar = scalars[position - 10 + offset]
                if expected == "d" ? !("0"..."9").contains(scalar) : scalar != expected { return false }
            }
            guard position >= 11 else { return true }
            switch scalars[position - 11] {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "-", "+", ".", ":": return false
            default: return true
            }
        }

        /// A character outside strings and comments must be printable ASCII, a blank or a line end; reported
        /// at `position`.
        func checkBare(at position: Int) -> TOMLSyntaxError? {
            let scalar = scalars[position]
            if scalar.value >= 0x21, scalar.value <= 0x7E { return nil }
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" { return nil }
            if scalar.value == 0 { return nulProblem(at: position) }
            let hex = String(scalar.value, radix: 16, uppercase: true)
            let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            if let name = Self.invisibleNames[scalar.value] {
                return problem(
                    "invisible character \(code) (\(name)) outside a string or comment",
                    fix: "delete it: between keys and values TOML allows only spaces, tabs and line ends "
                        + "(editors show this character as nothing or as a plain space)", at: position)
            }
            if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
                return problem(
                    "control character \(code) outside a string or comment",
                    fix: "delete it: between keys and values TOML allows only spaces, tabs and line ends", at: position)
            }
            return problem(
                "character '\(Character(scalar))' (\(code)) outside a string or comment",
                fix: "put text in quotes (\"…\"); keys, numbers and punctuation are ASCII only "
                    + "(check for full-width punctuation such as '，' or '＝')", at: position)
        }

        func nulProblem(at position: Int? = nil) -> TOMLSyntaxError {
            problem(
                "a NUL character (U+0000)", fix: "delete it; a TOML file is text and never contains NUL", at: position)
        }

        mutating func skipComment() -> TOMLSyntaxError? {
            while let scalar = current, scalar != "\n" {
                if scalar == "\0" { return nulProblem() }
                index += 1
            }
            return nil
        }

        /// Skips a basic or literal string, single- or multi-line; an unterminated one ends at the line end
        /// (or the end of text), and toml++ reports it.
        mutating func skipString(delimiter: Unicode.Scalar) -> TOMLSyntaxError? {
            let isBasic = delimiter == "\""
            func isTriple(at position: Int) -> Bool {
                position + 2 < scalars.count && scalars[position] == delimiter && scalars[position + 1] == delimiter
                    && scalars[position + 2] == delimiter
            }
            if isTriple(at: index) {
                index += 3
                while index < scalars.count, !isTriple(at: index) {
                    if scalars[index] == "\0" { return nulProblem() }
                    if isBasic, scalars[index] == "\\", isLineEndingBackslash(at: index) {
                        if let problem = skipTrimmedWhitespace() { return problem }
                        continue
                    }
                    if isBasic, scalars[index] == "\\" { index += 1 }
                    if index < scalars.count, scalars[index] == "\n" {
                        index += 1
                        newLine()
                        continue
                    }
                    index += 1
                }
                index += 3
                while index < scalars.count, scalars[index] == delimiter { index += 1 }  // up to two quotes may close
                return nil
            }
            index += 1
            while let scalar = current, scalar != delimiter, scalar != "\n" {
                if scalar == "\0" { return nulProblem() }
                if isBasic, scalar == "\\" {
                    index += 1
                    if current == "\0" { return nulProblem() }
                    if current == "\n" { break }
                }
                index += 1
            }
            if current == delimiter { index += 1 }
            return nil
        }

        /// Whether the backslash at `position` ends its line (only blanks follow before the line end): toml++
        /// then trims the whitespace that follows, line ends included.
        func isLineEndingBackslash(at position: Int) -> Bool {
            var next = position + 1
            while next < scalars.count, scalars[next] == " " || scalars[next] == "\t" { next += 1 }
            return next < scalars.count && (scalars[next] == "\n" || scalars[next] == "\r")
        }

        /// Skips a line-ending backslash and the whitespace toml++ trims after it; refuses a first character
        /// that sends toml++'s `is_non_ascii_horizontal_whitespace` to `TOML_UNREACHABLE` (marzer/tomlplusplus#190
        /// and #295, fixed upstream after 3.4.0 by #305; TOMLKit 0.6.0 bundles 3.4.0).
        mutating func skipTrimmedWhitespace() -> TOMLSyntaxError? {
            index += 1
            while let scalar = current, scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                index += 1
                if scalar == "\n" { newLine() }
            }
            guard let scalar = current, Self.trapsWhitespaceLookup(scalar) else { return nil }
            let hex = String(scalar.value, radix: 16, uppercase: true)
            let code = "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            return problem(
                "the TOML parser cannot read '\(Character(scalar))' as the first character after a line-ending backslash",
                fix: "write it as \(code), or end the line before without the backslash")
        }

        /// Code points toml++ 3.4.0's `is_non_ascii_horizontal_whitespace` has no case for (its lookup blocks
        /// 0, 11 and 63 of 0x3FA code points from U+00A0, less the three it names).
        static func trapsWhitespaceLookup(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0xA1...0x499, 0x2C5E...0x2FFF, 0x3001...0x3057, 0xFB26...0xFEFE: true
            default: false
            }
        }

        /// A `[table]` or `[[array]]` header: its first non-blank character must start a key; the rest of
        /// the line is screened like any bare text, and its brackets are not value brackets.
        mutating func scanHeader() -> TOMLSyntaxError? {
            var next = index + 1
            if next < scalars.count, scalars[next] == "[" { next += 1 }
            while next < scalars.count, scalars[next] == " " || scalars[next] == "\t" { next += 1 }
            if next >= scalars.count || !Self.isKeyStart(scalars[next]) {
                if next < scalars.count, let bare = checkBare(at: next) { return bare }
                return problem(
                    "a table header must start with a key",
                    fix: "write the table name right after '[' (e.g. [devices] or [[buses]])",
                    at: min(next, scalars.count))
            }
            index = next
            while let scalar = current, scalar != "\n", scalar != "#" {
                switch scalar {
                case "\"", "'":
                    if let problem = skipString(delimiter: scalar) { return problem }
                case " ", "\t", "\r":
                    if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" { return nil }
                    if scalar == "\r" {
                        return problem(
                            "a carriage return not followed by a line feed",
                            fix: "save the file with LF or CRLF line ends")
                    }
                    index += 1
                default:
                    if let problem = checkBare(at: index) { return problem }
                    index += 1
                }
            }
            atLineStart = false
            return nil
        }

        static func isKeyStart(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "-", "\"", "'": true
            default: false
            }
        }

        /// Names of characters that show as nothing or as a plain space in most editors.
        static let invisibleNames: [UInt32: String] = [
            0x0B: "LINE TABULATION", 0x0C: "FORM FEED", 0x85: "NEXT LINE", 0xA0: "NO-BREAK SPACE",
            0x1680: "OGHAM SPACE MARK", 0x180E: "MONGOLIAN VOWEL SEPARATOR", 0x2000: "EN QUAD", 0x2001: "EM QUAD",
            0x2002: "EN SPACE", 0x2003: "EM SPACE", 0x2004: "THREE-PER-EM SPACE", 0x2005: "FOUR-PER-EM SPACE",
            0x2006: "SIX-PER-EM SPACE", 0x2007: "FIGURE SPACE", 0x2008: "PUNCTUATION SPACE", 0x2009: "THIN SPACE",
            0x200A: "HAIR SPACE", 0x200B: "ZERO WIDTH SPACE", 0x200C: "ZERO WIDTH NON-JOINER",
            0x200D: "ZERO WIDTH JOINER", 0x200E: "LEFT-TO-RIGHT MARK", 0x200F: "RIGHT-TO-LEFT MARK",
            0x2028: "LINE SEPARATOR", 0x2029: "PARAGRAPH SEPARATOR", 0x202F: "NARROW NO-BREAK SPACE",
            0x205F: "MEDIUM MATHEMATICAL SPACE", 0x2060: "WORD JOINER", 0x3000: "IDEOGRAPHIC SPACE",
            0xFEFF: "ZERO WIDTH NO-BREAK SPACE, a byte-order mark not at the start",
        ]
    }
}
