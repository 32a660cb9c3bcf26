/// Numbers for people, the same in zh-CN and en: decimal point `.`, digits grouped by three with a narrow
/// no-break space (U+202F) from 1 000 up (GB/T 15835-2011 §4.1.4 "千分空", the SI style), rounding half away
/// from zero. No `String(format:)` (FoundationEssentials only).
public enum LocalizedNumber {
    /// The group separator, U+202F NARROW NO-BREAK SPACE: it never breaks a number across lines and is one
    /// terminal column wide.
    public static let groupSeparator = "\u{202F}"

    /// `n` with grouping, e.g. `1880` → `"1 880"`, `-12000` → `"-12 000"`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        return (n < 0 ? "-" : "") + group(digits)
    }

    /// `value` rounded to `places` decimals (clamped to 0...6) with grouping, e.g. `(12345.678, 1)` →
    /// `"12 345.7"`; `"∞"`, `"-∞"`, `"NaN"` for non-finite values.
    public static func format(_ value: Double, places: Int) -> String {
        let plain = NumberText.format(value, decimals: places)
        guard value.isFinite, !plain.contains("e") else { return plain }
        let negative = plain.hasPrefix("-")
        let body = negative ? plain.dropFirst() : Substring(plain)
        let parts = body.split(separator: ".", maxSplits: 1)
        let whole = parts.first.map(String.init) ?? ""
        let fraction = parts.count > 1 ? "." + parts[1] : ""
        return (negative ? "-" : "") + group(whole) + fraction
    }

    /// Like `format`, without a trailing `.0…` (`2.0` → `"2"`, `2.6` → `"2.6"`).
    public static func trimmed(_ value: Double, places: Int) -> String {
        var text = format(value, places: places)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `value` rounded half away from zero to `places` decimals, as the text shows it.
    static func rounded(_ value: Double, places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<min(max(places, 0), 6) { scale *= 10 }
        return (value * scale).rounded(.toNearestOrAwayFromZero) / scale
    }

    private static func group(_ digits: String) -> String {
        guard digits.count > 3, digits.allSatisfy(\.isASCII) else { return digits }
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.append(digits[start..<end])
            end = start
        }
        return groups.reversed().joined(separator: groupSeparator)
    }
}
