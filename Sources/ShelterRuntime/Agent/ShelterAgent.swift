public import FoundationEssentials
public import HTTPClient
public import Logging
public import ServiceLifecycle
public import ShelterCore

/// The running agent for one validated site configuration: the services of DESIGN §1 wired together.
///
/// `services` go into one `ServiceGroup`: polling (one thread per bus) → assessment (site state, checks,
/// alerts, reports, status file) → outbox forwarder (HTTPS) and registration (record, heartbeat), plus the
/// systemd watchdog, and the metrics listener when the site asks for one. Polling never waits on the uplink: poll results pass through a bounded stream and the
/// outbox decouples assessment from the network.
public struct ShelterAgent: Sendable {
    /// Everything to run, in start order.
    public let services: [any Service]
    /// The outbox; closed by `close()` after the group has stopped.
    public let store: SQLiteOutboxStore
    /// State shared between the services.
    public let shared: AgentState
    private let clients: [HTTPClient]
    private let polling: PollingService
    private let assessment: AssessmentService

    /// What a reload (SIGHUP) hands the agent built for the new configuration (`make(carrying:)`).
    public struct Carryover: Sendable {
        /// Every device's request counters: a device with the same name, bus and unit id keeps its counts and
        /// last answer, so `status` does not say "never answered · 0/0" of a device that answered a second ago.
        public var counters: [DeviceCounters]
        /// The conditions bad but within their hold time, and since when: their hold time goes on, so reloads
        /// more often than a hold time do not keep an alert from being raised.
        public var pendingConditions: [AlertTracker.ConditionKey: Date]

        public init(counters: [DeviceCounters] = [], pendingConditions: [AlertTracker.ConditionKey: Date] = [:]) {
            self.counters = counters
            self.pendingConditions = pendingConditions
        }
    }

    /// Writes the status file now (`AssessmentService.writeStatusNow()`).
    public func writeStatusNow() { assessment.writeStatusNow() }

    /// Every device's request counters now.
    public func counters() -> [DeviceCounters] { polling.counters() }

    /// The state directory, with its runtime files in `runtime` when that directory can take them (the link in
    /// the state directory made); otherwise all in `path`, with a warning naming the reason.
    static func stateDirectory(_ path: String, runtime: String?, logger: Logger) -> FileStateDirectory {
        guard let runtime, !runtime.isEmpty else { return FileStateDirectory(path: path) }
        let directory = FileStateDirectory(path: path, runtimePath: runtime)
        do {
            try directory.linkRuntimeFiles()
            return directory
        } catch {
            logger.warning(
                "status file kept in the state directory: the runtime directory cannot take it",
                metadata: ["runtime.directory": "\(runtime)", "error": "\(error)"])
            return FileStateDirectory(path: path)
        }
    }

    /// What to hand the next agent on a reload; call after the service group has returned.
    public func carryover() -> Carryover {
        Carryover(counters: polling.counters(), pendingConditions: assessment.pendingConditions())
    }

    /// Builds the agent: opens the outbox in the state directory, sets up the HTTPS clients and the bus workers.
    /// - Parameters:
    ///   - runtimeDirectory: a directory in RAM for the status file (systemd's `$RUNTIME_DIRECTORY`), linked from
    ///     the state directory (`FileStateDirectory`); `nil` (the default) or one that cannot be used keeps it in
    ///     the state directory, and the log says why.
    ///   - carried: what the agent this one replaces on a reload (SIGHUP) hands over (`carryover()`): request
    ///     counters and pending conditions (issue 11). Default: nothing, as at a start.
    /// - Throws: `OutboxStoreError` when the outbox cannot be opened, `CurlError` when libcurl refuses the TLS
    ///   settings.
    public static func make(
        configuration site: SiteConfiguration, agentVersion: String, notifier: SystemdNotifier,
        runtimeDirectory: String? = nil, carrying carried: Carryover = .init(), logger: Logger
    ) async throws -> ShelterAgent {
        let gateway = site.gateway
        let store = try await SQLiteOutboxStore.open(path: gateway.stateDirectory + "/outbox.sqlite", logger: logger)
        let stateDirectory = Self.stateDirectory(gateway.stateDirectory, runtime: runtimeDirectory, logger: logger)
        let clock = SystemWallClock()
        let (record, source) = RegistrationService.initialRecord(
            stateDirectory: stateDirectory, siteRecord: site.record, logger: logger)
        let shared = AgentState(record: record, recordSource: source)
        let bearerToken = gateway.bearerTokenFile.flatMap {
            (try? String(contentsOfFile: $0, encoding: .utf8)).map { String($0.filter { !$0.isWhitespace }) }
        }
        let http = HTTPClientConfiguration(
            tls: .init(
                caBundlePath: gateway.caBundle, clientCertificatePath: gateway.clientCertificate,
                clientKeyPath: gateway.clientKey, pinnedPublicKey: gateway.pin),
            timeouts: .init(connect: .seconds(10), total: .seconds(30)), bearerToken: bearerToken,
            userAgent: "shelter-agent/\(agentVersion)")
        // Two handles: a slow batch upload must not hold up the heartbeat, and the other way round.
        let uploadClient = try HTTPClient(configuration: http)
        let registrationClient = try HTTPClient(configuration: http)

        let (results, sink) = SampleStreamSink.makeStream()
        let polling = PollingService(configuration: site, sink: sink, carrying: carried.counters, logger: logger)
        var assessmentConfiguration = AssessmentService.Configuration()
        assessmentConfiguration.agentVersion = agentVersion
        // An outbox older than schema 3 had no alert state: take what the older agent saved, once.
        try await store.adoptStandingAlerts(stateDirectory.loadActiveAlerts())
        let assessment = AssessmentService(
            site: site, outbox: store, stateDirectory: stateDirectory, clock: clock, shared: shared, results: results,
            counters: { polling.counters() }, configuration: assessmentConfiguration, startedAt: clock.now,
            standingAlerts: try await store.standingAlertEvents(), carrying: carried.pendingConditions, logger: logger)
        let forwarder = OutboxForwarder(
            store: store, transport: HTTPRegistryTransport(client: uploadClient, baseURL: gateway.registryURL),
            shelterId: record.id, logger: logger)
        var registrationConfiguration = RegistrationService.Configuration()
        registrationConfiguration.agentVersion = agentVersion
        registrationConfiguration.heartbeatInterval = gateway.heartbeatInterval
        let registration = RegistrationService(
            registry: HTTPRegistryClient(client: registrationClient, baseURL: gateway.registryURL), outbox: store,
            stateDirectory: stateDirectory, clock: clock, gatewayID: gateway.id, shelterID: record.id, shared: shared,
            configuration: registrationConfiguration, siteRecord: site.record, logger: logger)
        let watchdog = WatchdogService(notifier: notifier, isHealthy: { assessment.isTicking })
        var services: [any Service] = [polling, assessment, forwarder, registration, watchdog]
        if let listener = site.metrics {
            let startedAt = clock.now
            services.append(
                MetricsService(
                    listener: listener,
                    snapshot: {
                        AgentMetrics(
                            version: agentVersion, startedAt: startedAt, site: site, counters: polling.counters(),
                            checks: assessment.checkCounts(), uplink: shared.withLock { $0 })
                    }, logger: logger))
        }
        return ShelterAgent(
            services: services, store: store, shared: shared, clients: [uploadClient, registrationClient],
            polling: polling, assessment: assessment)
    }

    /// Flushes and closes the outbox and the HTTPS handles; call after the service group has returned.
    public func close() async {
        try? await store.flush()
        await store.close()
        for client in clients { client.shutdown() }
    }
}
