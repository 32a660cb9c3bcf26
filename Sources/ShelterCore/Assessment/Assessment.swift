public import FoundationEssentials

/// The shelter checks of DESIGN §5, evaluated against the registered record and the lifecycle state: a pure,
/// stateful evaluator fed one `SiteSnapshot` at a time with `now`.
///
/// State kept between evaluations (no clock reads; time comes from `now` and the snapshot):
/// - occupancy history over `occupancyRateWindow` (default 10 min) for C-04's dN/dt;
/// - the current mains outage (when lost, when a generator went on load) for C-12;
/// - since when people have been present while not activated, for C-21's 10 minutes.
///
/// Which checks run depends on the state (`AssessmentConfiguration.checksByState`); in a drill C-21 does not
/// run (the people are the drill). Missing or stale input gives `unknown`, never ok.
///
/// Value type; not thread-safe on its own (owned by one caller, e.g. the runtime's assessment service).
public struct Assessment: Sendable, Hashable {
    /// The registered record the checks compare against (Sanmenxia shelter measures (2022) art. 14).
    public var record: ShelterRecord
    /// Site knobs: overrides, checks per state, freshness, windows.
    public var configuration: AssessmentConfiguration
    /// Occupancy samples, oldest first, pruned to the rate window plus one anchor before it.
    private(set) var occupancyHistory: [OccupancySample] = []
    /// The current mains outage, `nil` while mains is present or unknown since start.
    private(set) var outage: MainsOutage?
    /// Since when more people than C-21 allows have been present while not activated.
    private(set) var crowdedSince: Date?
    /// When an earlier run of the agent saw mains lost, taken back from its standing C-12 alert (`resume(from:)`);
    /// used by the first outage this run sees, then forgotten.
    private(set) var resumedOutageSince: Date?
    /// When an earlier run saw C-21's condition begin, taken back from its standing C-21 alert; used once.
    private(set) var resumedCrowdedSince: Date?

    /// One occupancy observation.
    struct OccupancySample: Sendable, Hashable {
        var at: Date
        var persons: Int
    }

    /// Creates an assessment with no history.
    public init(record: ShelterRecord, configuration: AssessmentConfiguration = .init()) {
        self.record = record
        self.configuration = configuration
    }

    /// Takes back the times C-12 and C-21 measure from, as an earlier run of the agent knew them, from its
    /// standing alerts (the latest event of each, raised and not cancelled, as `AlertTracker.adopt` takes them).
    /// Without them a restart measures from the restart: during a mains outage C-12's wait starts at 0 s, under
    /// its 15 s, so the alert the bureau has is cancelled and raised anew 15 s later; C-21's 10 minutes likewise.
    ///
    /// - C-12: mains was lost at the event's `sent` minus its value (seconds without a generator on load then);
    /// - C-21: the condition began at the alert's `onset` (when the check crossed its threshold) minus the hold
    ///   time (`AssessmentConfiguration.unexpectedOccupancyHold`).
    ///
    /// A time is used only if this run's first observation finds the condition still holding (mains still
    /// lost, still crowded), and never later than that observation; otherwise it is forgotten.
    /// - Parameter standing: events of any checks; those of other checks and Cancels are ignored.
    public mutating func resume(from standing: [AlertEvent]) {
        for event in standing
        where event.msgType != .cancel && [.warning, .critical].contains(event.parameters.checkStatus) {
            switch event.parameters.checkId {
            case .generatorTransfer:
                guard let value = event.parameters.value, value.unit == "s", value.value.isFinite, value.value >= 0
                else { continue }
                resumedOutageSince = event.sent.addingTimeInterval(-value.value)
            case .unexpectedOccupancy:
                resumedCrowdedSince = event.onset.addingTimeInterval(-configuration.unexpectedOccupancyHold.inSeconds)
            default:
                continue
            }
        }
    }

