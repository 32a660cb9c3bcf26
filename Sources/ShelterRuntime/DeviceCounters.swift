public import FoundationEssentials
public import ShelterCore

/// Per-device request counters, as a bus worker keeps them (issue 4; shown by `status`).
public struct DeviceCounters: Sendable, Hashable {
    /// Device name.
    public var device: String
    /// Bus name.
    public var bus: String
    /// Modbus unit id.
    public var unitID: UInt8
    /// Link state as the device's health machine sees it.
    public var linkState: LinkState = .unknown
    /// Requests sent (busy retries count as requests).
    public var requests = 0
    /// Requests answered with data.
    public var successes = 0
    /// Failed requests by kind: `timeout`, `exception`, `busy`, `bad_data`, `link_lost`.
    public var failures: [NoSampleReason.Kind: Int] = [:]
    /// When a request last returned data (wall clock).
    public var lastSuccessAt: Date?
    /// The last failure, e.g. `"timeout"` or `"exception: illegal data address (exception 2)"`.
    public var lastError: String?
    /// Round-trip time of the last answered request.
    public var lastRoundTrip: Duration?
    /// Exponentially weighted mean round-trip time (weight 1/8 for the newest, as TCP's SRTT).
    public var meanRoundTrip: Duration?
    /// Points found to be holes (addresses the device refuses), not read any more.
    public var holes: [String] = []
    /// Polls skipped because the device was in back-off.
    public var skippedPolls = 0

    public init(device: String, bus: String, unitID: UInt8) {
        self.device = device
        self.bus = bus
        self.unitID = unitID
    }

    mutating func recordRoundTrip(_ rtt: Duration) {
        lastRoundTrip = rtt
        meanRoundTrip = meanRoundTrip.map { $0 * 7 / 8 + rtt / 8 } ?? rtt
    }
}
