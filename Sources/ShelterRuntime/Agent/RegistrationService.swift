public import FoundationEssentials
public import HTTPClient
public import Logging
public import ServiceLifecycle
public import ShelterCore

#if canImport(Glibc)
import Glibc
#endif

/// Keeps the registered record current and tells the registry the gateway is alive (issue 6 part 4,
/// DESIGN §4):
/// - the record: `GET /v1/shelters/{id}/record` with `If-None-Match`; a new record is cached in the state
///   directory (`record.json`, `record.etag`) and handed to the assessment. When the registry cannot be
///   reached the cache is used, then the site file's copy (`RegistrationService.initialRecord`).
/// - the heartbeat: `POST /v1/gateways/{id}/heartbeat` every `heartbeatInterval` with version, uptime, outbox
///   depth and oldest age, dead letters and device links. The answer's lifecycle state (the county
///   government's decision, art. 22) and drill flag are applied; a newer `recordVersion` triggers a fetch;
///   a clock skew over `clockSkewWarning` is logged as a warning.
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

    private let client: HTTPClient
    private let baseURL: String
    private let gateway: Gateway
    private let shelterID: String
    private let shared: AgentState
    private let store: SQLiteOutboxStore
    private let configuration: Configuration
    private let startedAt: ContinuousClock.Instant
    private let logger: Logger

    /// - Parameters:
    ///   - client: the HTTPS client (one kept-alive handle for the registration traffic).
    ///   - gateway: the gateway section of the site file (id, registry URL, state directory).
    ///   - shelterID: the registered shelter id.
    ///   - shared: where the registry's word goes.
    ///   - store: the outbox, for its figures.
    public init(
        client: HTTPClient, gateway: Gateway, shelterID: String, shared: AgentState, store: SQLiteOutboxStore,
        configuration: Configuration = .init(), logger: Logger
    ) {
        self.client = client
        self.baseURL = gateway.registryURL.hasSuffix("/") ? String(gateway.registryURL.dropLast()) : gateway.registryURL
        self.gateway = gateway
        self.shelterID = shelterID
        self.shared = shared
        self.store = store
        self.configuration = configuration
        self.startedAt = .now
        self.logger = logger
    }

    /// The record to start with before the registry has answered: the cached copy if the state directory has
    /// one for this shelter, else the site file's.
    /// - Returns: the record and its source, `cache` or `site-file`.
    public static func initialRecord(stateDirectory: String, siteRecord: ShelterRecord) -> (ShelterRecord, String) {
        if let data = try? Data(contentsOf: URL(filePath: stateDirectory + "/record.json")),
            let cached = try? RegistryJSON.makeDecoder().decode(ShelterRecord.self, from: data), cached.id == siteRecord.id
        {
            return (cached, "cache")
        }
        return (siteRecord, "site-file")
    }

    /// The lifecycle the registry stated last, saved in the state directory by an earlier run, if any.
    public static func savedLifecycle(stateDirectory: String) -> LifecycleChange? {
        guard let data = try? Data(contentsOf: URL(filePath: stateDirectory + "/lifecycle.json")) else { return nil }
        return try? RegistryJSON.makeDecoder().decode(LifecycleChange.self, from: data)
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
        let cachedETag = (try? String(contentsOfFile: gateway.stateDirectory + "/record.etag", encoding: .utf8))
        let useETag = shared.withLock { $0.recordSource } != "site-file"
        var headers = [HTTPHeader("Accept", "application/json")]
        if useETag, let cachedETag, !cachedETag.isEmpty { headers.append(HTTPHeader("If-None-Match", cachedETag)) }
        do {
            let response = try await client.send(
                HTTPRequest(method: .get, url: baseURL + RegistryAPI.recordPath(shelterId: shelterID), headers: headers))
            switch response.status {
            case 304:
                markReachable()
                shared.withLock { $0.recordSource = "registry" }
            case 200:
                markReachable()
                let record = try RegistryJSON.makeDecoder().decode(ShelterRecord.self, from: Data(response.body))
                guard record.id == shelterID else {
                    logger.error("registry sent the record of another shelter", metadata: ["record.id": "\(record.id)"])
                    return
                }
                try? AssessmentService.writeAtomically(Data(response.body), to: gateway.stateDirectory + "/record.json")
                try? AssessmentService.writeAtomically(
                    Data((response.etag ?? "").utf8), to: gateway.stateDirectory + "/record.etag")
                let changed = shared.withLock { v in
                    defer {
                        v.record = record
                        v.recordSource = "registry"
                        v.pendingRecord = record
                    }
                    return v.record != record
                }
                if changed {
                    logger.info("registered record updated", metadata: ["record.version": "\(record.recordVersion)"])
                }
            default:
                markUnreachable(Self.refusal(response, request: "record fetch"))
            }
        } catch let error as CurlError {
            markUnreachable("\(error)")
        } catch {
            logger.error("registry record not understood", metadata: ["error": "\(error)"])
        }
    }

    // MARK: - Heartbeat

    func heartbeat() async {
        let now = Date()
        let statistics = try? await store.statistics()
        let (lifecycle, links, recordVersion) = shared.withLock { v in
            if let statistics {
                v.outboxDepth = statistics.depth
                v.outboxOldestAge = statistics.oldestAge(now: now)
                v.outboxDeadLetters = statistics.deadLetterCount
                v.outboxEvicted = statistics.evictedCount
                v.outboxHold = statistics.hold?.message
            }
            return (v.lifecycle, v.links, v.record.recordVersion)
        }
        let request = HeartbeatRequest(
            gatewayId: gateway.id, shelterId: shelterID, agentVersion: configuration.agentVersion,
            uptime: ContinuousClock.now - startedAt, sentAt: now, recordVersion: recordVersion, lifecycle: lifecycle,
            outbox: OutboxHealth(
                depth: statistics?.depth ?? 0, oldestAge: statistics?.oldestAge(now: now),
                deadLetters: statistics?.deadLetterCount ?? 0, evicted: statistics?.evictedCount ?? 0,
                heldBy: statistics?.hold?.message),
            devices: links.sorted { $0.key < $1.key }.map { DeviceLinkStatus(device: $0.key, link: $0.value) })
        do {
            let body = try Array(RegistryJSON.makeEncoder().encode(request))
            let response = try await client.send(
                HTTPRequest(
                    method: .post, url: baseURL + RegistryAPI.heartbeatPath(gatewayId: gateway.id),
                    headers: [HTTPHeader("Content-Type", "application/json")], body: body))
            guard response.isSuccess else {
                markUnreachable(Self.refusal(response, request: "heartbeat"))
                return
            }
            let answer = try RegistryJSON.makeDecoder().decode(HeartbeatResponse.self, from: Data(response.body))
            markReachable()
            let skew = Date().timeIntervalSince(answer.serverTime)
            let (needsRecord, lifecycleChanged) = shared.withLock { v in
                v.clockSkewSeconds = skew
                v.pendingRegistryLifecycle = (answer.lifecycle, answer.isDrill)
                let changed = v.lastRegistryLifecycle.map { $0 != (answer.lifecycle, answer.isDrill) } ?? true
                v.lastRegistryLifecycle = (answer.lifecycle, answer.isDrill)
                return (answer.recordVersion != v.record.recordVersion, changed)
            }
            if lifecycleChanged {
                // Kept across restarts: an agent restarted while the registry is unreachable must not fall back
                // to standby (slow reports) or turn a drill's alerts into real ones.
                let saved = LifecycleChange(state: answer.lifecycle, isDrill: answer.isDrill)
                if let data = try? RegistryJSON.makeEncoder().encode(saved) {
                    try? AssessmentService.writeAtomically(data, to: gateway.stateDirectory + "/lifecycle.json")
                }
            }
            if abs(skew) > configuration.clockSkewWarning.inSeconds {
                logger.warning(
                    "clock skew against the registry", metadata: ["clock.skew_seconds": "\(Int(skew.rounded()))"])
            }
            if needsRecord { await fetchRecord() }
        } catch let error as CurlError {
            markUnreachable("\(error)")
        } catch {
            logger.error("heartbeat answer not understood", metadata: ["error": "\(error)"])
        }
    }

    /// The registry's answer in a sentence a person can act on (`UplinkFault`), with its error body.
    static func refusal(_ response: HTTPResponse, request: String) -> String {
        UplinkFault.sentence(
            statusCode: response.status,
            refusal: RegistryRefusal(body: response.body, location: response.value(forHeader: "Location")),
            request: request)
    }

    private func markReachable() {
        let wasDown = shared.withLock { v in
            defer {
                v.isRegistryReachable = true
                v.lastRegistrySuccessAt = Date()
                v.lastRegistryError = nil
            }
            return v.isRegistryReachable == false
        }
        if wasDown {
            logger.info("registry reachable again")
            // The outbox's back-off may have grown to minutes during the outage: send what waits now.
            let store = self.store
            Task { try? await store.retryNow() }
        }
    }

    private func markUnreachable(_ message: String) {
        let wasUp = shared.withLock { v in
            defer {
                v.isRegistryReachable = false
                v.lastRegistryError = message
            }
            return v.isRegistryReachable != false
        }
        if wasUp { logger.warning("registry unreachable", metadata: ["error": "\(message)"]) }
    }
}
