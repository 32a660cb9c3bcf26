public import FoundationEssentials

/// One site's assessment pipeline as a single pure state machine: lifecycle → checks → alert lifecycle →
/// report cadence (DESIGN §1, §5, §6). The runtime feeds it a snapshot per poll cycle and the registry's
/// lifecycle word, and sends what it returns; it reads no clock and does no I/O.
///
/// Per `step(_:at:)`:
/// 1. the key switch (`snapshot.activationSwitch`) and occupancy update the `Lifecycle`;
/// 2. `Assessment` evaluates the checks that run in the resulting state;
/// 3. `AlertTracker` turns the results into alert events (sent at once, whatever the state);
/// 4. a status report is due when none was made yet, when the reported lifecycle changed, or when the
///    interval of the state, or of the drill during a drill, has passed since the last one
///    (`ReportingIntervals.interval(for:)`).
///
/// Value type; not thread-safe on its own (owned by the runtime's assessment service).
public struct ShelterMonitor: Sendable {
    /// What one step produced.
    public struct Step: Sendable {
        /// The lifecycle status used for the checks and reported.
        public var lifecycle: LifecycleStatus
        /// Every check result, ordered by check id and subject.
        public var results: [CheckResult]
        /// Alert events to send now.
        public var events: [AlertEvent]
        /// Whether a status report should be built from this step (`StatusReportBuilder.makeReport`).
        public var isReportDue: Bool
    }

    /// Registry id of the shelter (from the record).
    public var shelterId: String { assessment.record.id }
    /// This gateway's id.
    public var gatewayId: String
    /// The lifecycle state machine.
    public var lifecycle: Lifecycle
    /// The checks and their history.
    public var assessment: Assessment
    /// The alert lifecycle.
    public var tracker: AlertTracker
    /// Status report cadence per lifecycle state and for a drill. The default is `ReportingIntervals.standard`.
    public var reportIntervals: ReportingIntervals
    /// The primary language of the alert events' top-level texts (`gateway.language`); both languages are
    /// always in `AlertEvent.texts`. The default is English.
    public var language: Language
    /// When the last report was due, `nil` before the first.
    public private(set) var lastReportAt: Date?
    /// The lifecycle status of the last step.
    public private(set) var lastLifecycle: LifecycleStatus?

    /// Creates a pipeline for `record`. Alert and event ids come from `identifiers`.
    public init(
        record: ShelterRecord, gatewayId: String, configuration: AssessmentConfiguration = .init(),
        lifecycle: Lifecycle = .init(), reportIntervals: ReportingIntervals = .standard, language: Language = .en,
        identifiers: some IdentifierGenerator
    ) {
        self.language = language
        self.gatewayId = gatewayId
        self.lifecycle = lifecycle
        self.assessment = Assessment(record: record, configuration: configuration)
        self.tracker = AlertTracker(configuration: configuration, identifiers: identifiers)
        self.reportIntervals = reportIntervals
    }

    /// Runs the pipeline on one snapshot.
    /// - Parameters:
    ///   - snapshot: the site now.
    ///   - now: the wall-clock time of this step.
    public mutating func step(_ snapshot: SiteSnapshot, at now: Date) -> Step {
        let record = assessment.record
        lifecycle.activationSwitchRead(snapshot.activationSwitch?.value)
        let occupied = snapshot.occupancy.value
        let status = lifecycle.occupancyAssessed(occupied, capacity: record.capacity)
        let results = assessment.evaluate(snapshot, lifecycle: status, at: now)
        let events = tracker.update(
            results,
            context: AlertContext(
                shelterId: record.id, gatewayId: gatewayId, lifecycle: status, occupancy: occupied,
                capacity: record.capacity, now: now, language: language))
        let interval = reportIntervals.interval(for: status)
        let isDue =
            (lastReportAt.map { now.timeIntervalSince($0) >= interval.inSeconds } ?? true) || lastLifecycle != status
        if isDue { lastReportAt = now }
        lastLifecycle = status
        return Step(lifecycle: status, results: results, events: events, isReportDue: isDue)
    }
}
