public import FoundationEssentials

/// The agent's tick as one pure state machine (DESIGN §1, issue 10; the async-http-client style: one
/// `mutating func` per event, returning what the runtime must do). No clock, no I/O, no logging: time
/// comes with each event, ids from the injected `IdentifierGenerator`, and the runtime's
/// `AssessmentService` only executes the actions it gets back.
///
/// It owns:
/// - the site state (latest samples, derived quantities) and the checks, and applies a new registered
///   record to both together (`recordReceived`), after validating it;
/// - the lifecycle, drill included, from the registry's word (`heartbeatAnswered`) and what it inherited;
/// - the report cadence from `ReportingIntervals` (a drill has its own), report ids and sequence numbers;
/// - the alert lifecycle through `AlertTracker`, and commit-before-count: an alert event is raised only once
///   the outbox committed it (`alertCommitted`); an event that failed (`alertCommitFailed`) is offered again,
///   in order, on the next tick, never dropped;
/// - the alerts inherited from an earlier run: taken over with their ids and closed through the tracker
///   once they no longer hold (issue 12).
///
/// Events: `init` (start with inherited state), `pollResultReceived` (by device index from the bus workers, or
/// by name), `tick(at:utcOffsetMinutes:)`,
/// `heartbeatAnswered`, `recordReceived`, `alertCommitted`, `alertCommitFailed`.
///
/// Value type; not thread-safe on its own (the runtime keeps it behind a lock).
public struct AgentStateMachine: Sendable {
    /// Knobs; defaults in `init`.
    public struct Configuration: Sendable, Hashable {
        /// How long the first assessment waits for the first poll of every device. Default 60 s: until then
        /// a point that was never read says nothing about the device (every start would raise C-22).
        public var startupGrace: Duration
        /// How often the status file is due: written when its figures changed, touched otherwise (issue 13).
        /// Default 30 s: a gateway's flash wears with every write, and `shelter-agent status` flags a file
        /// neither written nor touched for twice that as a stopped agent.
        public var statusFileInterval: Duration
        /// How often the people counters' state (`occupancy.json`) is saved, when it changed. Default 15 min
        /// (site policy, issue 13): the file only serves a restart, and a stale one loses no one, because the
        /// devices' counters are cumulative: the first poll after a restart counts every person since the saved
        /// baseline (`OccupancyCounter`). Each save makes a new file (an inode and a directory entry: 20–28 KiB
        /// of writes on ext4, measured with the writeback tracepoint); saved every 30 s with people coming in, the
        /// reference site's standby wrote 2.2 MB an hour (`Scripts/bench-agent`, stop 24). The counters are
        /// also saved when the agent stops (`unsavedOccupancy()`).
        public var occupancySaveInterval: Duration
        /// Age after which a reading is reported `stale`. Default 5 min.
        public var readingMaximumAge: Duration
        /// Time between ticks, returned as `TickActions.nextTickIn`. Default 1 s.
        public var tickInterval: Duration

        public init(
            startupGrace: Duration = .seconds(60), statusFileInterval: Duration = .seconds(30),
            occupancySaveInterval: Duration = .seconds(900), readingMaximumAge: Duration = .seconds(300),
            tickInterval: Duration = .seconds(1)
        ) {
            self.startupGrace = startupGrace
            self.statusFileInterval = statusFileInterval
            self.occupancySaveInterval = occupancySaveInterval
            self.readingMaximumAge = readingMaximumAge
            self.tickInterval = tickInterval
        }
    }

    /// What an earlier run left in the state directory (`StateDirectory+Files`).
    public struct Inheritance: Sendable, Hashable {
        /// Alerts raised and not cancelled (the latest event of each).
        public var activeAlerts: [AlertEvent]
        /// The registry's last lifecycle word.
        public var lifecycle: LifecycleChange?
        /// The people counters.
        public var occupancyCounter: OccupancyCounter?
        /// Conditions pending (bad, within their hold time) in the configuration a reload replaces, and since
        /// when (`pendingConditions`): their hold time goes on. Not kept across a restart of the process.
        public var pendingConditions: [AlertTracker.ConditionKey: Date]

        public init(
            activeAlerts: [AlertEvent] = [], lifecycle: LifecycleChange? = nil,
            occupancyCounter: OccupancyCounter? = nil, pendingConditions: [AlertTracker.ConditionKey: Date] = [:]
        ) {
            self.activeAlerts = activeAlerts
            self.lifecycle = lifecycle
            self.occupancyCounter = occupancyCounter
            self.pendingConditions = pendingConditions
        }
    }

