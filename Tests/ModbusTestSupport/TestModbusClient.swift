import Glibc
public import Modbus

/// Test fixture: a `ModbusContext` that reconnects (TCP) or flushes (RTU) after a failure, so a wrapper test can
/// go on after provoking one. The agent's own recovery policy is the core's `ReconnectStateMachine`, executed by
/// the runtime's bus worker; this class is not product code.
///
/// - A Modbus exception leaves the link alone (the device answered).
/// - A timeout or bad data: on TCP the connection is closed and reopened before the next request (otherwise a
///   late reply answers the next request and every later read fails with "invalid data"); on RTU the client
///   waits one response timeout, then flushes what arrived.
/// - A lost link: closed and reopened before the next request. Back-off between attempts is the caller's
///   policy (a bus worker skips a dead device for a while).
///
/// Not thread-safe and not `Sendable`: owned by one bus worker thread; every call blocks it.
public final class TestModbusClient {
    /// The underlying context; its settings (timeouts, serial mode) may be changed directly.
    public let context: ModbusContext
    /// Whether the next request reopens the connection first.
    public private(set) var needsReconnect = true
    /// How many times the client has (re)connected, for logs and tests.
    public private(set) var connectCount = 0

    /// Wraps a context, which need not be connected yet: the first request connects it.
    public init(context: ModbusContext) {
        self.context = context
        needsReconnect = !context.isConnected
    }

    /// Connects now if needed, so a connection failure shows up before the first request.
    /// - Throws: `ModbusError` of kind `.linkLost` or `.timeout`.
    public func connectIfNeeded() throws(ModbusError) {
        guard needsReconnect else { return }
        context.close()
        try context.connect()
        connectCount += 1
        needsReconnect = false
    }

    /// Runs one request against `unitID` with the recovery policy: connects first if needed, sets the unit id,
    /// and after a failure prepares the link for the next request before rethrowing.
    /// - Throws: the request's `ModbusError`, or the connection failure.
    public func perform<Result>(
        unitID: UInt8, _ request: (ModbusContext) throws(ModbusError) -> Result
    ) throws(ModbusError) -> Result {
        try connectIfNeeded()
        do {
            try context.setUnitID(unitID)
            return try request(context)
        } catch {
            recover(after: error)
            throw error
        }
    }

    /// Applies the recovery for `error` (DESIGN §3). Called by `perform`; public for callers that drive the
    /// context themselves.
    public func recover(after error: ModbusError) {
        switch error.kind {
        case .exception, .other:
            return
        case .timeout, .badData:
            if context.transport.isTCP {
                closeForReconnect()
            } else {
                let (seconds, attoseconds) = context.responseTimeout.components
                usleep(UInt32(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
                _ = try? context.flush()
            }
        case .linkLost:
            closeForReconnect()
        }
    }

    private func closeForReconnect() {
        context.close()
        needsReconnect = true
    }

    /// Reads `count` registers of a register table from `unitID` (function code 3 or 4); see
    /// `ModbusContext.readRegisters(from:startingAt:count:)`.
    public func readRegisters(
        unitID: UInt8, from table: ModbusTable, startingAt address: UInt16, count: Int
    )
        throws(ModbusError) -> [UInt16]
    {
        try perform(unitID: unitID) { context throws(ModbusError) in
            try context.readRegisters(from: table, startingAt: address, count: count)
        }
    }

    /// Reads `count` bits of a bit table from `unitID` (function code 1 or 2); see
    /// `ModbusContext.readBits(from:startingAt:count:)`.
    public func readBits(
        unitID: UInt8, from table: ModbusTable, startingAt address: UInt16, count: Int
    )
        throws(ModbusError) -> [Bool]
    {
        try perform(unitID: unitID) { context throws(ModbusError) in
            try context.readBits(from: table, startingAt: address, count: count)
        }
    }
}
