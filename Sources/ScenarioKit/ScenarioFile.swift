/// The scenario file as written (TOML, `Firmware-Config/scenarios/<name>.toml`): every key optional here,
/// checked by `Scenario.validate(_:baseDirectory:)`. Keys are documented in `Firmware-Config/scenarios/README.md`.
public struct ScenarioFile: Sendable, Hashable, Decodable {
    public var name: String?
    public var description: String?
    public var site: String?
    public var values: String?
    public var durationSeconds: Number?
    public var agent: Agent?
    public var registry: Registry?
    public var steps: [StepEntry]?
    public var expect: Expect?
    public var thresholds: [String: Threshold]?

    enum CodingKeys: String, CodingKey {
        case name, description, site, values, agent, registry, steps, expect, thresholds
        case durationSeconds = "duration_seconds"
    }

    /// `[agent]`: cadences patched into the site copy the agent runs with.
    public struct Agent: Sendable, Hashable, Decodable {
        public var reportIntervalSeconds: Number?
        public var heartbeatIntervalSeconds: Number?

        enum CodingKeys: String, CodingKey {
            case reportIntervalSeconds = "report_interval_seconds"
            case heartbeatIntervalSeconds = "heartbeat_interval_seconds"
        }
    }

    /// `[thresholds."C-xx"]`: site-policy threshold overrides merged into the site copy (same keys as the
    /// site file's table), e.g. a short `hold_for_seconds` so a scenario stays short.
    public struct Threshold: Sendable, Hashable, Decodable {
        public var warning: Number?
        public var critical: Number?
        public var holdForSeconds: Number?
        public var enabled: Bool?

        enum CodingKeys: String, CodingKey {
            case warning, critical, enabled
            case holdForSeconds = "hold_for_seconds"
        }
    }

    /// `[registry]`: the shelter's lifecycle at the registry before the agent starts.
    public struct Registry: Sendable, Hashable, Decodable {
        public var lifecycle: String?
        public var drill: Bool?
    }

    /// One `[[steps]]` entry; `action` says which other keys apply.
    public struct StepEntry: Sendable, Hashable, Decodable {
        public var atSeconds: Number?
        public var action: String?
        public var device: String?
        public var point: String?
        public var value: Scalar?
        public var from: Number?
        public var to: Number?
        public var overSeconds: Number?
        public var fault: String?
        public var exceptionCode: Int?
        public var function: String?
        public var addresses: [Int]?
        public var delayMilliseconds: Number?
        public var state: String?
        public var drill: Bool?
        public var mode: String?
        /// `bus_path`: the bus and the serial path the agent's copy of the site file gives it.
        public var bus: String?
        public var path: String?
        /// `gateway_certificate`: the gateway the agent's client certificate names (absent: its own).
        public var gateway: String?

        enum CodingKeys: String, CodingKey {
            case action, device, point, value, from, to, fault, function, addresses, state, drill, mode, bus, path
            case gateway
            case atSeconds = "at_seconds"
            case overSeconds = "over_seconds"
            case exceptionCode = "exception_code"
            case delayMilliseconds = "delay_milliseconds"
        }

        /// The keys that are set, by file name (to reject keys that do not apply to the action).
        var keysSet: [String] {
            let all: [(String, Bool)] = [
                ("device", device != nil), ("point", point != nil), ("value", value != nil), ("from", from != nil),
                ("to", to != nil), ("over_seconds", overSeconds != nil), ("fault", fault != nil),
                ("exception_code", exceptionCode != nil), ("function", function != nil),
                ("addresses", addresses != nil), ("delay_milliseconds", delayMilliseconds != nil),
                ("state", state != nil),
                ("drill", drill != nil), ("mode", mode != nil), ("bus", bus != nil), ("path", path != nil),
                ("gateway", gateway != nil),
            ]
            return all.filter(\.1).map(\.0)
        }
    }

    /// `[expect]`: the tables of expectations.
    public struct Expect: Sendable, Hashable, Decodable {
        public var alert: [AlertEntry]?
        public var noAlert: [AlertEntry]?
        public var report: [ReportEntry]?
        public var delivery: DeliveryEntry?

        enum CodingKeys: String, CodingKey {
            case alert, report, delivery
            case noAlert = "no_alert"
        }
    }

    /// `[[expect.alert]]` and `[[expect.no_alert]]`.
    public struct AlertEntry: Sendable, Hashable, Decodable {
        public var check: String?
        public var subject: String?
        public var severity: String?
        public var status: String?
        public var msgType: String?
        public var bySeconds: Number?
        public var sentAfterSeconds: Number?
        public var sentBeforeSeconds: Number?

        enum CodingKeys: String, CodingKey {
            case check, subject, severity, status
            case msgType = "msg_type"
            case bySeconds = "by_seconds"
            case sentAfterSeconds = "sent_after_seconds"
            case sentBeforeSeconds = "sent_before_seconds"
        }
    }

    /// `[[expect.report]]`.
    public struct ReportEntry: Sendable, Hashable, Decodable {
        public var path: String?
        public var op: String?
        public var value: Scalar?
        public var afterSeconds: Number?
        public var bySeconds: Number?

        enum CodingKeys: String, CodingKey {
            case path, op, value
            case afterSeconds = "after_seconds"
            case bySeconds = "by_seconds"
        }
    }

    /// `[expect.delivery]`.
    public struct DeliveryEntry: Sendable, Hashable, Decodable {
        public var bySeconds: Number?
        public var onceEach: Bool?
        public var inOrder: Bool?
        public var reportsWithoutGaps: Bool?
        public var minimumAlerts: Int?
        public var sequenceRestarts: Int?

        enum CodingKeys: String, CodingKey {
            case bySeconds = "by_seconds"
            case onceEach = "once_each"
            case inOrder = "in_order"
            case reportsWithoutGaps = "reports_without_gaps"
            case minimumAlerts = "minimum_alerts"
            case sequenceRestarts = "sequence_restarts"
        }
    }

    /// A TOML number, integer or float (TOMLKit decodes an integer only as an integer type).
    public struct Number: Sendable, Hashable, Decodable {
        public var value: Double

        public init(_ value: Double) { self.value = value }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let i = try? container.decode(Int.self) {
                value = Double(i)
            } else {
                value = try container.decode(Double.self)
            }
        }
    }

    /// A TOML scalar: boolean, number or string.
    public enum Scalar: Sendable, Hashable, Decodable {
        case bool(Bool)
        case number(Double)
        case string(String)

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let b = try? container.decode(Bool.self) {
                self = .bool(b)
            } else if let i = try? container.decode(Int.self) {
                self = .number(Double(i))
            } else if let d = try? container.decode(Double.self) {
                self = .number(d)
            } else {
                self = .string(try container.decode(String.self))
            }
        }

        var json: JSONValue {
            switch self {
            case .bool(let b): .bool(b)
            case .number(let n): .number(n)
            case .string(let s): .string(s)
            }
        }
    }
}
