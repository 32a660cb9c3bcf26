public import ShelterCore

/// One line of the simulator's control channel (a Unix socket; one command a line, one reply a line).
///
/// Commands (words separated by spaces; DEVICE and POINT are names from the site file or profile):
///
/// | command | effect |
/// | --- | --- |
/// | `set DEVICE POINT VALUE` | the point holds VALUE (a number, `true` or `false`) from now on |
/// | `get DEVICE POINT` | replies the value the point has now |
/// | `fault DEVICE timeout on\|off` | the device answers nothing (no answer) |
/// | `fault DEVICE busy on\|off\|N` | answers exception 6 (server device busy), for ever or to the next N requests |
/// | `fault DEVICE exception TABLE FIRST[-LAST] CODE` | requests overlapping the addresses of TABLE (`holding`, `input`, `coil`, `discrete`) get exception CODE |
/// | `fault DEVICE exception off` | removes every exception range |
/// | `fault DEVICE late MS\|off` | every reply is sent MS milliseconds late |
/// | `fault DEVICE slow MS\|off` | every reply takes MS milliseconds (a slow device) |
/// | `fault DEVICE junk on\|off` | replies are junk (bad CRC on RTU, foreign transaction id on TCP) |
/// | `fault DEVICE drop` | closes the connection at the next request (once) |
/// | `fault DEVICE clear` | removes every fault |
/// | `down DEVICE` / `up DEVICE` | the device is switched off (answers nothing) / on again |
/// | `restart BUS` | the bus's server stops and serves again on the same port (TCP) |
/// | `status` | one JSON object: every device with its request count and faults |
///
/// Replies: `ok`, `ok VALUE`, a JSON object (`status`), or `error: MESSAGE`.
public enum ControlCommand: Sendable, Hashable {
    case set(device: String, point: String, value: SampleValue)
    case get(device: String, point: String)
    case fault(device: String, change: FaultChange)
    case down(device: String)
    case up(device: String)
    case restart(bus: String)
    case status

    /// A change to one device's `FaultPlan`.
    public enum FaultChange: Sendable, Hashable {
        case noAnswer(Bool)
        case busy(Bool)
        case busyReplies(Int)
        case exception(FaultPlan.ExceptionRange)
        case exceptionsOff
        case late(Duration?)
        case slow(Duration?)
        case junk(Bool)
        case drop
        case clear

        /// Applies the change.
        public func apply(to plan: inout FaultPlan) {
            switch self {
            case .noAnswer(let on): plan.noAnswer = on
            case .busy(let on): plan.busy = on
            case .busyReplies(let n): plan.busyReplies = n
            case .exception(let range): plan.exceptions.append(range)
            case .exceptionsOff: plan.exceptions = []
            case .late(let d): plan.lateReply = d
            case .slow(let d): plan.slowResponse = d
            case .junk(let on): plan.junkBytes = on
            case .drop: plan.dropConnection = true
            case .clear: plan = FaultPlan()
            }
        }
    }

    /// Parses one line.
    /// - Throws: `SimulatorError` naming what is wrong and the expected form.
    public init(parsing line: String) throws(SimulatorError) {
        let w = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch (w.first ?? "", w.count) {
        case ("set", 4):
            guard let value = Self.value(w[3]) else {
                throw SimulatorError("not a value: \(w[3]) (a number, true or false)")
            }
            self = .set(device: w[1], point: w[2], value: value)
        case ("get", 3): self = .get(device: w[1], point: w[2])
        case ("down", 2): self = .down(device: w[1])
        case ("up", 2): self = .up(device: w[1])
        case ("restart", 2): self = .restart(bus: w[1])
        case ("status", 1): self = .status
        case ("fault", 3...): self = .fault(device: w[1], change: try Self.faultChange(Array(w.dropFirst(2))))
        default:
            throw SimulatorError(
                "unknown command: \(line) (set, get, fault, down, up, restart, status; see `shelter-sim serve --help`)")
        }
    }

    private static func faultChange(_ w: [String]) throws(SimulatorError) -> FaultChange {
        func onOff(_ word: String) throws(SimulatorError) -> Bool {
            switch word {
            case "on": return true
            case "off": return false
            default: throw SimulatorError("expected on or off, got \(word)")
            }
        }
        func milliseconds(_ word: String) throws(SimulatorError) -> Duration? {
            if word == "off" { return nil }
            guard let ms = Int(word), ms >= 0 else { throw SimulatorError("expected milliseconds or off, got \(word)") }
            return .milliseconds(ms)
        }
        switch (w[0], w.count) {
        case ("timeout", 2): return .noAnswer(try onOff(w[1]))
        case ("busy", 2):
            if let n = Int(w[1]), n >= 0 { return .busyReplies(n) }
            return .busy(try onOff(w[1]))
        case ("exception", 2) where w[1] == "off": return .exceptionsOff
        case ("exception", 4):
            guard let function = RegisterFunction(rawValue: w[1]) else {
                throw SimulatorError("unknown table \(w[1]) (holding, input, coil, discrete)")
            }
            let bounds = w[2].split(separator: "-").compactMap { Int($0) }
            guard (1...2).contains(bounds.count), let first = bounds.first, let last = bounds.last, first <= last,
                let code = UInt8(w[3]), code >= 1
            else { throw SimulatorError("expected: exception TABLE FIRST[-LAST] CODE, e.g. exception holding 10-11 2") }
            return .exception(.init(function: function, addresses: first...last, code: code))
        case ("late", 2): return .late(try milliseconds(w[1]))
        case ("slow", 2): return .slow(try milliseconds(w[1]))
        case ("junk", 2): return .junk(try onOff(w[1]))
        case ("drop", 1): return .drop
        case ("clear", 1): return .clear
        default: throw SimulatorError("unknown fault: \(w.joined(separator: " "))")
        }
    }

    private static func value(_ word: String) -> SampleValue? {
        switch word {
        case "true", "on": return .bool(true)
        case "false", "off": return .bool(false)
        default:
            if let u = UInt64(word) { return .uint(u) }
            if let i = Int64(word) { return .int(i) }
            return Double(word).map { .double($0) }
        }
    }
}
