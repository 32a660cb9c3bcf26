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
}
