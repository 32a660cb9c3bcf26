/// What a status report's cadence is chosen by: the lifecycle state, or a drill, which has its own cadence
/// whatever the state underneath (site file table `reporting_interval_seconds`, DESIGN §6).
///
/// Keys of `SiteConfiguration.reportingIntervals` and `LifecyclePolicy.defaultReportIntervals`; the raw value
/// is the site file key (`"standby"` … `"out_of_service"`, `"drill"`).
public enum ReportingState: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Not in a drill: the cadence of this lifecycle state.
    case lifecycle(LifecycleState)
    /// A drill is running (art. 20): the drill's cadence, whatever the state.
    case drill

    /// Every key a site file may use, in lifecycle order, drill last.
    public static let allCases: [ReportingState] = LifecycleState.allCases.map { .lifecycle($0) } + [.drill]

    /// The cadence key for a reported status: `.drill` whenever `status.isDrill`.
    public init(_ status: LifecycleStatus) {
        self = status.isDrill ? .drill : .lifecycle(status.state)
    }

    /// The site file key, e.g. `"out_of_service"`, `"drill"`; `nil` for any other text.
    public init?(fileKey: String) {
        if fileKey == "drill" {
            self = .drill
        } else if let state = LifecycleState(rawValue: fileKey) {
            self = .lifecycle(state)
        } else {
            return nil
        }
    }

    /// The site file key.
    public var fileKey: String {
        switch self {
        case .lifecycle(let state): state.rawValue
        case .drill: "drill"
        }
    }

    public var description: String { fileKey }
}
