/// One metric family for a scrape: name, type, help text and its samples (OpenMetrics 1.0 §"Metric Families",
/// Prometheus text exposition format 0.0.4).
///
/// Built fresh on each scrape from snapshots of the agent's figures; `MetricsExposition` writes it out. Plain
/// value type; `Sendable`.
public struct MetricFamily: Sendable, Hashable {
    /// The family's type, as the `# TYPE` line names it.
    public enum Kind: String, Sendable, Hashable {
        /// Only goes up (resets when the process or the service group restarts); samples end in `_total`.
        case counter
        /// Any value at the time of the scrape.
        case gauge
        /// A constant 1 whose labels carry text (a version); the sample ends in `_info`. Prometheus text 0.0.4
        /// has no info type: there it is a gauge named `…_info`.
        case info
    }

    /// One sample: its label pairs (in the order written) and value.
    public struct Sample: Sendable, Hashable {
        /// Label names and values, written in this order. Names follow `[a-zA-Z_][a-zA-Z0-9_]*`; values are any
        /// text (escaped when written).
        public var labels: [Label]
        /// The value; NaN and ±infinity are written as `NaN`, `+Inf`, `-Inf`.
        public var value: Double

        public init(_ labels: [Label] = [], _ value: Double) {
            self.labels = labels
            self.value = value
        }
    }

    /// A label name and its value.
    public struct Label: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The family name without the `_total` / `_info` suffix, e.g. `shelter_agent_device_requests`; must match
    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    public var name: String
    public var kind: Kind
    /// One line of help text (escaped when written).
    public var help: String
    /// The OpenMetrics unit (`seconds`), written as `# UNIT` in OpenMetrics only; the name must end in it.
    public var unit: String?
    /// Samples in the order written. A family with no samples is still described (HELP and TYPE).
    public var samples: [Sample]

    public init(name: String, kind: Kind, help: String, unit: String? = nil, samples: [Sample]) {
        self.name = name
        self.kind = kind
        self.help = help
        self.unit = unit
        self.samples = samples
    }
}
