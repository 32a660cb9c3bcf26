extension String {
    /// The text for XML 1.0 content and attribute values: `& < > " '` escaped, and the characters XML 1.0 cannot
    /// carry (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF) dropped. Used by the CAP documents and the
    /// HIL runner's JUnit reports.
    public var xmlEscaped: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
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
