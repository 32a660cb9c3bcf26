/// What each lifecycle state means for the agent (DESIGN §6): which checks run and how often a status report
/// goes out (`ReportingIntervals`). Alerts always go out at once, whatever the state.
public enum LifecyclePolicy {
    /// Checks that run in each state by default.
    ///
    /// - standby: readiness (art. 20: facilities in working order; art. 16 reserves) and C-21.
    /// - alerted: readiness plus the live checks, so the site sees where it stands before it opens.
    /// - activated, full: the live checks of art. 24 (occupancy, water at occupancy, power, sanitation).
    /// - closing: live checks while people leave, no filling-rate projection.
    /// - recovery: reserves and equipment back to standby level (art. 26).
    /// - out of service: people present and data freshness only.
    public static let defaultChecks: [LifecycleState: Set<CheckID>] = {
        let readiness: Set<CheckID> = [
            .waterReserve, .sourceRedundancy, .generatorTransfer, .fuelAutonomy, .batteryAutonomy, .sewageLevel,
            .dataFreshness, .recordDrift,
        ]
        let live: Set<CheckID> = [
            .occupancy, .areaPerPerson, .timeUntilFull, .waterDays, .sourceRedundancy, .generatorTransfer,
            .fuelAutonomy, .batteryAutonomy, .sewageLevel, .dataFreshness, .recordDrift,
        ]
        return [
            .standby: readiness.union([.unexpectedOccupancy]),
            .alerted: readiness.union(live),
            .activated: live,
            .full: live,
            .closing: live.subtracting([.timeUntilFull, .recordDrift]),
            .recovery: readiness.subtracting([.generatorTransfer]),
            .outOfService: [.unexpectedOccupancy, .dataFreshness],
        ]
    }()
}
