public import FoundationEssentials
public import Logging
public import ServiceLifecycle
public import ShelterCore

/// Keeps the registered record current and tells the registry the gateway is alive (DESIGN §4), through the
/// ports: the registry client, the state directory, the outbox (for its figures) and the wall clock.
/// - the record: fetched with the cached copy's `ETag`; a new record is validated by the site file's rules
///   (`ShelterRecord.validated(source:)`) and, if valid, cached and handed to the tick machine; one that
///   fails is refused, logged and not cached, and the last good one stays (issue 12). When the registry
///   cannot be reached the cache is used, then the site file's copy (`initialRecord`).
/// - the heartbeat: every `heartbeatInterval` with version, uptime, outbox figures and device links. The
///   answer's lifecycle word goes to the tick machine (which saves it); a newer `recordVersion` triggers a
///   fetch; a clock skew over `clockSkewWarning` is logged as a warning.
public struct RegistrationService: Service {
    /// Knobs; defaults in `init`.
    public struct Configuration: Sendable {
        /// Time between heartbeats. Default 30 s.
        public var heartbeatInterval: Duration = .seconds(30)
        /// Skew between the agent's and the registry's clock above which a warning is logged. Default 5 s.
        public var clockSkewWarning: Duration = .seconds(5)
        /// Agent version reported in heartbeats.
        public var agentVersion = "0.1.0"
        public init() {}
    }

    private let registry: any RegistryClient
    private let outbox: any OutboxWriter
    private let stateDirectory: any StateDirectory
    private let clock: any WallClock
    private let gatewayID: String
    private let shelterID: String
    private let shared: AgentState
    private let configuration: Configuration
    private let startedAt: ContinuousClock.Instant
    private let siteRecord: ShelterRecord?
    private let logger: Logger

    /// - Parameters:
    ///   - registry: the registry (one kept-alive handle for the registration traffic).
    ///   - outbox: the outbox, for its figures and to resume sending when the registry is back.
    ///   - stateDirectory: where the record is cached.
    ///   - clock: the wall clock (heartbeat time, skew).
    ///   - gatewayID: this gateway's id.
    ///   - shelterID: the registered shelter id.
    ///   - shared: where the registry's word goes.
    ///   - siteRecord: the site file's filing, which a record from the registry is compared with in the log
    ///     (`RecordChange`); `nil` logs no comparison.
    public init(
        registry: any RegistryClient, outbox: any OutboxWriter, stateDirectory: any StateDirectory,
        clock: any WallClock, gatewayID: String, shelterID: String, shared: AgentState,
        configuration: Configuration = .init(), siteRecord: ShelterRecord? = nil, logger: Logger
    ) {
        self.siteRecord = siteRecord
        self.registry = registry
        self.outbox = outbox
        self.stateDirectory = stateDirectory
        self.clock = clock
        self.gatewayID = gatewayID
        self.shelterID = shelterID
        self.shared = shared
        self.configuration = configuration
        self.startedAt = .now
        self.logger = logger
    }

    /// The record to start with before the registry has answered: the cached copy if the state directory has
    /// a valid one for this shelter, else the site file's. A cached copy that fails validation is logged and
    /// not used (a bad record once cached must not crash or mislead every restart).
    /// - Returns: the record and its source, `cache` or `site-file`.
    public static func initialRecord(
        stateDirectory: any StateDirectory, siteRecord: ShelterRecord, logger: Logger
    ) -> (ShelterRecord, String) {
        guard let (cached, _) = stateDirectory.loadRecord(), cached.id == siteRecord.id else {
            logger.info(
                "record in use: the site file's filing, until the registry gives one",
                metadata: ["record.version": "\(siteRecord.recordVersion)", "record.source": "site-file"])
            return (siteRecord, "site-file")
        }
        switch cached.validated(source: "cached record") {
        case .success:
            logRecordInUse(cached, source: "cache", siteRecord: siteRecord, logger: logger)
            return (cached, "cache")
        case .failure(let error):
            logger.error(
                "cached record refused; record in use: the site file's filing",
                metadata: ["error": "\(error)", "record.source": "site-file"])
            return (siteRecord, "site-file")
        }
    }

