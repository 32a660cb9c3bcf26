/// Status-report cadence per lifecycle status, drill included: the validated form of the site file's
/// `[reporting_interval_seconds]` table (keys: every `LifecycleState` raw value, and `drill`).
///
/// Defaults (DESIGN §6, stated here once): standby 15 min, alerted 5 min, activated and full 1 min; closing
/// 5 min, recovery and out of service 15 min, drill 1 min (site policy). Each interval is 1 s…86400 s
/// (`allowedSeconds`). Alerts always go out at once, whatever the cadence. Value type, `Sendable`.
public struct ReportingIntervals: Sendable, Hashable {
    /// Interval per state, every `LifecycleState` present.
    public private(set) var byState: [LifecycleState: Duration]
    /// Interval while a drill runs (art. 20), whatever the underlying state.
    public var drill: Duration

    /// The defaults of DESIGN §6.
    public static let standard = ReportingIntervals()

    /// The file key for the drill overlay, beside the `LifecycleState` raw values.
    public static let drillKey = "drill"

    /// Every key the file table accepts, in lifecycle order: the `LifecycleState` raw values, then `drill`.
    public static var fileKeys: [String] { LifecycleState.allCases.map(\.rawValue) + [drillKey] }

    /// Range of one interval in the file, seconds (`allowedSecondsReason` says why).
    public static let allowedSeconds: ClosedRange<Double> = 1...86_400
    /// Why intervals have a floor and a ceiling, for the configuration issue.
    public static let allowedSecondsReason =
        "below 1 s a site floods its outbox and the registry with reports; above a day the registry sees a silent site"

    /// Creates a cadence; states missing from `byState` take the standard interval.
    public init(byState: [LifecycleState: Duration] = [:], drill: Duration? = nil) {
        self.byState = Dictionary(
            uniqueKeysWithValues: LifecycleState.allCases.map { ($0, byState[$0] ?? Self.standardInterval(for: $0)) })
        self.drill = drill ?? Self.standardDrillInterval
    }

    /// The interval for `status`: the drill interval while a drill runs, else the state's.
    public func interval(for status: LifecycleStatus) -> Duration {
        status.isDrill ? drill : interval(for: status.state)
    }

    /// The interval for `state` (no drill).
    public func interval(for state: LifecycleState) -> Duration {
        byState[state] ?? Self.standardInterval(for: state)
    }

    /// Sets the interval of `state`.
    public mutating func set(_ interval: Duration, for state: LifecycleState) { byState[state] = interval }

    /// The defaults: the only place they are written.
    private static let standardDrillInterval: Duration = .seconds(60)

    private static func standardInterval(for state: LifecycleState) -> Duration {
        switch state {
        case .standby, .recovery, .outOfService: .seconds(900)
        case .alerted, .closing: .seconds(300)
        case .activated, .full: .seconds(60)
        }
    }
}
