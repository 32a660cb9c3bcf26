public import FoundationEssentials
public import Logging
public import ServiceLifecycle
public import ShelterCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Turns poll results into the site's state, assesses it once a second, and puts alert events (durably) and
/// status reports into the outbox; rewrites `status.json` for `shelter-agent status` (DESIGN §1).
///
/// - Important: an alert event is committed to the outbox (synchronous SQLite commit) before it is counted as
///   raised; if that fails the step's events are retried on the next tick, never dropped.
public final class AssessmentService: Service, Sendable {
    /// Knobs; defaults in `init`.
    public struct Configuration: Sendable {
        /// How often the site is assessed. Default 1 s.
        public var tick: Duration = .seconds(1)
        /// How often `status.json` is rewritten. Default 30 s: a gateway's flash wears with every write, and
        /// `shelter-agent status` flags a file older than that as a stopped agent.
        public var statusFileInterval: Duration = .seconds(30)
        /// Age after which a reading is reported `stale`. Default 5 min.
        public var readingMaximumAge: Duration = .seconds(300)
        /// How long the first assessment waits for the first poll of every device. Default 60 s.
        public var startupGrace: Duration = .seconds(60)
        /// Agent version written into the status file.
        public var agentVersion = "0.1.0"
        public init() {}
    }

    private let site: SiteConfiguration
    private let store: SQLiteOutboxStore
    private let shared: AgentState
    private let results: AsyncStream<DevicePollResult>
    private let counters: @Sendable () -> [DeviceCounters]
    private let configuration: Configuration
    private let logger: Logger
    private let startedAt: Date
    private let mutable: Mutex<Mutable>

    private struct Mutable: Sendable {
        var state: SiteState
        var monitor: ShelterMonitor
        var unsentEvents: [AlertEvent] = []
        var activeAlerts: [String: AlertEvent] = [:]
        var lastResults: [CheckResult] = []
        var sequence: Int64
        var lastTickAt: ContinuousClock.Instant?
        var lastStatusFileAt: ContinuousClock.Instant?
        /// Devices that delivered at least one poll result since start.
        var devicesHeard: Set<String> = []
        /// Alerts that were firing when an earlier run (or the configuration before a reload) stopped.
        var inherited: [AlertEvent] = []
        var lastSavedOccupancy: Data?
        let bootMillis: Int64
    }

    /// - Parameters:
    ///   - site: the validated site configuration.
    ///   - store: the outbox.
    ///   - shared: state shared with the registration service.
    ///   - results: poll results from the bus workers.
    ///   - counters: the bus workers' per-device counters.
    ///   - startedAt: when the agent started (ids and sequence numbers derive from it, so they stay unique
    ///     across restarts).
    public init(
        site: SiteConfiguration, store: SQLiteOutboxStore, shared: AgentState,
        results: AsyncStream<DevicePollResult>, counters: @escaping @Sendable () -> [DeviceCounters],
        configuration: Configuration = .init(), startedAt: Date, logger: Logger
    ) {
        self.site = site
        self.store = store
        self.shared = shared
        self.results = results
        self.counters = counters
        self.configuration = configuration
        self.logger = logger
        self.startedAt = startedAt
        let record = shared.withLock { $0.record }
        var assessment = AssessmentConfiguration()
        assessment.thresholds = site.thresholds
        let intervals = Dictionary(
            uniqueKeysWithValues: site.reportingIntervals.compactMap { key, value in
                LifecycleState(rawValue: key).map { ($0, value) }
            })
        let bootMillis = Int64(startedAt.timeIntervalSince1970 * 1000)
        var state = SiteState(configuration: site)
        if let saved = Self.loadOccupancy(stateDirectory: site.gateway.stateDirectory) {
            state.restore(occupancyCounter: saved)
        }
        mutable = Mutex(
            Mutable(
                state: state,
                monitor: ShelterMonitor(
                    record: record, gatewayId: site.gateway.id, configuration: assessment,
                    reportIntervals: intervals,
                    identifiers: SequentialIdentifierGenerator(prefix: "\(site.gateway.id).\(bootMillis)")),
                sequence: bootMillis * 1000, inherited: Self.loadActiveAlerts(stateDirectory: site.gateway.stateDirectory),
                bootMillis: bootMillis))
    }

