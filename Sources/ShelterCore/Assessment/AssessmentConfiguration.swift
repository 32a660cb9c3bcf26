/// Site knobs for the assessment: threshold overrides (site-wide and per lifecycle state), which checks run
/// in each state, input freshness and history windows. Defaults in `init`.
///
/// Value type, `Sendable`; owned by one `Assessment`.
public struct AssessmentConfiguration: Sendable, Hashable {
    /// Site-file overrides per check id (`[thresholds."C-01"]`). A set field beats the record and the national
    /// default; its origin is then `site_policy`.
    public var thresholds: [CheckID: ThresholdOverride]
    /// Per-state overrides; a field set here beats the site-wide one while in that state.
    public var stateThresholds: [LifecycleState: [CheckID: ThresholdOverride]]
    /// Checks that run in each state. The default is `LifecyclePolicy.defaultChecks`.
    public var checksByState: [LifecycleState: Set<CheckID>]
    /// A known input older than this counts as stale and makes the checks that need it `unknown`.
    /// The default is 5 minutes (site policy).
    public var maximumInputAge: Duration
    /// Window over which C-04 measures dN/dt. The default is 10 minutes (DESIGN §5).
    public var occupancyRateWindow: Duration
    /// How long C-21's condition must hold before it warns. The default is 10 minutes (DESIGN §5).
    public var unexpectedOccupancyHold: Duration
    /// Tolerance over a registered rating before C-23 reports a reading beyond it, fraction.
    /// The default is 0.05 (site policy).
    public var ratingTolerance: Double

    public init(
        thresholds: [CheckID: ThresholdOverride] = [:],
        stateThresholds: [LifecycleState: [CheckID: ThresholdOverride]] = [:],
        checksByState: [LifecycleState: Set<CheckID>] = LifecyclePolicy.defaultChecks,
        maximumInputAge: Duration = .seconds(300), occupancyRateWindow: Duration = .seconds(600),
        unexpectedOccupancyHold: Duration = .seconds(600), ratingTolerance: Double = 0.05
    ) {
        self.thresholds = thresholds
        self.stateThresholds = stateThresholds
        self.checksByState = checksByState
        self.maximumInputAge = maximumInputAge
        self.occupancyRateWindow = occupancyRateWindow
        self.unexpectedOccupancyHold = unexpectedOccupancyHold
        self.ratingTolerance = ratingTolerance
    }

    /// The override in effect for `check` in `state`: per-state fields first, then site-wide ones.
    public func override(for check: CheckID, in state: LifecycleState) -> ThresholdOverride {
        let site = thresholds[check]
        let perState = stateThresholds[state]?[check]
        return ThresholdOverride(
            warning: perState?.warning ?? site?.warning,
            critical: perState?.critical ?? site?.critical,
            holdFor: perState?.holdFor ?? site?.holdFor,
            isEnabled: (perState?.isEnabled ?? true) && (site?.isEnabled ?? true))
    }

    /// Whether `check` runs in `state`: listed for the state and not disabled by an override.
    public func runs(_ check: CheckID, in state: LifecycleState) -> Bool {
        (checksByState[state]?.contains(check) ?? false) && override(for: check, in: state).isEnabled
    }
}
