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
