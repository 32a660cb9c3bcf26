/// The shelter's lifecycle as the agent reports it: a pure state machine fed the registry's word, the local
/// activation key switch and occupancy (DESIGN §6).
///
/// - The registry owns the state (the county government activates, Sanmenxia measures art. 22); its latest
///   word is the base state and carries the drill overlay.
/// - A local key switch turned on while the registry says `standby` or `alerted` makes the state `activated`
///   with `isUnconfirmed = true` until the registry says `activated` or `full`.
/// - While activated, occupancy at or over registered capacity gives `full`; below `fullReleaseRatio` of
///   capacity it goes back to `activated` (the gap is hysteresis so the state does not flap at the door).
///
/// Value type; not thread-safe on its own (owned by one caller). No clock reads.
public struct Lifecycle: Sendable, Hashable {
    /// The state the registry last reported (initially `standby`).
    public private(set) var registryState: LifecycleState
    /// Whether the registry reports a drill.
    public private(set) var isDrill: Bool
    /// The key switch's last known position (`false` when the site has none or it is unknown).
    public private(set) var isSwitchOn: Bool
    /// Whether occupancy has put an activated shelter into `full`.
    public private(set) var isOverCapacity: Bool
    /// Fraction of registered capacity below which `full` returns to `activated`. Default 0.98 (site policy).
    public var fullReleaseRatio: Double

    /// Creates a lifecycle in the registry's `state` (default `standby`).
    public init(registryState: LifecycleState = .standby, isDrill: Bool = false, fullReleaseRatio: Double = 0.98) {
        self.registryState = registryState
        self.isDrill = isDrill
        self.isSwitchOn = false
        self.isOverCapacity = registryState == .full
        self.fullReleaseRatio = fullReleaseRatio
    }

    /// The status to report now.
    public var status: LifecycleStatus {
        var state = registryState
        var unconfirmed = false
        if isSwitchOn && (state == .standby || state == .alerted) {
            state = .activated
            unconfirmed = true
        }
        if state == .activated || state == .full {
            state = isOverCapacity ? .full : .activated
        }
        return LifecycleStatus(state: state, isDrill: isDrill, isUnconfirmed: unconfirmed)
    }

    /// The registry reported `state` (heartbeat answer or record fetch). Returns the new status.
    @discardableResult
    public mutating func registryReported(_ state: LifecycleState, isDrill: Bool) -> LifecycleStatus {
        registryState = state
        self.isDrill = isDrill
        if state == .full { isOverCapacity = true }
        return status
    }

    /// The key switch was read. `nil` (unknown, no sample) keeps the last known position: a dropped read does
    /// not de-activate a shelter. Returns the new status.
    @discardableResult
    public mutating func activationSwitchRead(_ isOn: Bool?) -> LifecycleStatus {
        if let isOn { isSwitchOn = isOn }
        return status
    }

    /// Occupancy was assessed: `occupied` persons of `capacity` registered (`nil` when unknown, which keeps
    /// the current full/not-full state). Returns the new status.
    @discardableResult
    public mutating func occupancyAssessed(_ occupied: Int?, capacity: Int) -> LifecycleStatus {
        guard let occupied, capacity > 0 else { return status }
        if occupied >= capacity {
            isOverCapacity = true
        } else if Double(occupied) < Double(capacity) * fullReleaseRatio {
            isOverCapacity = false
        }
        return status
    }
}
