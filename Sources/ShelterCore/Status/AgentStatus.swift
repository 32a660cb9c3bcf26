public import FoundationEssentials

/// What a site manager looks at first: the agent's own summary of the site, written by `shelter-agent run`
/// to `status.json` in its state directory when its figures change (at most every `writeIntervalSeconds`) and
/// printed by `shelter-agent status`.
///
/// Plain strings and numbers only, so the file stays readable with `jq` and stable across versions
/// (fields are added, never renamed). Times are ISO 8601 with offset; ages in seconds.
public struct AgentStatus: Sendable, Hashable, Codable {
    /// When the file was written.
    public var writtenAt: Date
    /// When the agent process started.
    public var startedAt: Date
    /// Agent version string.
    public var agentVersion: String
    /// Process id of the running agent.
    public var pid: Int32
    /// Gateway id from the site configuration.
    public var gatewayID: String
    /// Shelter id (registered record).
    public var shelterID: String
    /// Lifecycle as the agent applies it.
    public var lifecycle: Lifecycle
    /// One entry per configured device.
    public var devices: [Device]
    /// The latest reading of every point.
    public var readings: [PointReading]
    /// The latest result of every check.
    public var checks: [Check]
    /// Alerts currently firing.
    public var activeAlerts: [ActiveAlert]
    /// The outbox.
    public var outbox: Outbox
    /// The uplink to the registry.
    public var registry: Registry
    /// How often, at most, a running agent writes the file (when its figures change) or touches it (when they
    /// do not), seconds (`AgentStateMachine.Configuration.statusFileInterval`); a file neither written nor
    /// touched for twice this means the agent is not running. `nil` in files of older versions (30 s).
    public var writeIntervalSeconds: Double?
    /// Buses whose connection cannot be opened (serial port missing or refused, TCP gateway refusing or silent);
    /// absent or empty when every bus is open.
    public var buses: [Bus]?
    /// The last SIGHUP reload that was refused, while the configuration it left running still runs; absent
    /// when none was refused since the configuration was loaded.
    public var reloadRefused: ReloadRefusal?

    public init(
        writtenAt: Date, startedAt: Date, agentVersion: String, pid: Int32, gatewayID: String, shelterID: String,
        lifecycle: Lifecycle, devices: [Device] = [], readings: [PointReading] = [], checks: [Check] = [],
        activeAlerts: [ActiveAlert] = [], outbox: Outbox = .init(), registry: Registry = .init(),
        writeIntervalSeconds: Double? = nil, buses: [Bus]? = nil, reloadRefused: ReloadRefusal? = nil
    ) {
        self.reloadRefused = reloadRefused
        self.writeIntervalSeconds = writeIntervalSeconds
        self.buses = buses
        self.writtenAt = writtenAt
        self.startedAt = startedAt
        self.agentVersion = agentVersion
        self.pid = pid
        self.gatewayID = gatewayID
        self.shelterID = shelterID
        self.lifecycle = lifecycle
        self.devices = devices
        self.readings = readings
        self.checks = checks
        self.activeAlerts = activeAlerts
        self.outbox = outbox
        self.registry = registry
    }

    /// The lifecycle state the agent applies (DESIGN §6).
    public struct Lifecycle: Sendable, Hashable, Codable {
        /// `standby`, `alerted`, `activated`, `full`, `closing`, `recovery` or `out_of_service`.
        public var state: String
        /// Whether a drill overlay is on (everything reported as an exercise).
        public var isDrill: Bool
        /// Whether the state comes from a local key switch the registry has not confirmed yet.
        public var isUnconfirmed: Bool
        public init(state: String, isDrill: Bool = false, isUnconfirmed: Bool = false) {
            self.state = state
            self.isDrill = isDrill
            self.isUnconfirmed = isUnconfirmed
        }
    }

