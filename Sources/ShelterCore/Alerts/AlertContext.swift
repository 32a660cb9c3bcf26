public import FoundationEssentials

/// What an alert event carries besides the check result: who sends it, the lifecycle, the figures for CAP
/// parameters, and `now` (the event's `sent` time).
public struct AlertContext: Sendable, Hashable {
    /// Registry id of the shelter.
    public var shelterId: String
    /// Id of this gateway.
    public var gatewayId: String
    /// The lifecycle status (its drill flag makes every event `Exercise`).
    public var lifecycle: LifecycleStatus
    /// Persons present, `nil` when unknown.
    public var occupancy: Int?
    /// Registered capacity, persons.
    public var capacity: Int
    /// The wall-clock time of this evaluation.
    public var now: Date
    /// The gateway's primary language: the language of the top-level CAP texts of each event (`gateway.language`,
    /// issue 16 item 5). Every event carries both languages in `AlertEvent.texts`. The default is English.
    public var language: Language

    public init(
        shelterId: String, gatewayId: String, lifecycle: LifecycleStatus, occupancy: Int?, capacity: Int, now: Date,
        language: Language = .en
    ) {
        self.language = language
        self.shelterId = shelterId
        self.gatewayId = gatewayId
        self.lifecycle = lifecycle
        self.occupancy = occupancy
        self.capacity = capacity
        self.now = now
    }
}
