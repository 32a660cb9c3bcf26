/// Why a point has no sample: an error is never turned into a number (DESIGN §7).
///
/// A struct over a plain `Kind` (usable as a log key or metric label) plus free-text detail, so new reasons
/// can be added without breaking callers.
public struct NoSampleReason: Sendable, Hashable, CustomStringConvertible {
    /// The class of reason, stable for logs, metrics and the registry protocol (`rawValue`).
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        /// The device did not answer within the response timeout.
        case timeout
        /// The device answered with a Modbus exception (see `exceptionCode`).
        case exception
        /// The device answered "server device busy" (exception 6) after every retry.
        case busy
        /// The reply was malformed: bad CRC, wrong length, wrong transaction id or function.
        case badData = "bad_data"
        /// The link to the device (TCP connection or serial port) is down.
        case linkLost = "link_lost"
        /// A floating-point value was NaN.
        case notANumber = "nan"
        /// A floating-point value was +Inf or −Inf.
        case infinite
        /// The raw value equals one of the vendor's declared "no data" codes.
        case sentinel
        /// The value lies outside the point's declared plausible range.
        case outOfRange = "out_of_range"
        /// The device is in back-off after repeated failures and was not asked this cycle.
        case deviceSkipped = "device_skipped"
        /// The point sits on a known hole (an address the device refuses) and is not read.
        case hole
        /// The point has not been read yet.
        case notYetRead = "not_yet_read"
        /// The data is older than the freshness limit.
        case stale
        /// A derived quantity cannot be computed from the inputs it needs.
        case missingInput = "missing_input"
    }

    /// The class of reason.
    public var kind: Kind
    /// The Modbus exception code (1...255) when `kind` is `.exception` or `.busy`; otherwise `nil`.
    public var exceptionCode: UInt8?
    /// Human-readable detail, e.g. `"illegal data address (exception 2)"` or `"raw 0x8000 is a sentinel"`.
    public var detail: String

    /// Creates a reason.
    public init(_ kind: Kind, exceptionCode: UInt8? = nil, detail: String = "") {
        self.kind = kind
        self.exceptionCode = exceptionCode
        self.detail = detail
    }

    public var description: String { detail.isEmpty ? kind.rawValue : "\(kind.rawValue): \(detail)" }
}

/// The outcome of reading one point: a value, or no sample with the reason.
public enum Reading: Sendable, Hashable {
    /// A decoded value.
    case value(SampleValue)
    /// No sample; the reason says why.
    case noSample(NoSampleReason)

    /// The value, or `nil` when there is no sample.
    public var value: SampleValue? {
        if case .value(let v) = self { v } else { nil }
    }

    /// The reason, or `nil` when there is a value.
    public var reason: NoSampleReason? {
        if case .noSample(let r) = self { r } else { nil }
    }
}
