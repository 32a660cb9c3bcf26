/// Decimal text for summaries and headlines without `String(format:)` (which needs full Foundation).
public enum NumberText {
    /// `value` rounded half away from zero to `decimals` places (0...6), e.g. `(0.326, 2)` → `"0.33"`;
    /// `"∞"`/`"-∞"`/`"NaN"` for non-finite values.
    public static func format(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-∞" : "∞") }
        let places = min(max(decimals, 0), 6)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { return String(value) }
        let units = Int64(scaled)
        let divisor = Int64(scale)
        let whole = units / divisor
        let fraction = units % divisor
        let sign = value < 0 && units != 0 ? "-" : ""
        guard places > 0 else { return sign + String(whole) }
        let digits = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: places - digits.count) + digits
    }

    /// A ratio as a whole percentage, e.g. `0.92` → `"92 %"`.
    public static func percent(_ ratio: Double) -> String { format(ratio * 100, decimals: 0) + " %" }

    /// A span of time for people: `0.5 s`, `9.3 s` (one decimal below 10 s), `12 s`, `4 min 3 s`, `2 h 5 min`,
    /// `3 d 4 h`; negative spans read as `0 s`, non-finite ones as `"∞"`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "∞" }
        if seconds < 9.95 { return format(max(0, seconds), decimals: 1) + " s" }
        let s = Int(seconds.rounded())
        switch s {
        case ..<60: return "\(s) s"
        case ..<3600: return "\(s / 60) min \(s % 60) s"
        case ..<86_400: return "\(s / 3600) h \(s % 3600 / 60) min"
        default: return "\(s / 86_400) d \(s % 86_400 / 3600) h"
        }
    }

    /// `duration(_:)` of a `Duration`.
    public static func duration(_ span: Duration) -> String { duration(span.inSeconds) }
}