    /// One device's link and counters.
    public struct Device: Sendable, Hashable, Codable {
        public var name: String
        public var bus: String
        /// Modbus unit id, 0...255.
        public var unitID: Int
        /// `up`, `degraded`, `down` or `unknown` (`LinkState`).
        public var link: String
        public var lastSuccessAt: Date?
        public var requests: Int
        public var successes: Int
        /// Failures by reason kind (`NoSampleReason.Kind` raw values).
        public var failures: [String: Int]
        /// The last failure, as text.
        public var lastError: String?
        /// Mean round-trip time of recent requests, seconds.
        public var roundTripSeconds: Double?
        public init(
            name: String, bus: String, unitID: Int, link: String, lastSuccessAt: Date? = nil, requests: Int = 0,
            successes: Int = 0, failures: [String: Int] = [:], lastError: String? = nil, roundTripSeconds: Double? = nil
        ) {
            self.name = name
            self.bus = bus
            self.unitID = unitID
            self.link = link
            self.lastSuccessAt = lastSuccessAt
            self.requests = requests
            self.successes = successes
            self.failures = failures
            self.lastError = lastError
            self.roundTripSeconds = roundTripSeconds
        }
    }

    /// The latest reading of one point: a value, or the reason there is none.
    public struct PointReading: Sendable, Hashable, Codable {
        public var device: String
        public var point: String
        /// Standard quantity the point measures, if any.
        public var quantity: String?
        /// The value as text (`"231.4"`, `"true"`, `"GEN-7"`); `nil` when there is no sample.
        public var value: String?
        public var unit: String?
        /// Why there is no sample (`NoSampleReason.description`); `nil` when there is a value.
        public var reason: String?
        /// When the value was read.
        public var observedAt: Date?
        /// `reason` in each language, keyed by `Language.rawValue` (`"zh-CN"`, `"en"`); `nil` in files written
        /// before issue 16 (then `reason` is shown).
        public var reasons: [String: String]?
        public init(
            device: String, point: String, quantity: String? = nil, value: String? = nil, unit: String? = nil,
            reason: String? = nil, observedAt: Date? = nil, reasons: [String: String]? = nil
        ) {
            self.reasons = reasons
            self.device = device
            self.point = point
            self.quantity = quantity
            self.value = value
            self.unit = unit
            self.reason = reason
            self.observedAt = observedAt
        }
    }

    /// One check's latest result.
    public struct Check: Sendable, Hashable, Codable {
        /// Check id, e.g. `C-01`.
        public var id: String
        /// `ok`, `warning`, `critical` or `unknown`.
        public var status: String
        /// A one-line summary with value, unit and threshold, e.g. `"92 % of 2000 (warn ≥ 90 %)"`.
        public var summary: String
        /// `summary` in each language, keyed by `Language.rawValue` (`"zh-CN"`, `"en"`), from the check's
        /// finding (`CheckFinding`); `nil` for a check that gives no finding and in files written before issue 16.
        public var summaries: [String: String]?
        /// Set while the condition is under way but has no alert yet (a hold time running, C-12 within the
        /// allowed transfer time), in each language keyed by `Language.rawValue`: `status` then shows it as
        /// pending with this note. `nil` when nothing is pending and in files written before issue 11.
        public var pending: [String: String]?
        public init(
            id: String, status: String, summary: String, summaries: [String: String]? = nil,
            pending: [String: String]? = nil
        ) {
            self.pending = pending
            self.summaries = summaries
            self.id = id
            self.status = status
            self.summary = summary
        }
    }

    /// An alert that is firing.
    public struct ActiveAlert: Sendable, Hashable, Codable {
        public var alertID: String
        public var checkID: String
        /// CAP severity: `Minor`, `Moderate`, `Severe`, `Extreme`.
        public var severity: String
        /// When the alert was raised (its first `Alert` event was created).
        public var since: Date
        /// When the condition began (CAP `onset`; earlier than `since` by the check's hold time).
        public var onset: Date?
        /// CAP headline; it starts with the check id.
        public var headline: String
        /// `headline` in each language, keyed by `Language.rawValue` (`"zh-CN"`, `"en"`), from the event's
        /// `texts`; `nil` when the event has none.
        public var headlines: [String: String]?
        public init(
            alertID: String, checkID: String, severity: String, since: Date, onset: Date? = nil, headline: String,
            headlines: [String: String]? = nil
        ) {
            self.onset = onset
            self.headlines = headlines
            self.alertID = alertID
            self.checkID = checkID
            self.severity = severity
            self.since = since
            self.headline = headline
        }
    }

