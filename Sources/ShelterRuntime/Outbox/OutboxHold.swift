public import FoundationEssentials

/// The configuration fault holding the outbox (`UplinkFault`), as the store keeps it: nothing is sent and
/// nothing dead-lettered until it is fixed (issue 11 item 2).
public struct OutboxHold: Sendable, Hashable {
    /// The fault's sentence: what the registry said and which setting to check.
    public var message: String
    /// When the outbox was first held for it.
    public var since: Date
    /// The HTTP status the registry answered with.
    public var statusCode: Int

    /// Creates a hold.
    public init(message: String, since: Date, statusCode: Int) {
        self.message = message
        self.since = since
        self.statusCode = statusCode
    }
}
