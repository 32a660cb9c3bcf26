public import ShelterCore

/// A validated hardware-in-the-loop scenario: a site, what the agent is told, a timeline of steps, and what
/// the registry must (and must not) have received by when. Made by `Scenario.load(path:)` or
/// `Scenario.validate(_:baseDirectory:)` from a `ScenarioFile`; the file format is documented key by key in
/// `Firmware-Config/scenarios/README.md`.
///
/// Times are measured from the timeline's start (t = 0): the moment registry, simulator and agent are all
/// running and the registry has received the agent's first heartbeat.
public struct Scenario: Sendable, Hashable {
    /// Short name, used for the JUnit test suite and output files. Letters, digits, `-`, `_`, `.`.
    public var name: String
    /// What the scenario shows, in a sentence or two.
    public var description: String
    /// The site file, resolved against the scenario file's directory.
    public var sitePath: String
    /// The simulator's value-script file (initial values and scripts per point), resolved against the
    /// scenario file's directory; `nil` when every point starts at its resting value.
    public var valuesPath: String?
    /// How long the timeline runs. Expectations' deadlines lie within it.
    public var duration: Duration
    /// Cadences the agent is given for this run (patched into a copy of the site file).
    public var agent: AgentOverrides
    /// Site-policy threshold overrides for this run (merged into the site copy's `[thresholds]`).
    public var thresholds: [CheckID: ThresholdOverride]
    /// The shelter's lifecycle at the registry before the agent starts.
    public var initialLifecycle: LifecycleSetting
    /// The steps, in time order (file order among steps at the same time).
    public var steps: [Step]
    /// What the registry must show, in file order.
    public var expectations: [Expectation]

    public init(
        name: String, description: String, sitePath: String, valuesPath: String? = nil, duration: Duration,
        agent: AgentOverrides, thresholds: [CheckID: ThresholdOverride] = [:], initialLifecycle: LifecycleSetting,
        steps: [Step],
        expectations: [Expectation]
    ) {
        self.valuesPath = valuesPath
        self.thresholds = thresholds
        self.name = name
        self.description = description
        self.sitePath = sitePath
        self.duration = duration
        self.agent = agent
        self.initialLifecycle = initialLifecycle
        self.steps = steps
        self.expectations = expectations
    }

    /// The devices the steps act on, sorted.
    public var devicesActedOn: [String] {
        Set(steps.compactMap(\.action.device)).sorted()
    }
}

/// Agent settings a scenario overrides; `nil` keeps the site file's value.
public struct AgentOverrides: Sendable, Hashable {
    /// Status report cadence in every lifecycle state (file key `report_interval_seconds`, 1...3600 s).
    public var reportInterval: Duration?
    /// Heartbeat cadence (file key `heartbeat_interval_seconds`, 1...3600 s).
    public var heartbeatInterval: Duration?

    public init(reportInterval: Duration? = nil, heartbeatInterval: Duration? = nil) {
        self.reportInterval = reportInterval
        self.heartbeatInterval = heartbeatInterval
    }
}

/// A lifecycle state with the drill overlay, as the registry operator sets it.
public struct LifecycleSetting: Sendable, Hashable, CustomStringConvertible {
    /// The state; `nil` leaves it unchanged.
    public var state: LifecycleState?
    /// The drill overlay; `nil` leaves it unchanged.
    public var isDrill: Bool?

    public init(state: LifecycleState? = nil, isDrill: Bool? = nil) {
        self.state = state
        self.isDrill = isDrill
    }

    /// Whether it changes nothing.
    public var isEmpty: Bool { state == nil && isDrill == nil }

    public var description: String {
        [state.map { "state \($0.rawValue)" }, isDrill.map { "drill \($0 ? "on" : "off")" }]
            .compactMap(\.self).joined(separator: ", ")
    }
}

/// One timeline step.
public struct Step: Sendable, Hashable, CustomStringConvertible {
    /// When it runs, from t = 0.
    public var at: Duration
    /// What it does.
    public var action: Action
    /// Its position in the file's `[[steps]]` array, 0-based (for messages).
    public var index: Int

    public init(at: Duration, action: Action, index: Int) {
        self.at = at
        self.action = action
        self.index = index
    }

    public var description: String { "t=\(at.secondsText)s \(action)" }
}

/// A value a simulated point is set to: a number (engineering units, after scale and offset) or, for coils
/// and discrete inputs, a boolean.
public enum PointValue: Sendable, Hashable, CustomStringConvertible {
    case number(Double)
    case bool(Bool)

    public var description: String {
        switch self {
        case .number(let n): JSONValue.format(n)
        case .bool(let b): b ? "true" : "false"
        }
    }
}

