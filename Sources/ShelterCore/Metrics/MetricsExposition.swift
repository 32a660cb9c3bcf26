/// Writes metric families as text a Prometheus server scrapes: OpenMetrics 1.0.0 when the scraper asks for it
/// in `Accept`, else the Prometheus text exposition format 0.0.4 (what `curl` and older scrapers get).
///
/// Differences between the two, handled here: OpenMetrics names a counter family without `_total` in `# TYPE`
/// and `# HELP` (the samples carry it), has an `info` type, writes `# UNIT`, escapes `"` in help text and ends
/// with `# EOF`; 0.0.4 names the counter `…_total` in `# TYPE`, has no info type (a gauge named `…_info`) and
/// escapes only `\` and newline in help text. Label values are escaped the same way in both: `\` → `\\`,
/// `"` → `\"`, newline → `\n`. Pure; no I/O.
public enum MetricsExposition: Sendable, Hashable {
    /// `application/openmetrics-text; version=1.0.0`.
    case openMetrics
    /// `text/plain; version=0.0.4`.
    case prometheusText

    /// The format a scraper asked for in its `Accept` header (`nil`: none given): OpenMetrics if it names
    /// `application/openmetrics-text`, else Prometheus text 0.0.4.
    public init(accept: String?) {
        self = (accept ?? "").lowercased().contains("application/openmetrics-text") ? .openMetrics : .prometheusText
    }

    /// The `Content-Type` of a reply in this format.
    public var contentType: String {
        switch self {
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        case .prometheusText: "text/plain; version=0.0.4; charset=utf-8"
        }
    }

    /// The exposition of `families`, in order; ends with `# EOF` in OpenMetrics.
    public func render(_ families: [MetricFamily]) -> String {
        var out = ""
        for family in families { write(family, to: &out) }
        if self == .openMetrics { out += "# EOF\n" }
        return out
    }

    private func write(_ family: MetricFamily, to out: inout String) {
        let sampleName: String
        let described: String
        let type: String
        switch (family.kind, self) {
        case (.counter, .openMetrics):
            (described, sampleName, type) = (family.name, family.name + "_total", "counter")
        case (.counter, .prometheusText):
            (described, sampleName, type) = (family.name + "_total", family.name + "_total", "counter")
        case (.gauge, _):
            (described, sampleName, type) = (family.name, family.name, "gauge")
        case (.info, .openMetrics):
            (described, sampleName, type) = (family.name, family.name + "_info", "info")
        case (.info, .prometheusText):
            (described, sampleName, type) = (family.name + "_info", family.name + "_info", "gauge")
        }
        out += "# HELP \(described) \(escapeHelp(family.help))\n"
        out += "# TYPE \(described) \(type)\n"
        if let unit = family.unit, self == .openMetrics { out += "# UNIT \(described) \(unit)\n" }
        for sample in family.samples {
            out += sampleName
            if !sample.labels.isEmpty {
                out += "{"
                out += sample.labels.map { "\($0.name)=\"\(Self.escapeLabelValue($0.value))\"" }.joined(separator: ",")
                out += "}"
            }
            out += " \(Self.number(sample.value))\n"
        }
    }

    /// A label value with `\`, `"` and newline escaped (both formats).
    public static func escapeLabelValue(_ text: String) -> String { escape(text, quotes: true) }

    /// Help text escaped for this format: `\` and newline, and in OpenMetrics also `"`.
    func escapeHelp(_ text: String) -> String { Self.escape(text, quotes: self == .openMetrics) }

    private static func escape(_ text: String, quotes: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"" where quotes: out += "\\\""
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A sample value: integers without a fraction (`42`), others as Swift prints a `Double` (`0.0125`,
    /// `1.5e-05`), `NaN`, `+Inf`, `-Inf`.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return "\(value)"
    }
}
