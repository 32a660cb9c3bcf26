/// A small XML writer: elements with escaped text and attributes, two-space indentation.
struct XMLText {
    private(set) var text = ""
    private var depth = 0

    mutating func line(_ raw: String) { text += raw + "\n" }

    mutating func open(_ name: String, attributes: [(String, String)] = []) {
        let attributeText = attributes.map { " \($0.0)=\"\(Self.escape($0.1))\"" }.joined()
        text += indent + "<\(name)\(attributeText)>\n"
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        text += indent + "</\(name)>\n"
    }

    mutating func element(_ name: String, _ value: String, attributes: [(String, String)] = []) {
        let attributeText = attributes.map { " \($0.0)=\"\(Self.escape($0.1))\"" }.joined()
        text += indent + "<\(name)\(attributeText)>\(Self.escape(value))</\(name)>\n"
    }

    mutating func empty(_ name: String, attributes: [(String, String)]) {
        let attributeText = attributes.map { " \($0.0)=\"\(Self.escape($0.1))\"" }.joined()
        text += indent + "<\(name)\(attributeText)/>\n"
    }

    private var indent: String { String(repeating: "  ", count: depth) }

    /// Text with `& < > " '` escaped and characters XML 1.0 forbids (C0 controls but tab, LF, CR) dropped.
    static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
