public import FoundationEssentials

/// What a gateway tells the registry on each heartbeat (`POST /v1/gateways/{gatewayId}/heartbeat`,
/// DESIGN §4): who and what it is, how long it has run, how its outbox and devices are, and its clock.
///
/// JSON (`RegistryJSON`): camelCase keys; durations as seconds in keys that say so (`uptimeSeconds`,
/// `oldestAgeSeconds`); dates ISO 8601.
public struct HeartbeatRequest: Sendable, Hashable, Codable {
    /// Id of the gateway; must equal the path's and the client certificate's.
    public var gatewayId: String
    /// Registry id of the shelter the gateway serves.
    public var shelterId: String
    /// Agent version, e.g. `"0.3.0"`.
    public var agentVersion: String
    /// Time since the agent started. JSON `uptimeSeconds`, ≥ 0.
    public var uptime: Duration
    /// The gateway's wall clock when it sent the heartbeat; the registry compares it with its own.
    public var sentAt: Date
    /// Version of the registered record the agent is checking against (0: site-file copy only).
    public var recordVersion: Int
    /// The lifecycle the agent is applying (it may be a local unconfirmed activation).
    public var lifecycle: LifecycleStatus
    /// Outbox depth, age and dead letters.
    public var outbox: OutboxHealth
    /// Link state of every configured device, in device-name order.
    public var devices: [DeviceLinkStatus]

    /// Creates a heartbeat.
    public init(
        gatewayId: String, shelterId: String, agentVersion: String, uptime: Duration, sentAt: Date,
        recordVersion: Int, lifecycle: LifecycleStatus, outbox: OutboxHealth, devices: [DeviceLinkStatus]
    ) {
        self.gatewayId = gatewayId
        self.shelterId = shelterId
        self.agentVersion = agentVersion
        self.uptime = uptime
        self.sentAt = sentAt
        self.recordVersion = recordVersion
        self.lifecycle = lifecycle
        self.outbox = outbox
        self.devices = devices
    }

    private enum CodingKeys: String, CodingKey {
        case gatewayId, shelterId, agentVersion, uptimeSeconds, sentAt, recordVersion, lifecycle, outbox, devices
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        gatewayId = try container.decode(String.self, forKey: .gatewayId)
        shelterId = try container.decode(String.self, forKey: .shelterId)
        agentVersion = try container.decode(String.self, forKey: .agentVersion)
        uptime = try DurationSeconds.decode(container, forKey: .uptimeSeconds)
        sentAt = try container.decode(Date.self, forKey: .sentAt)
        recordVersion = try container.decode(Int.self, forKey: .recordVersion)
        lifecycle = try container.decode(LifecycleStatus.self, forKey: .lifecycle)
        outbox = try container.decode(OutboxHealth.self, forKey: .outbox)
        devices = try container.decode([DeviceLinkStatus].self, forKey: .devices)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(gatewayId, forKey: .gatewayId)
        try container.encode(shelterId, forKey: .shelterId)
        try container.encode(agentVersion, forKey: .agentVersion)
        try container.encode(DurationSeconds.seconds(uptime), forKey: .uptimeSeconds)
        try container.encode(sentAt, forKey: .sentAt)
        try container.encode(recordVersion, forKey: .recordVersion)
        try container.encode(lifecycle, forKey: .lifecycle)
        try container.encode(outbox, forKey: .outbox)
        try container.encode(devices, forKey: .devices)
    }
}

/// The outbox as the heartbeat reports it (DESIGN §4, §7).
public struct OutboxHealth: Sendable, Hashable, Codable {
    /// Entries waiting to be sent (alerts and status reports), ≥ 0.
    public var depth: Int
    /// Age of the oldest waiting entry; `nil` when the outbox is empty. JSON `oldestAgeSeconds`.
    public var oldestAge: Duration?
    /// Entries kept as dead letters (refused by the registry with a 4xx other than 408/429), ≥ 0.
    public var deadLetters: Int
    /// Entries evicted because the outbox was over its size or age bound since the agent started, ≥ 0
    /// (dead letters removed past their age included).
    public var evicted: Int
    /// The configuration fault holding the outbox (`UplinkFault`: a redirect, 401, 403, 404, a gateway-id
    /// mismatch), as a sentence; absent when the outbox is not held.
    public var heldBy: String?

    /// Creates outbox figures.
    public init(depth: Int, oldestAge: Duration?, deadLetters: Int, evicted: Int = 0, heldBy: String? = nil) {
        self.depth = depth
        self.oldestAge = oldestAge
        self.deadLetters = deadLetters
        self.evicted = evicted
        self.heldBy = heldBy
    }

    private enum CodingKeys: String, CodingKey { case depth, oldestAgeSeconds, deadLetters, evicted, heldBy }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        depth = try container.decode(Int.self, forKey: .depth)
        oldestAge = try DurationSeconds.decodeIfPresent(container, forKey: .oldestAgeSeconds)
        deadLetters = try container.decode(Int.self, forKey: .deadLetters)
        evicted = try container.decodeIfPresent(Int.self, forKey: .evicted) ?? 0
        heldBy = try container.decodeIfPresent(String.self, forKey: .heldBy)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(depth, forKey: .depth)
        try container.encodeIfPresent(oldestAge.map(DurationSeconds.seconds), forKey: .oldestAgeSeconds)
        try container.encode(deadLetters, forKey: .deadLetters)
        try container.encode(evicted, forKey: .evicted)
        try container.encodeIfPresent(heldBy, forKey: .heldBy)
    }
}

/// Durations on the wire: a JSON number of seconds (fractions allowed), never negative.
enum DurationSeconds {
    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    static func duration<Key: CodingKey>(
        _ seconds: Double, key: Key, in container: KeyedDecodingContainer<Key>
    )
        throws -> Duration
    {
        guard seconds.isFinite, seconds >= 0, seconds < 1e15 else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "expected seconds ≥ 0, got \(seconds)")
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    static func decode<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, forKey key: Key) throws -> Duration {
        try duration(container.decode(Double.self, forKey: key), key: key, in: container)
    }

    static func decodeIfPresent<Key: CodingKey>(
        _ container: KeyedDecodingContainer<Key>, forKey key: Key
    ) throws
        -> Duration?
    {
        try container.decodeIfPresent(Double.self, forKey: key).map { try duration($0, key: key, in: container) }
    }
}
