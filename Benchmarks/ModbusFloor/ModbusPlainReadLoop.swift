internal import CModbus
internal import Glibc
public import Modbus

/// The plain libmodbus loop (the C floor) the `bench-modbus` and `bench-poll` benchmarks measure `Modbus` and the
/// agent's polling path against: one `modbus_t`, one
/// `modbus_set_slave`, then `modbus_read_registers` into a reused buffer, as a C program would. Not for production.
///
/// Not thread-safe; owned by the benchmark thread.
public final class ModbusPlainReadLoop {
    private let pointer: OpaquePointer
    private var buffer = [UInt16](repeating: 0, count: Int(MODBUS_MAX_READ_REGISTERS))

    /// Connects to a Modbus TCP server and addresses `unitID`.
    public init(host: String, port: Int, unitID: UInt8) throws(ModbusError) {
        guard let pointer = modbus_new_tcp_pi(host, String(port)) else { throw ModbusError(rawValue: errno) }
        self.pointer = pointer
        _ = try check(modbus_set_slave(pointer, Int32(unitID)))
        _ = try check(modbus_connect(pointer))
    }

    deinit {
        modbus_close(pointer)
        modbus_free(pointer)
    }

    /// Reads `count` holding registers (1...125) from `address`, `reads` times. Returns the sum of the first
    /// register of every reply, so the work cannot be optimised away.
    public func readHoldingRegisters(startingAt address: UInt16, count: Int, reads: Int) throws(ModbusError) -> Int {
        var sum = 0
        for _ in 0..<reads {
            let first = try buffer.withUnsafeMutableBufferPointer { buffer throws(ModbusError) in
                _ = try check(modbus_read_registers(pointer, Int32(address), Int32(count), buffer.baseAddress))
                return Int(buffer[0])
            }
            sum &+= first
        }
        return sum
    }
}

/// libmodbus's `-1` as the `errno` it set.
private func check(_ result: Int32) throws(ModbusError) -> Int32 {
    if result == -1 { throw ModbusError(rawValue: errno) }
    return result
}
