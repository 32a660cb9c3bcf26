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
    /// Exception replies by exception code (busy, code 6, included); `nil`: a code the library does not name.
    public var exceptionCodes: [UInt8?: Int] = [:]
    /// Replies that were not the answer to the request, by the check they failed (counted within `bad_data`).
    public var replyFaults: [ReplyFault: Int] = [:]
    /// When a request last returned data (wall clock).
    public var lastSuccessAt: Date?
    /// The last failure, e.g. `"timeout"` or `"exception: illegal data address (exception 2)"`.
    public var lastError: String?
    /// Round-trip time of the last answered request.
    public var lastRoundTrip: Duration?
    /// Exponentially weighted mean round-trip time (weight 1/8 for the newest, as TCP's SRTT).
    public var meanRoundTrip: Duration? { meanRoundTripNanoseconds.map { .nanoseconds($0) } }
    /// The mean in whole nanoseconds: `Duration`'s `*` and `/` by an integer go through a generic 128-bit
    /// conversion (callgrind: 4 % of the bus thread at 10 registers per request).
    private var meanRoundTripNanoseconds: Int64?
    /// Points currently treated as holes (addresses the device refuses), re-probed on a back-off.
    public var holes: [String] = []
    /// Polls skipped because the device was in back-off.
    public var skippedPolls = 0
    /// How long the device's last poll held the bus (every request of it, retries and waits included).
    public var lastPollDuration: Duration?
    /// The bus time all of the device's polls took, summed (for utilisation over any window).
    public var busTime: Duration = .zero

    public init(device: String, bus: String, unitID: UInt8) {
        self.device = device
        self.bus = bus
        self.unitID = unitID
    }

    /// Counts one request's outcome, which took `roundTrip`.
    mutating func record(_ outcome: ReadOutcome, roundTrip: Duration) {
        requests += 1
        switch outcome {
        case .registers, .bits:
            successes += 1
            lastSuccessAt = Date()
            recordRoundTrip(roundTrip)
        case .exception(let code, let detail):
            failures[outcome.isBusy ? .busy : .exception, default: 0] += 1
            exceptionCodes[code, default: 0] += 1
            lastError = "exception: \(detail)"
            recordRoundTrip(roundTrip)
        case .failed(let kind, let detail, let fault):
            failures[kind.noSampleKind, default: 0] += 1
            if let fault { replyFaults[fault, default: 0] += 1 }
            lastError = "\(kind.rawValue): \(detail)"
        }
    }

    /// Counts one finished poll that held the bus for `duration`, ending in `linkState`.
    mutating func recordPoll(linkState: LinkState, duration: Duration) {
        self.linkState = linkState
        lastPollDuration = duration
        busTime += duration
    }

    mutating func recordRoundTrip(_ rtt: Duration) {
        lastRoundTrip = rtt
        let (seconds, attoseconds) = rtt.components
        let nanoseconds = seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
        meanRoundTripNanoseconds = meanRoundTripNanoseconds.map { ($0 &* 7 &+ nanoseconds) / 8 } ?? nanoseconds
    }
}