    /// Evaluates every check that runs in `lifecycle.state` against `snapshot`.
    /// - Parameters:
    ///   - snapshot: the site now; values older than `maximumInputAge` count as stale.
    ///   - lifecycle: the lifecycle status (state and drill overlay).
    ///   - now: the wall-clock time of the evaluation.
    /// - Returns: one result per check and subject, ordered by check id then subject.
    public mutating func evaluate(
        _ snapshot: SiteSnapshot, lifecycle: LifecycleStatus, at now: Date
    ) -> [CheckResult] {
        let context = CheckContext(
            snapshot: snapshot, record: record, state: lifecycle.state, configuration: configuration, now: now)
        let rate = recordOccupancy(context)
        recordMains(context)
        recordCrowding(context, isDrill: lifecycle.isDrill)

        var results: [CheckResult] = []
        func run(_ id: CheckID, _ produce: () -> [CheckResult]) {
            if configuration.runs(id, in: lifecycle.state) { results += produce() }
        }
        run(.occupancy) { [context.occupancyRatio()] }
        run(.areaPerPerson) { [context.areaPerPerson()] }
        run(.timeUntilFull) { [context.timeUntilFull(rate: rate)] }
        run(.waterDays) { context.waterDays() }
        run(.waterReserve) { [context.waterReserve()] }
        run(.sourceRedundancy) { [context.powerRedundancy(), context.waterRedundancy()] }
        run(.generatorTransfer) { context.generatorTransfer(outage: outage).map { [$0] } ?? [] }
        run(.fuelAutonomy) { context.fuelAutonomy() }
        run(.batteryAutonomy) { context.batteryAutonomy().map { [$0] } ?? [] }
        run(.sewageLevel) { context.sewageLevel().map { [$0] } ?? [] }
        if !lifecycle.isDrill {
            run(.unexpectedOccupancy) { [context.unexpectedOccupancy(crowdedSince: crowdedSince)] }
        }
        run(.dataFreshness) { context.dataFreshness() }
        run(.recordDrift) { [context.recordDrift()] }
        return results.sorted { ($0.checkId, $0.subject) < ($1.checkId, $1.subject) }
    }

    /// Adds the current occupancy to the history and returns dN/dt in persons per minute over the window:
    /// `(N_latest − N_anchor) / (t_latest − t_anchor)`, the anchor being the newest sample at least one window
    /// old. Unknown until the history spans the window.
    private mutating func recordOccupancy(_ context: CheckContext) -> Derived<Double> {
        if case .known(let persons, let at) = context.occupancy,
            occupancyHistory.last.map({ $0.at < at }) ?? true
        {
            occupancyHistory.append(OccupancySample(at: at, persons: persons))
        }
        let window = configuration.occupancyRateWindow.inSeconds
        let cutoff = context.now.addingTimeInterval(-window)
        guard let anchorIndex = occupancyHistory.lastIndex(where: { $0.at <= cutoff }) else {
            return .unknown(
                .missing("less than \(NumberText.format(window / 60, decimals: 0)) min of occupancy history"))
        }
        occupancyHistory.removeFirst(anchorIndex)
        guard let anchor = occupancyHistory.first, let latest = occupancyHistory.last, latest.at > anchor.at else {
            return .unknown(.missing("no occupancy sample inside the rate window"))
        }
        let minutes = latest.at.timeIntervalSince(anchor.at) / 60
        return .known(Double(latest.persons - anchor.persons) / minutes, observedAt: latest.at)
    }

    /// Tracks the mains outage for C-12: starts when mains is seen absent, notes when a generator is first on
    /// load, restarts if the generator drops off load during the outage, ends when mains is present.
    private mutating func recordMains(_ context: CheckContext) {
        guard case .known(let present, let seenAt) = context.fresh(context.snapshot.mainsPresent) else { return }
        let resumed = resumedOutageSince
        resumedOutageSince = nil
        guard !present else {
            outage = nil
            return
        }
        var current = outage ?? MainsOutage(lostAt: min(resumed ?? seenAt, seenAt))
        switch context.generatorOnLoad {
        case .known(true, let at):
            if current.generatorOnLoadAt == nil { current.generatorOnLoadAt = max(at, current.lostAt) }
        case .known(false, let at):
            if current.generatorOnLoadAt != nil { current = MainsOutage(lostAt: at) }
        case .unknown:
            break
        }
        outage = current
    }

    /// Tracks since when C-21's condition holds; cleared in a drill or a state where C-21 does not run.
    private mutating func recordCrowding(_ context: CheckContext, isDrill: Bool) {
        guard !isDrill, configuration.runs(.unexpectedOccupancy, in: context.state) else {
            crowdedSince = nil
            resumedCrowdedSince = nil
            return
        }
        guard case .known(let persons, let at) = context.occupancy else { return }
        let t = context.unexpectedOccupancyThresholds
        let resumed = resumedCrowdedSince
        resumedCrowdedSince = nil
        if t.isBad(Double(persons), limit: t.warning ?? .infinity) {
            crowdedSince = crowdedSince ?? min(resumed ?? at, at)
        } else {
            crowdedSince = nil
        }
    }
}
