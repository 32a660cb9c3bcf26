public import FoundationEssentials

/// The registry's answer to a batch (`POST …/status` or `POST …/alerts`, 200): how many payloads were new and
/// which ids it already had. Delivery is at least once, so a duplicate is success, not an error.
public struct BatchResult: Sendable, Hashable, Codable {
    /// Payloads stored now, ≥ 0.
    public var accepted: Int
    /// `reportId`s or `eventId`s the registry already held (de-duplicated, not stored again).
    public var duplicates: [String]
    /// When the registry stored the batch.
    public var receivedAt: Date

    /// Creates an answer.
    public init(accepted: Int, duplicates: [String], receivedAt: Date) {
        self.accepted = accepted
        self.duplicates = duplicates
        self.receivedAt = receivedAt
    }
}

/// Body of `PUT /v1/admin/shelters/{shelterId}/lifecycle`: the operator's decision.
public struct LifecycleChange: Sendable, Hashable, Codable {
    /// The new state.
    public var state: LifecycleState
    /// Whether a drill is running; `nil` keeps the current setting.
    public var isDrill: Bool?

    /// Creates a change.
    public init(state: LifecycleState, isDrill: Bool? = nil) {
        self.state = state
        self.isDrill = isDrill
    }
}
