/// A lexical pre-check run before TOMLKit parses a document.
///
/// toml++ 3 (inside TOMLKit 0.6.0) traps on an assertion, instead of reporting an error, on two kinds of
/// broken input found by `LoaderFuzzTests`: a table header whose first non-blank character after `[` or
/// `[[` is not a key (`[[` then a newline, `[.a]`, `[#`), and a `}` where an array expects a value
/// (`a = [1, }`). This scan, outside strings and comments, reports those (and any closing bracket that does
/// not match the open one) as syntax errors with line and column, so such input never reaches the trap.
/// Internal.
enum TOMLPreflight {
    struct Problem: Equatable {
        var line: Int
        var column: Int
        var message: String
    }

    static func firstProblem(in text: String) -> Problem? {
        let bytes = Array(text.utf8)
        var index = 0
        var line = 1
        var lineStart = 0
        var open: [UInt8] = []  // value arrays and inline tables not yet closed
        var atLineStart = true  // only blanks seen since the last newline

        func starts(with pattern: String, at position: Int) -> Bool {
            let p = Array(pattern.utf8)
            return position + p.count <= bytes.count && Array(bytes[position..<(position + p.count)]) == p
        }
        func skipString(delimiter: UInt8) {
            let triple = String(decoding: [delimiter, delimiter, delimiter], as: UTF8.self)
            let isBasic = delimiter == UInt8(ascii: "\"")
            if starts(with: triple, at: index) {
                index += 3
                while index < bytes.count, !starts(with: triple, at: index) {
                    if isBasic, bytes[index] == UInt8(ascii: "\\") { index += 1 }
                    if index < bytes.count, bytes[index] == UInt8(ascii: "\n") {
                        line += 1
                        lineStart = index + 1
                    }
                    index += 1
                }
                index += 3
                while index < bytes.count, bytes[index] == delimiter { index += 1 }  // up to two quotes may close
                return
            }
            index += 1
            while index < bytes.count, bytes[index] != delimiter, bytes[index] != UInt8(ascii: "\n") {
                if isBasic, bytes[index] == UInt8(ascii: "\\") { index += 1 }
                index += 1
            }
            if index < bytes.count, bytes[index] == delimiter { index += 1 }
        }

        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1
                lineStart = index + 1
                atLineStart = true
                index += 1
                continue
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
                continue
            case UInt8(ascii: "#"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                skipString(delimiter: byte)
            case UInt8(ascii: "["):
                if open.isEmpty, atLineStart {
                    var next = index + 1
                    if next < bytes.count, bytes[next] == UInt8(ascii: "[") { next += 1 }
                    while next < bytes.count, bytes[next] == UInt8(ascii: " ") || bytes[next] == UInt8(ascii: "\t") {
                        next += 1
                    }
                    if next < bytes.count, !isKeyStart(bytes[next]) {
                        return Problem(line: line, column: next - lineStart + 1,
                                       message: "a table header must start with a key")
                    }
                    // Skip the header to the end of its line; its brackets are not value brackets.
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\n"), bytes[index] != UInt8(ascii: "#") {
                        if bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                            skipString(delimiter: bytes[index])
                        } else {
                            index += 1
                        }
                    }
                    atLineStart = false
                    continue
                }
                open.append(byte)
                index += 1
            case UInt8(ascii: "{"):
                open.append(byte)
                index += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if let last = open.last {
                    let opener = byte == UInt8(ascii: "]") ? UInt8(ascii: "[") : UInt8(ascii: "{")
                    if last != opener {
                        return Problem(line: line, column: index - lineStart + 1,
                                       message: "'\(Character(Unicode.Scalar(byte)))' does not close the open '\(Character(Unicode.Scalar(last)))'")
                    }
                    open.removeLast()
                }
                index += 1
            default:
                index += 1
            }
            atLineStart = false
        }
        return nil
    }

    private static func isKeyStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}
