/// The shelter's lifecycle state (DESIGN §6). JSON: the raw values below.
///
/// `standby → alerted → activated ⇄ full → closing → recovery → standby`, plus `outOfService`. The registry
/// owns the state (the county government decides activation, Sanmenxia measures art. 22); a drill is an
/// overlay (`LifecycleStatus.isDrill`), not a state.
public enum LifecycleState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Normal times (art. 4 "平灾结合"): readiness checks, slow reporting.
    case standby
    /// Warned of an emergency; preparing to open.
    case alerted
    /// Activated by the county government (art. 22); live operation.
    case activated
    /// Activated and at or over registered capacity (C-01 ≥ 1.00).
    case full
    /// The emergency is over; people are leaving.
    case closing
    /// Inspection and repair after use (art. 26); reserves return to standby level.
    case recovery
    /// Taken out of service (maintenance, damage); no readiness checks are expected to pass.
    case outOfService = "out_of_service"
}

/// The lifecycle as reported: the state plus the drill overlay and whether an activation is confirmed.
public struct LifecycleStatus: Sendable, Hashable, Codable {
    /// The state.
    public var state: LifecycleState
    /// A drill is running (art. 20): everything is reported as an exercise, never as a real event.
    public var isDrill: Bool
    /// The state comes from the local activation key switch and the registry has not confirmed it yet.
    public var isUnconfirmed: Bool

    public init(state: LifecycleState, isDrill: Bool = false, isUnconfirmed: Bool = false) {
        self.state = state
        self.isDrill = isDrill
        self.isUnconfirmed = isUnconfirmed
    }
}