    /// The durable outbox.
    public struct Outbox: Sendable, Hashable, Codable {
        /// Items waiting to be sent.
        public var depth: Int
        /// Age of the oldest waiting item, seconds; `nil` when empty.
        public var oldestAgeSeconds: Double?
        /// Items the registry refused as wrong (400, 413, 422), kept for `shelter-agent outbox list`.
        public var deadLetters: Int
        /// The configuration fault holding the outbox (a sentence naming what to fix); `nil` when not held.
        public var heldBy: String?
        public init(depth: Int = 0, oldestAgeSeconds: Double? = nil, deadLetters: Int = 0, heldBy: String? = nil) {
            self.depth = depth
            self.oldestAgeSeconds = oldestAgeSeconds
            self.deadLetters = deadLetters
            self.heldBy = heldBy
        }
    }

    /// The uplink to the registry.
    public struct Registry: Sendable, Hashable, Codable {
        /// Registry base URL.
        public var url: String
        /// Whether the last exchange succeeded; `nil` before the first.
        public var isReachable: Bool?
        public var lastSuccessAt: Date?
        public var lastError: String?
        /// Version of the registered record in use; 0 for the site file's copy.
        public var recordVersion: Int
        /// Where the record in use came from: `registry`, `cache` or `site-file`.
        public var recordSource: String
        /// Agent clock minus registry clock, seconds, from the last heartbeat answer.
        public var clockSkewSeconds: Double?
        /// How the record in use differs from the site file's filing (`RecordChange`: capacity, area,
        /// facilities), one entry per difference, each in every language keyed by `Language.rawValue`; empty
        /// when they agree; `nil` in files written before issue 11.
        public var recordDifferences: [[String: String]]?
        public init(
            url: String = "", isReachable: Bool? = nil, lastSuccessAt: Date? = nil, lastError: String? = nil,
            recordVersion: Int = 0, recordSource: String = "site-file", clockSkewSeconds: Double? = nil,
            recordDifferences: [[String: String]]? = nil
        ) {
            self.recordDifferences = recordDifferences
            self.url = url
            self.isReachable = isReachable
            self.lastSuccessAt = lastSuccessAt
            self.lastError = lastError
            self.recordVersion = recordVersion
            self.recordSource = recordSource
            self.clockSkewSeconds = clockSkewSeconds
        }
    }

    /// A reload (SIGHUP) refused because the site file has problems; the running configuration stays.
    public struct ReloadRefusal: Sendable, Hashable, Codable {
        /// When the reload was refused.
        public var at: Date
        /// The site file read.
        public var file: String
        /// Every problem found, as `check-config` words it (file, key path, value and fix), in English.
        public var problems: [String]
        public init(at: Date, file: String, problems: [String]) {
            self.at = at
            self.file = file
            self.problems = problems
        }
    }

    /// A bus whose connection cannot be opened.
    public struct Bus: Sendable, Hashable, Codable {
        public var name: String
        /// The serial port's path or `host:port`.
        public var endpoint: String
        /// The last failure with its errno, e.g. `"no such file or directory (errno 2)"`.
        public var error: String
        /// Since when the bus cannot be opened.
        public var since: Date
        /// The devices it carries.
        public var devices: [String]
        public init(name: String, endpoint: String, error: String, since: Date, devices: [String]) {
            self.name = name
            self.endpoint = endpoint
            self.error = error
            self.since = since
            self.devices = devices
        }
    }
}