    /// Whether the assessment ticked within the last 10 ticks (for the systemd watchdog).
    public var isTicking: Bool {
        mutable.withLock { m in
            m.lastTickAt.map { ContinuousClock.now - $0 < configuration.tick * 10 } ?? true
        }
    }

    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { [results] in
                for await result in results {
                    let now = Date()
                    self.mutable.withLock {
                        $0.state.ingest(device: result.device, linkState: result.linkState, samples: result.samples, at: now)
                        $0.devicesHeard.insert(result.device)
                    }
                }
            }
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                await tick()
                try? await Task.sleep(for: configuration.tick)
            }
            await tick()
            writeStatusFile(now: Date())
            group.cancelAll()
        }
    }

    /// Whether the first poll of every device has come in, or `startupGrace` has passed: until then a point
    /// that was never read says nothing about the device (every agent start would otherwise raise C-22).
    private var hasSettled: Bool {
        let heard = mutable.withLock { $0.devicesHeard.count }
        return heard >= site.devices.count || Date().timeIntervalSince(startedAt) >= configuration.startupGrace.inSeconds
    }

    /// One assessment step: apply the registry's word, assess, send what is due.
    func tick() async {
        let now = Date()
        guard hasSettled else {
            mutable.withLock { $0.lastTickAt = .now }
            return
        }
        closeInheritedAlerts(now: now)
        let (pendingLifecycle, pendingRecord) = shared.withLock { v in
            defer {
                v.pendingRegistryLifecycle = nil
                v.pendingRecord = nil
            }
            return (v.pendingRegistryLifecycle, v.pendingRecord)
        }
        let (step, snapshot, state) = mutable.withLock { m in
            if let pendingLifecycle {
                _ = m.monitor.lifecycle.registryReported(pendingLifecycle.state, isDrill: pendingLifecycle.isDrill)
            }
            if let pendingRecord { m.monitor.assessment.record = pendingRecord }
            let snapshot = m.state.snapshot(at: now)
            let step = m.monitor.step(snapshot, at: now)
            m.unsentEvents += step.events
            m.lastResults = step.results
            m.lastTickAt = .now
            return (step, snapshot, m.state)
        }
        shared.withLock {
            $0.lifecycle = step.lifecycle
            $0.links = snapshot.links
        }
        if step.lifecycle != mutable.withLock({ $0.monitor.lastLifecycle }) {
            logger.info("lifecycle", metadata: ["lifecycle.state": "\(step.lifecycle.state.rawValue)"])
        }
        await sendAlerts(now: now)
        if step.isReportDue { enqueueReport(step: step, snapshot: snapshot, state: state, now: now) }
        let isStatusFileDue = mutable.withLock { m in
            guard let last = m.lastStatusFileAt, ContinuousClock.now - last < configuration.statusFileInterval else {
                m.lastStatusFileAt = .now
                return true
            }
            return false
        }
        if isStatusFileDue { writeStatusFile(now: now) }
    }

    /// Closes, with a Cancel event each, the alerts that were firing when the previous run or configuration
    /// stopped: this run's tracker starts afresh and raises a new alert if the condition still holds, so without
    /// this the registry would keep the old ones open for ever.
    private func closeInheritedAlerts(now: Date) {
        mutable.withLock { m in
            guard !m.inherited.isEmpty else { return }
            let cancels = m.inherited.map { old in
                var event = old
                event.eventId = "\(old.alertId).closed-\(m.bootMillis)"
                event.references = old.references + [old.eventId]
                event.msgType = .cancel
                event.urgency = .past
                event.sent = now
                event.headline = "\(old.parameters.checkId.rawValue) closed: the agent restarted and assesses the condition anew"
                return event
            }
            m.unsentEvents.insert(contentsOf: cancels, at: 0)
            m.inherited = []
        }
    }

    private func sendAlerts(now: Date) async {
        let events = mutable.withLock { $0.unsentEvents }
        guard !events.isEmpty else { return }
        let encoder = RegistryJSON.makeEncoder()
        var sent = 0
        for event in events {
            do {
                let payload = try Array(encoder.encode(event))
                try await store.enqueueAlert(id: event.eventId, payload: payload, createdAt: event.sent)
                sent += 1
                logger.notice(
                    "alert",
                    metadata: [
                        "alert.id": "\(event.alertId)", "alert.event_id": "\(event.eventId)",
                        "alert.check": "\(event.parameters.checkId.rawValue)",
                        "alert.msg_type": "\(event.msgType.rawValue)", "alert.severity": "\(event.severity.rawValue)",
                        "alert.status": "\(event.status.rawValue)", "alert.headline": "\(event.headline)",
                    ])
            } catch {
                logger.error("alert not stored; retrying next tick", metadata: ["error": "\(error)"])
                break
            }
        }
        mutable.withLock { m in
            for event in m.unsentEvents.prefix(sent) {
                if event.msgType == .cancel { m.activeAlerts[event.alertId] = nil } else { m.activeAlerts[event.alertId] = event }
            }
            m.unsentEvents.removeFirst(sent)
        }
        saveActiveAlerts()
    }

    private func enqueueReport(
        step: ShelterMonitor.Step, snapshot: SiteSnapshot, state: SiteState, now: Date
    ) {
        let sequence = mutable.withLock { m in
            m.sequence += 1
            return m.sequence
        }
        let readings = site.devices.flatMap { device in
            device.points.map { point in
                let sample = state.point(device: device.name, point: point.name)?.latest
                return ReadingStatus(
                    device: device.name, point: point.name, quantity: point.quantity,
                    reading: sample?.reading ?? .noSample(.init(.notYetRead)), unit: point.unit,
                    observedAt: sample?.observedAt, now: now, maximumAge: configuration.readingMaximumAge)
            }
        }
        let record = mutable.withLock { $0.monitor.assessment.record }
        let report = StatusReportBuilder.makeReport(
            reportId: "\(site.gateway.id).r\(sequence)", sequence: sequence, gatewayId: site.gateway.id,
            record: record, snapshot: snapshot, lifecycle: step.lifecycle, checks: step.results, readings: readings,
            utcOffsetMinutes: Self.localUTCOffsetMinutes(at: now))
        do {
            let payload = try Array(RegistryJSON.makeEncoder().encode(report))
            if !store.enqueueStatus(id: report.reportId, payload: payload, createdAt: now) {
                logger.warning("status report dropped: outbox hand-off full", metadata: ["report.id": "\(report.reportId)"])
            }
        } catch {
            logger.error("status report not encoded", metadata: ["error": "\(error)"])
        }
    }

    // MARK: - Status file

    /// Writes `status.json` (and the occupancy counter, so a restart does not lose who is inside) atomically:
    /// a temporary file renamed over the old one.
    func writeStatusFile(now: Date) {
        let directory = site.gateway.stateDirectory
        let (status, occupancy) = mutable.withLock { m in (makeStatus(m, now: now), m.state.savedOccupancyCounter) }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        do {
            try Self.writeAtomically(encoder.encode(status), to: directory + "/status.json")
            let counter = try encoder.encode(occupancy)
            // The counter changes only when people pass: rewrite it only then.
            if mutable.withLock({ $0.lastSavedOccupancy != counter }) {
                try Self.writeAtomically(counter, to: directory + "/occupancy.json")
                mutable.withLock { $0.lastSavedOccupancy = counter }
            }
        } catch {
            logger.warning("status file not written", metadata: ["file.path": "\(directory)/status.json", "error": "\(error)"])
        }
    }

    private func makeStatus(_ m: Mutable, now: Date) -> AgentStatus {
        let uplink = shared.withLock { $0 }
        let counters = counters()
        let devices = site.devices.map { device in
            let c = counters.first { $0.device == device.name }
            return AgentStatus.Device(
                name: device.name, bus: device.busName, unitID: Int(device.unitID.rawValue),
                link: (m.state.linkStates[device.name] ?? .unknown).rawValue, lastSuccessAt: c?.lastSuccessAt,
                requests: c?.requests ?? 0, successes: c?.successes ?? 0,
                failures: Dictionary(uniqueKeysWithValues: (c?.failures ?? [:]).map { ($0.key.rawValue, $0.value) }),
                lastError: c?.lastError, roundTripSeconds: c?.meanRoundTrip.map { $0.inSeconds })
        }
        let readings = site.devices.flatMap { device in
            device.points.map { point in
                let sample = m.state.point(device: device.name, point: point.name)?.latest
                return AgentStatus.PointReading(
                    device: device.name, point: point.name, quantity: point.quantity?.rawValue,
                    value: sample?.reading.value.map(Self.text), unit: point.unit.isEmpty ? nil : point.unit,
                    reason: sample == nil ? "not read yet" : sample?.reading.reason?.description,
                    observedAt: sample?.observedAt)
            }
        }
        return AgentStatus(
            writtenAt: now, startedAt: startedAt, agentVersion: configuration.agentVersion, pid: getpid(),
            gatewayID: site.gateway.id, shelterID: m.monitor.shelterId,
            lifecycle: .init(
                state: uplink.lifecycle.state.rawValue, isDrill: uplink.lifecycle.isDrill,
                isUnconfirmed: uplink.lifecycle.isUnconfirmed),
            devices: devices, readings: readings,
            checks: m.lastResults.map {
                .init(id: $0.checkId.rawValue + ($0.subject.isEmpty ? "" : " \($0.subject)"), status: $0.status.rawValue, summary: $0.summary)
            },
            activeAlerts: m.activeAlerts.values.sorted { $0.onset < $1.onset }.map {
                .init(alertID: $0.alertId, checkID: $0.parameters.checkId.rawValue, severity: $0.severity.rawValue, since: $0.onset,
                      headline: $0.headline)
            },
            outbox: .init(
                depth: uplink.outboxDepth, oldestAgeSeconds: uplink.outboxOldestAge?.inSeconds,
                deadLetters: uplink.outboxDeadLetters, heldBy: uplink.outboxHold),
            registry: .init(
                url: site.gateway.registryURL, isReachable: uplink.isRegistryReachable,
                lastSuccessAt: uplink.lastRegistrySuccessAt, lastError: uplink.lastRegistryError,
                recordVersion: uplink.record.recordVersion, recordSource: uplink.recordSource,
                clockSkewSeconds: uplink.clockSkewSeconds))
    }

    static func text(_ value: SampleValue) -> String {
        switch value {
        case .double(let d): NumberText.format(d, decimals: abs(d) >= 100 ? 1 : 3)
        case .int(let i): "\(i)"
        case .uint(let u): "\(u)"
        case .bool(let b): "\(b)"
        case .string(let s): s
        }
    }

    static func writeAtomically(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp"
        try data.write(to: URL(filePath: temporary))
        guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// Writes the firing alerts (their latest event each) so the next run can close them.
    private func saveActiveAlerts() {
        let active = mutable.withLock { m in Array(m.activeAlerts.values) + m.inherited }
        guard let data = try? RegistryJSON.makeEncoder().encode(active) else { return }
        try? Self.writeAtomically(data, to: site.gateway.stateDirectory + "/active-alerts.json")
    }

    static func loadActiveAlerts(stateDirectory: String) -> [AlertEvent] {
        guard let data = try? Data(contentsOf: URL(filePath: stateDirectory + "/active-alerts.json")) else { return [] }
        return ((try? RegistryJSON.makeDecoder().decode([AlertEvent].self, from: data)) ?? []).sorted { $0.onset < $1.onset }
    }

    static func loadOccupancy(stateDirectory: String) -> OccupancyCounter? {
        guard let data = try? Data(contentsOf: URL(filePath: stateDirectory + "/occupancy.json")) else { return nil }
        return try? JSONDecoder().decode(OccupancyCounter.self, from: data)
    }

    /// The machine's UTC offset in minutes at `date`, from the C library's time zone (`TZ`, /etc/localtime).
    static func localUTCOffsetMinutes(at date: Date) -> Int {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return 0 }
        return Int(parts.tm_gmtoff) / 60
    }
}
