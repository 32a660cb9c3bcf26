public import FoundationEssentials
public import Logging
public import ServiceLifecycle
public import ShelterCore
import Synchronization
internal import Platform

/// Runs the agent's tick: feeds poll results and the registry's word to the `AgentStateMachine` and executes
/// the actions it returns, through the ports: alert events (with their alerts' state) and status reports into
/// the outbox, the status file, the people counters and the lifecycle into the state directory (DESIGN §1).
///
/// The policy (cadence, lifecycle, commit-before-count, inherited alerts, record replacement) is the
/// machine's and is tested there event by event; this service only executes.
///
/// Evaluation runs when data arrives (issue 13): each batch of poll results (one cycle of a bus) is fed to
/// the machine at once and wakes the tick, so the checks the new samples feed are evaluated on arrival, not
/// at the next periodic tick. The periodic tick remains for time-based conditions only: it runs when no data
/// came for `tickInterval`, and at the end of a pending condition's hold time (`TickActions.nextTickIn`).
///
/// - Important: alert events are enqueued one at a time, in order; each counts as raised only once the
///   outbox committed it (`alertCommitted`); on the first failure the rest wait for the next tick, never
///   dropped.
public final class AssessmentService: Service, Sendable {
    /// Knobs; defaults in `init`.
    public struct Configuration: Sendable {
        /// The tick machine's knobs: tick interval (1 s), status file interval (30 s), reading age (5 min),
        /// startup grace (60 s).
        public var machine = AgentStateMachine.Configuration()
        /// Agent version written into the status file.
        public var agentVersion = "0.1.0"
        /// Whether a batch of poll results is assessed when it arrives. The default is `true`; `false` leaves
        /// the periodic tick alone, as before issue 13 (the benchmark's baseline, `bench-poll latency`).
        public var evaluatesOnArrival = true
        public init() {}
    }

    private let machine: Mutex<AgentStateMachine>
    private let outbox: any OutboxWriter
    private let stateDirectory: any StateDirectory
    private let clock: any WallClock
    private let shared: AgentState
    private let results: AsyncStream<[DevicePollResult]>
    /// Set by each batch of results; wakes the tick loop.
    private let dataArrived = WakeSignal()
    private let counters: @Sendable () -> [DeviceCounters]
    private let configuration: Configuration
    private let startedAt: Date
    private let lastTickAt = Mutex<ContinuousClock.Instant?>(nil)
    /// The content (`AgentStatus.content`) of the last status file written, to write only when it changes.
    private let lastStatusContent = Mutex<AgentStatus?>(nil)
    private let logger: Logger

    /// Starts the machine with the alerts the outbox holds as standing, what the state directory holds (the
    /// registry's last lifecycle word, the people counters) and the record in `shared`.
    /// - Parameters:
    ///   - site: the validated site configuration.
    ///   - outbox: where alert events and reports go.
    ///   - stateDirectory: the state files.
    ///   - clock: the wall clock.
    ///   - shared: state shared with the registration service.
    ///   - results: poll results from the bus workers, a cycle of a bus at a time (`SampleStreamSink`).
    ///   - counters: the bus workers' per-device counters, for the status file.
    ///   - startedAt: when the agent started; ids and sequence numbers derive from it, so they stay unique
    ///     across restarts.
    ///   - standingAlerts: the alerts raised and not cancelled, as the outbox holds them
    ///     (`OutboxWriter.standingAlerts()`). Default: none.
    ///   - pending: the conditions within their hold time in the agent a reload replaces
    ///     (`pendingConditions()`), whose hold time goes on. Default: none.
    public init(
        site: SiteConfiguration, outbox: any OutboxWriter, stateDirectory: any StateDirectory, clock: any WallClock,
        shared: AgentState, results: AsyncStream<[DevicePollResult]>,
        counters: @escaping @Sendable () -> [DeviceCounters], configuration: Configuration = .init(),
        startedAt: Date, standingAlerts: [AlertEvent] = [], carrying pending: [AlertTracker.ConditionKey: Date] = [:],
        logger: Logger
    ) {
        self.outbox = outbox
        self.stateDirectory = stateDirectory
        self.clock = clock
        self.shared = shared
        self.results = results
        self.counters = counters
        self.configuration = configuration
        self.startedAt = startedAt
        self.logger = logger
        let bootMillis = Int64(startedAt.timeIntervalSince1970 * 1000)
        // 64 random bits in every id of this run: unguessable, so no other party can claim the next one.
        var random = SystemRandomNumberGenerator()
        let salt = String(random.next() as UInt64, radix: 16)
        let inheritance = AgentStateMachine.Inheritance(
            activeAlerts: standingAlerts, lifecycle: stateDirectory.loadLifecycle(),
            occupancyCounter: stateDirectory.loadOccupancy(), pendingConditions: pending)
        machine = Mutex(
            AgentStateMachine(
                site: site, record: shared.withLock { $0.record }, inheritance: inheritance, startedAt: startedAt,
                firstSequence: bootMillis * 1000,
                identifiers: SequentialIdentifierGenerator(prefix: "\(site.gateway.id).\(bootMillis).\(salt)"),
                reportIDPrefix: "\(site.gateway.id).\(salt)",
                configuration: configuration.machine))
        if !inheritance.activeAlerts.isEmpty {
            logger.info("alerts carried over", metadata: ["alert.count": "\(inheritance.activeAlerts.count)"])
        }
    }

