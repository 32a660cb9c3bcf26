public import FoundationEssentials

/// A bus whose connection cannot be opened: the serial port is missing or refused, or the Modbus TCP gateway
/// refuses or does not answer the connection. Every device on the bus is unreachable for the one reason, so the
/// checks report one condition for the bus (C-22, subject `bus:<name>`), not one per device (issue 11).
public struct BusFault: Sendable, Hashable, Codable {
    /// Bus name from the site configuration.
    public var bus: String
    /// The serial port's path or `host:port`.
    public var endpoint: String
    /// Why the last attempt failed, with its errno, e.g. `"no such file or directory (errno 2)"`.
    public var error: String
    /// When the first attempt of this run of failures failed (wall clock).
    public var since: Date

    /// The prefix of a bus's C-22 subject, `bus:rs485-1`, so that a bus and a device of the same name stay apart
    /// (`io` on the reference site).
    public static let subjectPrefix = "bus:"

    public init(bus: String, endpoint: String, error: String, since: Date) {
        self.bus = bus
        self.endpoint = endpoint
        self.error = error
        self.since = since
    }
}
