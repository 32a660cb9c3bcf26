import Modbus
public import ShelterCore

/// The calls a bus worker (or `read` and `scan`) makes on one connection: the adapter between the core's
/// policy and the Modbus wrapper. Not thread-safe, owned by one thread. Every call may block up to its timeouts.
public protocol ModbusLink: AnyObject {
    /// Opens the connection (TCP connect or serial port open). Returns a description of the failure with its
    /// errno, e.g. `"invalid argument (errno 22)"`, or nil.
    func connect() -> String?
    /// Closes the connection; idempotent.
    func close()
    /// Discards bytes pending on the line.
    func flush()
    /// Sets the response and byte timeouts for the next requests.
    func setTimeouts(response: Duration, byte: Duration)
    /// Reads `count` registers or bits of `function` from `start` at `unitID`.
    func read(_ function: RegisterFunction, unitID: UInt8, start: Int, count: Int) -> ReadOutcome
}

/// `ModbusLink` over a libmodbus context (the configuration's parity letters N, E, O are libmodbus's). Error recovery stays `NONE`: the policy is the core's
/// (`ReconnectStateMachine`, `DevicePoller`). This is the one place a `ModbusError` is classified.
public final class ModbusContextLink: ModbusLink {
    private let transport: Bus.Transport
    private var context: ModbusContext?
    /// The timeouts last set on `context` (it is made once and kept), so that they are set only when they change:
    /// a bus worker sets them before every poll, and converting each `Duration` for libmodbus
    /// (`Duration.components`, a 128-bit multiply) and the two calls cost the bus thread 3 % (callgrind,
    /// `bench-poll path` at 10 registers: 16 636 instructions per request before, 16 092 after).
    private var timeoutsSet: (response: Duration, byte: Duration)?

    /// A link to `transport`; nothing is opened until `connect()`.
    public init(transport: Bus.Transport) {
        self.transport = transport
    }

    public func connect() -> String? {
        if case .rtuOverTCP = transport { return "RTU over TCP is not supported by libmodbus 3.1.6" }
        do throws(ModbusError) {
            let context: ModbusContext
            if let existing = self.context {
                context = existing
            } else {
                context = try makeContext()
                self.context = context
            }
            try context.connect()
            return nil
        } catch {
            return "\(error.description) (errno \(error.rawValue))"
        }
    }

    private func makeContext() throws(ModbusError) -> ModbusContext {
        switch transport {
        case .tcp(let host, let port):
            return try .tcp(host: host, port: port)
        case .serial(let line):
            return try .rtu(
                device: line.device, baud: line.baudRate,
                parity: ModbusContext.Parity(rawValue: Character(line.parity.rawValue)) ?? .none,
                dataBits: line.dataBits, stopBits: line.stopBits)
        case .rtuOverTCP:
            throw .invalidArgument  // refused in connect(): libmodbus 3.1.6 has no RTU-over-TCP backend
        }
    }

    public func close() { context?.close() }

    public func flush() { _ = try? context?.flush() }

    public func setTimeouts(response: Duration, byte: Duration) {
        guard let context else { return }
        if let set = timeoutsSet, set.response == response, set.byte == byte { return }
        let responseSet = (try? context.setResponseTimeout(response)) != nil
        let byteSet = (try? context.setByteTimeout(byte)) != nil
        timeoutsSet = responseSet && byteSet ? (response, byte) : nil
    }

    public func read(_ function: RegisterFunction, unitID: UInt8, start: Int, count: Int) -> ReadOutcome {
        guard let context, context.isConnected, let address = UInt16(exactly: start) else {
            return .failed(.linkLost, detail: "not connected")
        }
        do throws(ModbusError) {
            try context.setUnitID(unitID)
            switch function {
            case .holdingRegister:
                return .registers(try context.readHoldingRegisters(startingAt: address, count: count))
            case .inputRegister: return .registers(try context.readInputRegisters(startingAt: address, count: count))
            case .coil: return .bits(try context.readCoils(startingAt: address, count: count))
            case .discreteInput: return .bits(try context.readDiscreteInputs(startingAt: address, count: count))
            }
        } catch {
            return Self.outcome(of: error)
        }
    }

    /// The classification of a failed request (DESIGN §3): an exception is an answer; a timeout, a reply that
    /// is not the answer, or a lost link is not.
    static func outcome(of error: ModbusError) -> ReadOutcome {
        switch error.kind {
        case .exception: return .exception(error.exceptionCode, detail: error.description)
        case .timeout: return .failed(.timeout, detail: error.description)
        case .badData: return .failed(.badData, detail: error.description, fault: ReplyFault(error))
        case .linkLost, .other: return .failed(.linkLost, detail: error.description)
        }
    }
}

extension ReplyFault {
    /// The check a reply failed, from the wrapper's error.
    init(_ error: ModbusError) {
        self =
            switch error {
            case .wrongTransactionID: .wrongTransactionID
            case .wrongProtocolID: .wrongProtocolID
            case .wrongUnitID: .wrongUnitID
            case .wrongFunction: .wrongFunction
            case .wrongLength: .wrongLength
            case .trailingBytes: .trailingBytes
            case .badCRC: .badCRC
            default: .malformed
            }
    }
}