    /// Whether the assessment ticked within the last 10 ticks (for the systemd watchdog).
    public var isTicking: Bool {
        lastTickAt.withLock { last in
            last.map { ContinuousClock.now - $0 < configuration.machine.tickInterval * 10 } ?? true
        }
    }

    /// The conditions bad but within their hold time, and since when: handed to the next agent on a reload.
    public func pendingConditions() -> [AlertTracker.ConditionKey: Date] {
        machine.withLock { $0.monitor.tracker.pendingSince }
    }

    /// The last tick's check results counted by status (`/metrics`); `nil` before the first tick.
    public func checkCounts() -> [CheckStatus: Int]? {
        machine.withLock { m in
            m.lastResults.isEmpty ? nil : m.lastResults.reduce(into: [:]) { $0[$1.status, default: 0] += 1 }
        }
    }

    public func run() async throws {
        // The assessment's tasks (the batch consumer, the tick loop, their waits) run on a thread of their own
        // rather than on the concurrency pool: each hand-off between them was a wake-up of another pool thread
        // (the pool's threads ran 9 times a second for one batch and one tick).
        let executor = ThreadExecutor(name: "assessment")
        defer { executor.shutdown() }  // every task that preferred it has ended
        try await withTaskExecutorPreference(executor) { try await assess() }
    }

