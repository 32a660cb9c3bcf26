public import ShelterCore

/// The faults a simulated device shows, declared rather than triggered by magic addresses (STYLE §1).
///
/// Switchable while running through the control channel (`ControlCommand`). Several faults may be on at
/// once; `action(for:)` decides in a fixed order: dropped connection, no answer, busy, exception on a range,
/// junk bytes, then a normal reply, delayed by `lateReply` plus `slowResponse`.
public struct FaultPlan: Sendable, Hashable {
    /// A Modbus exception returned for requests that touch an address range of one table.
    public struct ExceptionRange: Sendable, Hashable {
        /// The table; `nil` for every table.
        public var function: RegisterFunction?
        /// Addresses (0-based) that raise the exception when a request overlaps them.
        public var addresses: ClosedRange<Int>
        /// The exception code, 1...255 (2 = illegal data address, 4 = server device failure).
        public var code: UInt8

        public init(function: RegisterFunction?, addresses: ClosedRange<Int>, code: UInt8) {
            self.function = function
            self.addresses = addresses
            self.code = code
        }
    }

    /// The device does not answer at all (the client times out).
    public var noAnswer = false
    /// The device answers every request with exception 6, server device busy.
    public var busy = false
    /// Answer busy to this many requests, then answer normally (a device busy for a moment). 0: off.
    public var busyReplies = 0
    /// Exceptions per address range.
    public var exceptions: [ExceptionRange] = []
    /// Each reply is sent this long after the request (beyond the client's response timeout it arrives late).
    public var lateReply: Duration?
    /// Replies are garbage of the right length (bad CRC on RTU, wrong transaction id and function on TCP).
    public var junkBytes = false
    /// The device closes the connection on the next request, answering nothing; then it is off again (one-shot).
    public var dropConnection = false
    /// A slow device: every reply (and exception) takes this long, usually less than the client's response
    /// timeout, so it is answered but the bus cycle stretches.
    public var slowResponse: Duration?

    /// Creates a plan with no fault.
    public init() {}

    /// Whether no fault is on.
    public var isEmpty: Bool { self == FaultPlan() }

    /// The faults that are on, each as the control command's words that switch it on (`ControlCommand`):
    /// `timeout on`, `busy on`, `busy 3`, `exception holding 10-11 2`, `late 200`, `junk on`, `drop`, `slow 50`.
    /// Empty when no fault is on. What `status` shows, so a script can read it and a person can type it.
    public var commandWords: [String] {
        func milliseconds(_ duration: Duration) -> String {
            let (seconds, attoseconds) = duration.components
            return String(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        }
        var words: [String] = []
        if noAnswer { words.append("timeout on") }
        if busy { words.append("busy on") }
        if busyReplies > 0 { words.append("busy \(busyReplies)") }
        for range in exceptions {
            let first = range.addresses.lowerBound
            let last = range.addresses.upperBound
            let span = first == last ? "\(first)" : "\(first)-\(last)"
            words.append("exception \(range.function?.rawValue ?? "any") \(span) \(range.code)")
        }
        if let lateReply { words.append("late \(milliseconds(lateReply))") }
        if let slowResponse { words.append("slow \(milliseconds(slowResponse))") }
        if junkBytes { words.append("junk on") }
        if dropConnection { words.append("drop") }
        return words
    }

    /// What the device does with one request.
    public enum Action: Sendable, Hashable {
        /// Reply normally after `delay` (zero when none).
        case reply(delay: Duration)
        /// Send nothing.
        case ignore
        /// Reply with this exception code after `delay`.
        case exception(UInt8, delay: Duration)
        /// Send junk bytes of a plausible reply length after `delay`.
        case junk(delay: Duration)
        /// Close the connection without a reply.
        case drop
    }

    /// Decides what to do with a read request; counts down `busyReplies`.
    /// - Parameters:
    ///   - function: the table the request reads; `nil` for a function the simulator does not map.
    ///   - addresses: the addresses it reads (0-based, `start ..< start + count`).
    public mutating func action(for function: RegisterFunction?, addresses: Range<Int>) -> Action {
        let delay = (lateReply ?? .zero) + (slowResponse ?? .zero)
        if dropConnection {
            dropConnection = false
            return .drop
        }
        if noAnswer { return .ignore }
        if busy { return .exception(6, delay: delay) }
        if busyReplies > 0 {
            busyReplies -= 1
            return .exception(6, delay: delay)
        }
        if let hit = exceptions.first(where: { range in
            (range.function == nil || range.function == function) && !addresses.isEmpty
                && range.addresses.overlaps(addresses.lowerBound...(addresses.upperBound - 1))
        }) {
            return .exception(hit.code, delay: delay)
        }
        if junkBytes { return .junk(delay: delay) }
        return .reply(delay: delay)
    }
}