    /// The validated site configuration.
    public let site: SiteConfiguration
    /// The site state: latest samples and derived quantities.
    public internal(set) var state: SiteState
    /// Lifecycle, checks, alert lifecycle and report cadence.
    public internal(set) var monitor: ShelterMonitor
    /// Alerts raised (committed) and not cancelled, by `alertId`: their latest event.
    public internal(set) var activeAlerts: [String: AlertEvent]
    /// When each active alert was raised (its `Alert` event was committed to the outbox); for an alert adopted
    /// from an earlier run, the `sent` of the event adopted.
    public internal(set) var alertRaisedAt: [String: Date] = [:]
    /// The last tick's check results, ordered by check id and subject.
    public internal(set) var lastResults: [CheckResult] = []
    /// The sequence number of the last report made.
    public internal(set) var sequence: Int64
    /// What report ids start with (`init(reportIDPrefix:)`).
    let reportIDPrefix: String
    public let configuration: Configuration
    let startedAt: Date
    /// Alert events made and not yet committed, oldest first.
    var uncommitted: [AlertEvent] = []
    /// Which devices (by `PointTable` index) have delivered a first result, and how many.
    var devicesHeard: [Bool] = []
    var devicesHeardCount = 0
    var lastStatusFileAt: Date?
    var lastSavedOccupancy: OccupancyCounter?
    var lastOccupancySaveAt: Date?
    var lastRegistryLifecycle: LifecycleChange?

    /// Starts the machine (the *start* event).
    /// - Parameters:
    ///   - site: the validated site configuration (bindings, devices, thresholds, report cadence).
    ///   - record: the record to start with (the cached registry copy, else the site file's), already valid.
    ///   - inheritance: what an earlier run left: its raised alerts are taken over with their ids, its
    ///     lifecycle word applies until the registry speaks, its people counters continue.
    ///   - startedAt: when the agent started (for the startup grace).
    ///   - firstSequence: the sequence number before the first report's; must grow across restarts
    ///     (the runtime uses the start time in milliseconds × 1000).
    ///   - identifiers: alert and event ids.
    ///   - reportIDPrefix: what report ids start with, `"<prefix>.r<sequence>"`. The default is the gateway id;
    ///     the runtime adds a random part so that ids cannot be guessed (issue 12: the registry de-duplicates
    ///     per gateway, and another party must not be able to claim a gateway's next id).
    ///   - configuration: knobs.
    public init(
        site: SiteConfiguration, record: ShelterRecord, inheritance: Inheritance = .init(), startedAt: Date,
        firstSequence: Int64, identifiers: some IdentifierGenerator, reportIDPrefix: String? = nil,
        configuration: Configuration = .init()
    ) {
        self.site = site
        self.reportIDPrefix = reportIDPrefix ?? site.gateway.id
        self.configuration = configuration
        self.startedAt = startedAt
        self.sequence = firstSequence
        var assessment = AssessmentConfiguration()
        assessment.thresholds = site.thresholds
        let lifecycle = inheritance.lifecycle.map { Lifecycle(registryState: $0.state, isDrill: $0.isDrill ?? false) }
        monitor = ShelterMonitor(
            record: record, gatewayId: site.gateway.id, configuration: assessment, lifecycle: lifecycle ?? .init(),
            reportIntervals: site.reportingIntervals, language: site.gateway.language,
            identifiers: identifiers)
        monitor.tracker.adopt(inheritance.activeAlerts, isDrill: lifecycle?.isDrill ?? false)
        monitor.assessment.resume(from: inheritance.activeAlerts)
        monitor.tracker.adoptPending(inheritance.pendingConditions)
        lastRegistryLifecycle = inheritance.lifecycle
        activeAlerts = Dictionary(
            inheritance.activeAlerts.filter { $0.msgType != .cancel }.map { ($0.alertId, $0) },
            uniquingKeysWith: { $0.sent >= $1.sent ? $0 : $1 })
        state = SiteState(configuration: site, record: record)
        devicesHeard = Array(repeating: false, count: state.table.deviceCount)
        if let saved = inheritance.occupancyCounter, state.restore(occupancyCounter: saved) {
            lastSavedOccupancy = saved
        }
    }

    /// The registered record in use.
    public var record: ShelterRecord { monitor.assessment.record }

    /// The lifecycle status of the last tick (the inherited or initial one before the first).
    public var lifecycle: LifecycleStatus { monitor.lastLifecycle ?? monitor.lifecycle.status }

    /// Alert events made and not yet committed to the outbox, oldest first.
    public var pendingAlerts: [AlertEvent] { uncommitted }
}