    private func assess() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            let evaluatesOnArrival = configuration.evaluatesOnArrival
            group.addTask { [results, clock, dataArrived] in
                for await batch in results {
                    let now = clock.now
                    self.machine.withLock { machine in
                        for result in batch { machine.receive(result, at: now) }
                    }
                    if evaluatesOnArrival { dataArrived.signal() }
                }
            }
            var next = configuration.machine.tickInterval
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                next = await tick()
                await dataArrived.wait(timeout: next)
            }
            _ = await tick()
            if let counter = machine.withLock({ $0.unsavedOccupancy() }) {
                save("occupancy") { try stateDirectory.saveOccupancy(counter) }
            }
            writeStatusFile(now: clock.now, evenIfUnchanged: true)
            group.cancelAll()
        }
    }

    /// One tick: hand the registry's word to the machine, tick it, execute its actions.
    /// - Returns: when to tick next.
    @discardableResult
    func tick() async -> Duration {
        let now = clock.now
        let (word, record) = shared.withLock { v in
            defer {
                v.pendingLifecycle = nil
                v.pendingRecord = nil
            }
            return (v.pendingLifecycle, v.pendingRecord)
        }
        let offset = clock.utcOffsetMinutes(at: now)
        let (toSave, recordOutcome, actions, lifecycle, links) = machine.withLock { m in
            let toSave = word.flatMap { m.heartbeatAnswered(lifecycle: $0.state, isDrill: $0.isDrill ?? false) }
            let outcome = record.map { m.recordReceived($0) }
            let actions = m.tick(at: now, utcOffsetMinutes: offset)
            return (toSave, outcome, actions, m.lifecycle, m.state.linkStates)
        }
        lastTickAt.withLock { $0 = .now }
        shared.withLock {
            $0.lifecycle = lifecycle
            $0.links = links
        }
        if let toSave { save("lifecycle") { try stateDirectory.saveLifecycle(toSave) } }
        if let recordOutcome { log(recordOutcome) }
        if let changed = actions.lifecycleChanged {
            logger.info(
                "lifecycle",
                metadata: ["lifecycle.state": "\(changed.state.rawValue)", "lifecycle.drill": "\(changed.isDrill)"])
        }
        await enqueue(actions.enqueueAlerts)
        if let report = actions.enqueueReport, !outbox.enqueueReport(report) {
            logger.warning("status report dropped: outbox hand-off full", metadata: ["report.id": "\(report.reportId)"])
        }
        if let counter = actions.saveOccupancy { save("occupancy") { try stateDirectory.saveOccupancy(counter) } }
        if actions.writeStatus { writeStatusFile(now: now) }
        return actions.nextTickIn
    }

    /// Puts the events in the outbox one at a time; each counts once committed. Stops at the first failure.
    private func enqueue(_ events: [AlertEvent]) async {
        for event in events {
            do {
                try await outbox.enqueueAlert(event)
            } catch {
                machine.withLock { $0.alertCommitFailed(eventId: event.eventId) }
                logger.error("alert not stored; retrying next tick", metadata: ["error": "\(error)"])
                return
            }
            // The outbox committed the alert's state with the event (`OutboxWriter.enqueueAlert`).
            _ = machine.withLock { $0.alertCommitted(eventId: event.eventId) }
            logger.notice(
                "alert",
                metadata: [
                    "alert.id": "\(event.alertId)", "alert.event_id": "\(event.eventId)",
                    "alert.check": "\(event.parameters.checkId.rawValue)",
                    "alert.msg_type": "\(event.msgType.rawValue)", "alert.severity": "\(event.severity.rawValue)",
                    "alert.status": "\(event.status.rawValue)", "alert.headline": "\(event.headline)",
                ])
        }
    }

    private func log(_ outcome: AgentStateMachine.RecordOutcome) {
        switch outcome {
        case .applied:
            let version = machine.withLock { $0.record.recordVersion }
            let source = shared.withLock { $0.recordSource }
            logger.info(
                "record applied to the checks",
                metadata: ["record.version": "\(version)", "record.source": "\(source)"])
        case .unchanged:
            break
        case .refused(let error):
            logger.error("registered record refused", metadata: ["error": "\(error)"])
        case .otherShelter(let id):
            logger.error("registered record of another shelter refused", metadata: ["record.id": "\(id)"])
        }
    }

    /// Writes the status file now, changed or not: after an event outside the tick that `status` must show at
    /// once (a refused reload). Safe beside the tick's writes (`AtomicFile`: a temporary file per write).
    public func writeStatusNow() { writeStatusFile(now: clock.now, evenIfUnchanged: true) }

    /// Writes `status.json` (`shelter-agent status`) when its content (`AgentStatus.content`: the figures
    /// without their time stamps and counts) differs from the last file written; otherwise only touches it, a
    /// sign of life that writes no data block (issue 13). The machine calls for this at most every
    /// `statusFileInterval`.
    /// - Parameter evenIfUnchanged: write the file whatever its content (on stop: the last capture).
    func writeStatusFile(now: Date, evenIfUnchanged: Bool = false) {
        let uplink = shared.withLock { $0 }
        let counters = counters()
        let status = machine.withLock {
            AgentStatus(
                machine: $0, uplink: uplink, counters: counters, startedAt: startedAt,
                agentVersion: configuration.agentVersion, now: now)
        }
        let content = status.content
        let isUnchanged = lastStatusContent.withLock { $0 == content }
        if isUnchanged && !evenIfUnchanged {
            // A touch that fails (the file was removed) falls through to a full write.
            if (try? stateDirectory.touch(.status)) != nil { return }
        }
        do {
            try stateDirectory.write(Array(RegistryJSON.makeEncoder().encode(status)), to: .status)
            lastStatusContent.withLock { $0 = content }
        } catch {
            logger.warning("state file not written", metadata: ["state.file": "status", "error": "\(error)"])
        }
    }

    private func save(_ what: String, _ body: () throws -> Void) {
        do {
            try body()
        } catch {
            logger.warning("state file not written", metadata: ["state.file": "\(what)", "error": "\(error)"])
        }
    }
}

extension AgentStateMachine {
    /// Feeds one bus worker result: by index when the worker gave one (no name hashed), else by name.
    mutating func receive(_ result: DevicePollResult, at now: Date) {
        if let d = result.deviceIndex {
            pollResultReceived(
                deviceIndex: d, linkState: result.linkState, readings: result.readings, busFault: result.busFault,
                observedAt: result.observedAt, at: now)
        } else {
            pollResultReceived(
                device: result.device, linkState: result.linkState, samples: result.samples,
                busFault: result.busFault, at: now)
        }
    }
}
