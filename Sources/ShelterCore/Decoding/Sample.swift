public import FoundationEssentials

/// One point's reading at one instant: what a bus worker produces and `SiteState` keeps (DESIGN §1).
public struct Sample: Sendable, Hashable {
    /// Device name from the site configuration.
    public var device: String
    /// Point name from the device's profile.
    public var point: String
    /// The value, or no sample with the reason (DESIGN §7: an error is never a number).
    public var reading: Reading
    /// When the reply was received (wall clock); for no sample, when the request ended.
    public var observedAt: Date

    public init(device: String, point: String, reading: Reading, observedAt: Date) {
        self.device = device
        self.point = point
        self.reading = reading
        self.observedAt = observedAt
    }
}
