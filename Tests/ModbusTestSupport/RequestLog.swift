public import Modbus
import Synchronization

/// A thread-safe record of the requests a server hook saw, and a switchable fault for the next requests.
public final class RequestLog: Sendable {
    private let state = Mutex<(requests: [ModbusRequest], faults: [ModbusServerAction])>(([], []))

    public init() {}

    /// Queues actions for the next requests, in order; requests after them get `.reply`.
    public func inject(_ actions: ModbusServerAction...) {
        state.withLock { $0.faults.append(contentsOf: actions) }
    }

    /// Every request seen so far, oldest first.
    public var requests: [ModbusRequest] { state.withLock { $0.requests } }

    /// The hook to pass to a server.
    public var hook: ModbusRequestHook {
        { request in
            self.state.withLock { state in
                state.requests.append(request)
                return state.faults.isEmpty ? .reply : state.faults.removeFirst()
            }
        }
    }
}

/// A mapping with 200 of each table, holding register `a` = `1000 + a`, input register `a` = `2000 + a`,
/// coil `a` = `a` is even, discrete input `a` = `a` is odd.
public func makeSampleMapping() throws -> ModbusMapping {
    let mapping = try ModbusMapping(
        coils: 0..<200, discreteInputs: 0..<200, holdingRegisters: 0..<200, inputRegisters: 0..<200)
    try mapping.setRegisters((0..<200).map { UInt16(1000 + $0) }, in: .holdingRegisters, startingAt: 0)
    try mapping.setRegisters((0..<200).map { UInt16(2000 + $0) }, in: .inputRegisters, startingAt: 0)
    try mapping.setBits((0..<200).map { $0 % 2 == 0 }, in: .coils, startingAt: 0)
    try mapping.setBits((0..<200).map { $0 % 2 == 1 }, in: .discreteInputs, startingAt: 0)
    return mapping
}

extension TestModbusClient {
    /// Reads `count` holding registers from `address` of `unit` (default 1): the tests' most common request.
    public func holding(_ address: UInt16, count: Int = 1, unit: UInt8 = 1) throws(ModbusError) -> [UInt16] {
        try readRegisters(unitID: unit, from: .holdingRegisters, startingAt: address, count: count)
    }
}
