/// What an outbox entry carries, which decides its registry endpoint, its send priority and its eviction order.
public enum OutboxKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// An alert event (raised, updated, resolved), sent to `POST /v1/shelters/{shelterId}/alerts`
    /// (DESIGN §4). Sent before any status report and evicted last.
    case alert
    /// A status report, sent to `POST /v1/shelters/{shelterId}/status` (DESIGN §4). Evicted first.
    case status

    /// Kinds in the order they are sent: alerts first (issue 6, "sends alerts first").
    public static let sendOrder: [OutboxKind] = [.alert, .status]
    /// Kinds in the order they are evicted when the outbox is over its bounds: telemetry first, alerts last.
    public static let evictionOrder: [OutboxKind] = [.status, .alert]

    /// The last path segment of the kind's endpoint: "alerts" or "status".
    public var endpointSegment: String {
        switch self {
        case .alert: "alerts"
        case .status: "status"
        }
    }

    /// The registry path for a batch of this kind: `/v1/shelters/{shelterId}/alerts` or `.../status`.
    ///
    /// - Parameter shelterId: the shelter id as registered; must already be URL-path safe.
    public func registryPath(shelterId: String) -> String {
        "/v1/shelters/\(shelterId)/\(endpointSegment)"
    }
}
