import Modbus
import ShelterCore

/// The outcome of one read request on the wire, classified for recovery (DESIGN §3).
enum ReadOutcome: Sendable, Equatable {
    /// Registers in address order, host byte order.
    case registers([UInt16])
    /// Bits in address order.
    case bits([Bool])
    /// The device answered with a Modbus exception (1...255), named in `detail` as
    /// `"illegal data address (exception 2)"`; the link is fine.
    case exception(UInt8, detail: String)
    /// No usable answer.
    case failed(RequestFailureKind, detail: String)
}

/// The calls a bus worker makes on one connection. Implemented over `ModbusContext`; not thread-safe, owned by
/// one bus worker thread. Every call may block up to its timeouts.
protocol ModbusLink: AnyObject {
    /// Opens the connection (TCP connect or serial port open). Returns a description of the failure, or nil.
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

/// `ModbusLink` over a libmodbus context. Error recovery stays `NONE`; the bus worker owns the policy.
final class ModbusContextLink: ModbusLink {
    private let transport: Bus.Transport
    private var context: ModbusContext?

    init(transport: Bus.Transport) {
        self.transport = transport
    }

    func connect() -> String? {
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
            return error.description
        }
    }

    private func makeContext() throws(ModbusError) -> ModbusContext {
        switch transport {
        case .tcp(let host, let port):
            return try .tcp(host: host, port: port)
        case .serial(let line):
            return try .rtu(
                device: line.device, baud: line.baudRate, parity: ModbusContext.Parity(line.parity),
                dataBits: line.dataBits, stopBits: line.stopBits)
        case .rtuOverTCP:
            // libmodbus 3.1.6 has no RTU-over-TCP backend.
            throw .invalidArgument
        }
    }

    func close() { context?.close() }

    func flush() { _ = try? context?.flush() }

    func setTimeouts(response: Duration, byte: Duration) {
        try? context?.setResponseTimeout(response)
        try? context?.setByteTimeout(byte)
    }

    func read(_ function: RegisterFunction, unitID: UInt8, start: Int, count: Int) -> ReadOutcome {
        guard let context, let address = UInt16(exactly: start) else {
            return .failed(.linkLost, detail: "not connected")
        }
        do throws(ModbusError) {
            try context.setUnitID(unitID)
            switch function {
            case .holdingRegister: return .registers(try context.readHoldingRegisters(startingAt: address, count: count))
            case .inputRegister: return .registers(try context.readInputRegisters(startingAt: address, count: count))
            case .coil: return .bits(try context.readCoils(startingAt: address, count: count))
            case .discreteInput: return .bits(try context.readDiscreteInputs(startingAt: address, count: count))
            }
        } catch {
            switch error.kind {
            case .exception: return .exception(error.exceptionCode ?? 0, detail: error.description)
            case .timeout: return .failed(.timeout, detail: error.description)
            case .badData: return .failed(.badData, detail: error.description)
            case .linkLost, .other: return .failed(.linkLost, detail: error.description)
            }
        }
    }
}

extension ModbusContext.Parity {
    init(_ parity: SerialLine.Parity) {
        switch parity {
        case .none: self = .none
        case .even: self = .even
        case .odd: self = .odd
        }
    }
}
