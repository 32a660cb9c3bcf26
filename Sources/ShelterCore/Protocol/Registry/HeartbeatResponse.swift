public import FoundationEssentials

/// The registry's answer to a heartbeat: the shelter's lifecycle as the registry holds it (the registry owns
/// it, DESIGN §6), the current record version (fetch the record when it differs from the cached one) and the
/// server's clock (warn on skew).
public struct HeartbeatResponse: Sendable, Hashable, Codable {
    /// Registry id of the shelter the gateway serves.
    public var shelterId: String
    /// Lifecycle state set by the operator (county government's decision, Sanmenxia measures art. 22).
    public var lifecycle: LifecycleState
    /// A drill is running: report everything as an exercise.
    public var isDrill: Bool
    /// Version of the registered record the registry holds, ≥ 1.
    public var recordVersion: Int
    /// The registry's clock when it answered.
    public var serverTime: Date

    /// Creates an answer.
    public init(shelterId: String, lifecycle: LifecycleState, isDrill: Bool, recordVersion: Int, serverTime: Date) {
        self.shelterId = shelterId
        self.lifecycle = lifecycle
        self.isDrill = isDrill
        self.recordVersion = recordVersion
        self.serverTime = serverTime
    }
}
