/// How many terminal columns text takes (what `wcswidth(3)` computes, without the C locale): East Asian
/// Wide and Fullwidth characters (汉字, `（`, `：`) take 2, combining marks and format characters 0, control
/// characters 0, everything else 1. The tables (`DisplayWidth+Tables.swift`) come from Unicode 17.0 through
/// the wcwidth package. Emoji sequences joined by ZWJ count each part.
public enum DisplayWidth {
    /// Columns of one code point: 0, 1 or 2.
    public static func columns(ofScalar scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        if value < 0x300 { return 1 }
        if contains(zeroRanges, value) { return 0 }
        return contains(wideRanges, value) ? 2 : 1
    }

    /// Columns of `text`: the sum over its code points.
    public static func columns(of text: some StringProtocol) -> Int {
        text.unicodeScalars.reduce(0) { $0 + columns(ofScalar: $1) }
    }

    /// `text` padded with spaces to `width` columns: on the right when `alignment` is `.left` (the default),
    /// on the left when `.right`. Text already `width` columns or wider is returned as it is (never cut, so no
    /// character is lost on the screen).
    public static func pad(_ text: String, to width: Int, alignment: Alignment = .left) -> String {
        let missing = width - columns(of: text)
        guard missing > 0 else { return text }
        let fill = String(repeating: " ", count: missing)
        return alignment == .left ? text + fill : fill + text
    }

    /// `text` broken into lines of at most `width` columns: the first line starts with `indent`, the others
    /// with `continuation`. Lines break at a space (dropped) or after Chinese punctuation (`，；、：`, kept); a
    /// word wider than the line is never cut (its line is wider). Returns at least one line.
    public static func wrap(_ text: String, width: Int, indent: String = "", continuation: String = "") -> [String] {
        var words: [(text: String, spaceBefore: Bool)] = []
        var current = ""
        var spaceBefore = false
        for character in text {
            if character == " " {
                if !current.isEmpty { words.append((current, spaceBefore)) }
                current = ""
                spaceBefore = true
                continue
            }
            current.append(character)
            if "，；、：".contains(character) {
                words.append((current, spaceBefore))
                current = ""
                spaceBefore = false
            }
        }
        if !current.isEmpty { words.append((current, spaceBefore)) }
        var lines: [String] = []
        var line = indent
        var isEmptyLine = true
        for word in words {
            let joined = isEmptyLine ? word.text : (word.spaceBefore ? " " : "") + word.text
            if !isEmptyLine && columns(of: line) + columns(of: joined) > width {
                lines.append(line)
                line = continuation + word.text
            } else {
                line += joined
            }
            isEmptyLine = false
        }
        lines.append(line)
        return lines
    }

    /// Where padding puts the text.
    public enum Alignment: Sendable, Hashable {
        /// Text first, spaces after.
        case left
        /// Spaces first, text after (for numbers).
        case right
    }

    private static func contains(_ ranges: [(UInt32, UInt32)], _ value: UInt32) -> Bool {
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if value < ranges[mid].0 {
                high = mid - 1
            } else if value > ranges[mid].1 {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }
}