/// What a step does.
public enum Action: Sendable, Hashable, CustomStringConvertible {
    /// Set a simulated point to a constant value.
    case setPoint(device: String, point: String, value: PointValue)
    /// Move a simulated point linearly from `from` to `to` over `over`, then hold `to`.
    case rampPoint(device: String, point: String, from: Double, to: Double, over: Duration)
    /// Switch a declared fault on for a simulated device.
    case startFault(device: String, fault: Fault)
    /// Switch a fault off (`nil`: every fault of the device).
    case clearFault(device: String, kind: Fault.Kind?)
    /// Stop a simulated device: it no longer answers or accepts connections.
    case stopDevice(device: String)
    /// Start a stopped simulated device again.
    case startDevice(device: String)
    /// Change the shelter's lifecycle at the registry (the operator's decision).
    case setLifecycle(LifecycleSetting)
    /// The uplink fails: the registry becomes unreachable in the given way.
    case uplinkDown(OutageMode)
    /// The uplink comes back.
    case uplinkUp
    /// The agent's copy of the site file names `path` as the serial device of `bus` (`nil`: where the simulator
    /// serves it); after t = 0 the agent gets SIGHUP to reload it. A wrong path, then the right one.
    case busPath(bus: String, path: String?)
    /// The agent's copy of the site file names the client certificate and key the run's PKI issued for
    /// `gateway` (a certificate naming another gateway); `nil`: the site's own again. The agent gets SIGHUP.
    /// Only after t = 0 (t = 0 is the agent's first heartbeat, which a wrong certificate never gets through).
    case gatewayCertificate(gateway: String?)
    /// The agent gets SIGHUP and reloads its site file, unchanged: a site manager's reload. Only after t = 0.
    case reload

    /// The simulated device the action touches, if any.
    public var device: String? {
        switch self {
        case .setPoint(let d, _, _), .rampPoint(let d, _, _, _, _), .startFault(let d, _), .clearFault(let d, _),
            .stopDevice(let d), .startDevice(let d):
            d
        case .setLifecycle, .uplinkDown, .uplinkUp, .busPath, .gatewayCertificate, .reload: nil
        }
    }

    public var description: String {
        switch self {
        case .setPoint(let d, let p, let v): "set \(d).\(p) = \(v)"
        case .rampPoint(let d, let p, let from, let to, let over):
            "ramp \(d).\(p) \(JSONValue.format(from)) → \(JSONValue.format(to)) over \(over.secondsText)s"
        case .startFault(let d, let f): "fault \(f) on \(d)"
        case .clearFault(let d, let k): "clear fault \(k?.rawValue ?? "all") on \(d)"
        case .stopDevice(let d): "stop device \(d)"
        case .startDevice(let d): "start device \(d)"
        case .setLifecycle(let l): "registry lifecycle: \(l)"
        case .uplinkDown(let m): "uplink down (\(m.rawValue))"
        case .uplinkUp: "uplink up"
        case .busPath(let bus, let path?): "agent's bus \(bus) on \(path)"
        case .busPath(let bus, nil): "agent's bus \(bus) back on the simulator's port"
        case .gatewayCertificate(let gateway?): "agent's client certificate names gateway \(gateway)"
        case .gatewayCertificate(nil): "agent's client certificate is its own again"
        case .reload: "agent reloads its site file (SIGHUP), unchanged"
        }
    }
}

/// A fault a simulated device shows (the simulator's declared `FaultPlan` entries).
public struct Fault: Sendable, Hashable, CustomStringConvertible {
    /// The kind of fault. File values are the raw values.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// No answer at all: the agent times out.
        case noAnswer = "no_answer"
        /// Exception 6, server device busy, to every request.
        case busy
        /// A Modbus exception for requests touching an address range.
        case exception
        /// Every reply arrives `delay` late.
        case lateReply = "late_reply"
        /// Replies are junk bytes of the right length.
        case junkBytes = "junk_bytes"
        /// The device drops the connection once.
        case dropConnection = "drop_connection"
        /// A slow device: every reply takes `delay`.
        case slow
    }

    public var kind: Kind
    /// For `.exception`: the exception code, 1...255. The default is 2 (illegal data address).
    public var exceptionCode: UInt8?
    /// For `.exception`: the table.
    public var function: RegisterFunction?
    /// For `.exception`: the 0-based addresses.
    public var addresses: ClosedRange<Int>?
    /// For `.lateReply` and `.slow`: how late a reply is, or how long it takes.
    public var delay: Duration?

    public init(
        kind: Kind, exceptionCode: UInt8? = nil, function: RegisterFunction? = nil, addresses: ClosedRange<Int>? = nil,
        delay: Duration? = nil
    ) {
        self.kind = kind
        self.exceptionCode = exceptionCode
        self.function = function
        self.addresses = addresses
        self.delay = delay
    }

    public var description: String {
        var parts = [kind.rawValue]
        if let exceptionCode { parts.append("code \(exceptionCode)") }
        if let function { parts.append(function.rawValue) }
        if let addresses { parts.append("addresses \(addresses.lowerBound)...\(addresses.upperBound)") }
        if let delay { parts.append("delay \(delay.secondsText)s") }
        return parts.joined(separator: " ")
    }
}

/// How the uplink fails.
public enum OutageMode: String, Sendable, Hashable, CaseIterable {
    /// The registry process is stopped (connections refused); it restarts on the same port with its data.
    case stop
    /// The registry answers every agent request with 503 Service Unavailable.
    case refuse
    /// The registry accepts requests and never answers (the agent's timeout fires).
    case hang
}

extension Duration {
    /// Seconds as a person writes them, to the millisecond: `90`, `2.5`, `13.024`.
    public var secondsText: String { JSONValue.format((seconds * 1000).rounded() / 1000) }

    /// Seconds as a `Double`.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// A duration from seconds given as a `Double` (millisecond resolution).
    public static func seconds(exactly value: Double) -> Duration {
        .milliseconds(Int64((value * 1000).rounded()))
    }
}