    public func run() async throws {
        await fetchRecord()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await heartbeat()
            // Graceful shutdown does not cancel a plain sleep; this one ends at once when the agent stops.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.heartbeatInterval) }
        }
    }

    // MARK: - Record

    func fetchRecord() async {
        let useTag = shared.withLock { $0.recordSource } != "site-file"
        let tag = useTag ? stateDirectory.loadRecord()?.entityTag : nil
        do {
            switch try await registry.fetchRecord(shelterId: shelterID, entityTag: tag) {
            case .notModified:
                markReachable()
                shared.withLock { $0.recordSource = "registry" }
            case .record(let record, let entityTag):
                markReachable()
                accept(record, entityTag: entityTag)
            case .refused(404, let refusal):
                // The registry answers (the heartbeat goes through): it has no record for the shelter.
                useSiteFileFiling(registrySaid: refusal.detail)
            case .refused(let status, let refusal):
                markRefused(
                    UplinkFault.sentence(statusCode: status, refusal: refusal, request: "record fetch"),
                    status: status)
            }
        } catch {
            if error.isUnreachable {
                markUnreachable(error.description)
            } else {
                logger.error("registry record not understood", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Validates, caches and hands on a record the registry sent; refuses and logs one that fails.
    private func accept(_ record: ShelterRecord, entityTag: String?) {
        guard record.id == shelterID else {
            logger.error("registry sent the record of another shelter", metadata: ["record.id": "\(record.id)"])
            return
        }
        if case .failure(let error) = record.validated(source: "registry record") {
            logger.error(
                "registry record refused; keeping the last good one",
                metadata: ["record.version": "\(record.recordVersion)", "error": "\(error)"])
            return
        }
        do {
            try stateDirectory.saveRecord(record, entityTag: entityTag)
        } catch {
            logger.warning("record not cached", metadata: ["error": "\(error)"])
        }
        let changed = shared.withLock { v in
            defer {
                v.record = record
                v.recordSource = "registry"
                v.pendingRecord = record
            }
            return v.record != record
        }
        if changed, let siteRecord {
            Self.logRecordInUse(record, source: "registry", siteRecord: siteRecord, logger: logger)
        } else if changed {
            logger.info(
                "record in use", metadata: ["record.version": "\(record.recordVersion)", "record.source": "registry"])
        }
    }

    /// The registry has no filed record for the shelter (404): the record in use goes back to the site file's
    /// filing, also when a record cached from an earlier answer was in use (`status` said "from the local
    /// cache" while the registry said there is none). The cache file stays: it is replaced by the next record
    /// the registry gives.
    private func useSiteFileFiling(registrySaid detail: String?) {
        guard let siteRecord else { return }
        let changed = shared.withLock { v in
            defer {
                if v.record != siteRecord { v.pendingRecord = siteRecord }
                v.record = siteRecord
                v.recordSource = "site-file"
            }
            return v.recordSource != "site-file"
        }
        if changed {
            var metadata: Logger.Metadata = [
                "record.version": "\(siteRecord.recordVersion)", "record.source": "site-file",
            ]
            if let detail { metadata["registry.said"] = "\(detail)" }
            logger.warning(
                "record in use: the site file's filing; the registry has no filed record for the shelter (HTTP 404)",
                metadata: metadata)
        }
    }

    /// Says which record the agent now uses, where it came from, and how it differs from the site file's filing
    /// (`RecordChange`, in English, `; ` between differences): info when they agree, a warning when they differ
    /// (the site manager files anew or fixes the site file; issue 11: a record is never adopted silently).
    static func logRecordInUse(_ record: ShelterRecord, source: String, siteRecord: ShelterRecord, logger: Logger) {
        let changes = record.changes(from: siteRecord)
        var metadata: Logger.Metadata = ["record.version": "\(record.recordVersion)", "record.source": "\(source)"]
        if changes.isEmpty {
            logger.info("record in use, same as the site file's filing", metadata: metadata)
        } else {
            metadata["record.differences"] = "\(changes.map { $0.text(in: .en) }.joined(separator: "; "))"
            logger.warning("record in use differs from the site file's filing", metadata: metadata)
        }
    }

    // MARK: - Heartbeat

    func heartbeat() async {
        let now = clock.now
        let health = try? await outbox.health(now: now)
        let (lifecycle, links, recordVersion) = shared.withLock { v in
            if let health {
                v.outboxDepth = health.depth
                v.outboxOldestAge = health.oldestAge
                v.outboxDeadLetters = health.deadLetters
                v.outboxEvicted = health.evicted
                v.outboxHold = health.heldBy
            }
            return (v.lifecycle, v.links, v.record.recordVersion)
        }
        let request = HeartbeatRequest(
            gatewayId: gatewayID, shelterId: shelterID, agentVersion: configuration.agentVersion,
            uptime: ContinuousClock.now - startedAt, sentAt: now, recordVersion: recordVersion, lifecycle: lifecycle,
            outbox: health ?? OutboxHealth(depth: 0, oldestAge: nil, deadLetters: 0),
            devices: links.sorted { $0.key < $1.key }.map { DeviceLinkStatus(device: $0.key, link: $0.value) })
        let answer: HeartbeatResponse
        do {
            switch try await registry.sendHeartbeat(request) {
            case .answered(let response):
                answer = response
            case .refused(let status, let refusal):
                markRefused(
                    UplinkFault.sentence(statusCode: status, refusal: refusal, request: "heartbeat"), status: status)
                return
            }
        } catch {
            if error.isUnreachable {
                markUnreachable(error.description)
            } else {
                logger.error("heartbeat answer not understood", metadata: ["error": "\(error)"])
            }
            return
        }
        markReachable()
        let skew = clock.now.timeIntervalSince(answer.serverTime)
        let needsRecord = shared.withLock { v in
            v.clockSkewSeconds = skew
            v.pendingLifecycle = LifecycleChange(state: answer.lifecycle, isDrill: answer.isDrill)
            return answer.recordVersion != v.record.recordVersion
        }
        if abs(skew) > configuration.clockSkewWarning.inSeconds {
            logger.warning(
                "clock skew against the registry",
                metadata: ["clock.skew_seconds": "\(NumberText.format(skew, decimals: 0))"])
        }
        if needsRecord { await fetchRecord() }
    }

    private func markReachable() {
        let wasDown = shared.withLock { v in
            defer {
                v.isRegistryReachable = true
                v.lastRegistrySuccessAt = clock.now
                v.lastRegistryError = nil
            }
            return v.isRegistryReachable == false
        }
        if wasDown {
            logger.info("registry reachable again")
            // The outbox's back-off may have grown to minutes during the outage: send what waits now.
            let outbox = self.outbox
            Task { await outbox.resumeSending() }
        }
    }

    /// The registry answered, but refused the request (`status`: 3xx, 4xx or 5xx): logged as a refusal with the
    /// registry's words (not as "unreachable"), on the first refusal and whenever its words change.
    private func markRefused(_ message: String, status: Int) { markFailed(message, refusedWith: status) }

    private func markUnreachable(_ message: String) { markFailed(message, refusedWith: nil) }

    /// Records a failed exchange for heartbeats and `status`; logs an unreachable registry when it was up, a
    /// refusal when its words are new.
    private func markFailed(_ message: String, refusedWith status: Int?) {
        let (wasUp, isNew) = shared.withLock { v in
            defer {
                v.isRegistryReachable = false
                v.lastRegistryError = message
            }
            return (v.isRegistryReachable != false, v.lastRegistryError != message)
        }
        if let status {
            if isNew {
                logger.warning(
                    "registry refused the request", metadata: ["http.status": "\(status)", "error": "\(message)"])
            }
        } else if wasUp {
            logger.warning("registry unreachable", metadata: ["error": "\(message)"])
        }
    }
}
