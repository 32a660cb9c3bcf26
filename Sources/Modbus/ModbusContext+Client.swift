internal import CModbus
internal import Glibc

extension ModbusContext {
    /// Reads `count` coils (function code 1) from the unit set with `setUnitID(_:)`.
    /// - Parameters:
    ///   - address: the first coil's address, 0...65535 (protocol address, no 00001 offset).
    ///   - count: number of coils, 1...2000.
    /// - Returns: `count` values in address order.
    /// - Throws: `ModbusError`: an exception the device answered, `.timedOut`, bad data, or a lost link.
    /// The corresponding C function is `modbus_read_bits`.
    public func readCoils(startingAt address: UInt16, count: Int) throws(ModbusError) -> [Bool] {
        try readBits(function: 1, address: address, count: count) {
            modbus_read_bits(pointer, Int32(address), Int32(count), $0)
        }
    }

    /// Reads `count` discrete inputs (function code 2); see `readCoils(startingAt:count:)`.
    /// The corresponding C function is `modbus_read_input_bits`.
    public func readDiscreteInputs(startingAt address: UInt16, count: Int) throws(ModbusError) -> [Bool] {
        try readBits(function: 2, address: address, count: count) {
            modbus_read_input_bits(pointer, Int32(address), Int32(count), $0)
        }
    }

    /// Reads `count` holding registers (function code 3) from the unit set with `setUnitID(_:)`.
    /// - Parameters:
    ///   - address: the first register's address, 0...65535 (protocol address, no 40001 offset).
    ///   - count: number of 16-bit registers, 1...125.
    /// - Returns: `count` registers in address (wire) order, each already in host byte order.
    /// - Throws: `ModbusError`: an exception the device answered, `.timedOut`, bad data, or a lost link.
    /// The corresponding C function is `modbus_read_registers`.
    public func readHoldingRegisters(startingAt address: UInt16, count: Int) throws(ModbusError) -> [UInt16] {
        try readRegisters(function: 3, address: address, count: count) {
            modbus_read_registers(pointer, Int32(address), Int32(count), $0)
        }
    }

    /// Reads `count` input registers (function code 4); see `readHoldingRegisters(startingAt:count:)`.
    /// The corresponding C function is `modbus_read_input_registers`.
    public func readInputRegisters(startingAt address: UInt16, count: Int) throws(ModbusError) -> [UInt16] {
        try readRegisters(function: 4, address: address, count: count) {
            modbus_read_input_registers(pointer, Int32(address), Int32(count), $0)
        }
    }

    /// Reads `count` registers of a register table: holding (function code 3) or input (function code 4).
    /// - Throws: `ModbusError.invalidArgument` for a bit table; otherwise as `readHoldingRegisters`.
    public func readRegisters(
        from table: ModbusTable, startingAt address: UInt16, count: Int
    ) throws(ModbusError)
        -> [UInt16]
    {
        switch table {
        case .holdingRegisters: try readHoldingRegisters(startingAt: address, count: count)
        case .inputRegisters: try readInputRegisters(startingAt: address, count: count)
        case .coils, .discreteInputs: throw .invalidArgument
        }
    }

    /// Reads `count` bits of a bit table: coils (function code 1) or discrete inputs (function code 2).
    /// - Throws: `ModbusError.invalidArgument` for a register table; otherwise as `readCoils`.
    public func readBits(
        from table: ModbusTable, startingAt address: UInt16, count: Int
    ) throws(ModbusError)
        -> [Bool]
    {
        switch table {
        case .coils: try readCoils(startingAt: address, count: count)
        case .discreteInputs: try readDiscreteInputs(startingAt: address, count: count)
        case .holdingRegisters, .inputRegisters: throw .invalidArgument
        }
    }

    /// Writes one coil (function code 5). The corresponding C function is `modbus_write_bit`.
    public func writeCoil(at address: UInt16, _ value: Bool) throws(ModbusError) {
        _ = try valueOrErrno(modbus_write_bit(pointer, Int32(address), value ? 1 : 0))
    }

    /// Writes one holding register (function code 6). The corresponding C function is `modbus_write_register`.
    public func writeRegister(at address: UInt16, _ value: UInt16) throws(ModbusError) {
        _ = try valueOrErrno(modbus_write_register(pointer, Int32(address), value))
    }

    /// Writes 1...1968 coils from `address` (function code 15). The corresponding C function is
    /// `modbus_write_bits`.
    public func writeCoils(startingAt address: UInt16, _ values: [Bool]) throws(ModbusError) {
        guard !values.isEmpty else { throw .invalidArgument }
        let bytes = values.map { UInt8($0 ? 1 : 0) }
        _ = try valueOrErrno(modbus_write_bits(pointer, Int32(address), Int32(bytes.count), bytes))
    }

    /// Writes 1...123 holding registers from `address` (function code 16), values in host byte order.
    /// The corresponding C function is `modbus_write_registers`.
    public func writeRegisters(startingAt address: UInt16, _ values: [UInt16]) throws(ModbusError) {
        guard !values.isEmpty else { throw .invalidArgument }
        _ = try valueOrErrno(modbus_write_registers(pointer, Int32(address), Int32(values.count), values))
    }

    /// Reads registers straight into `buffer` (no allocation); returns how many were read. For hot loops.
    /// The corresponding C function is `modbus_read_registers`.
    public func readHoldingRegisters(
        startingAt address: UInt16, into buffer: UnsafeMutableBufferPointer<UInt16>
    ) throws(ModbusError) -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { throw .invalidArgument }
        return Int(try valueOrErrno(modbus_read_registers(pointer, Int32(address), Int32(buffer.count), base)))
    }

    /// On TCP the checked read (`checkedTCPRead`), on RTU libmodbus's (which checks unit id, CRC, function and
    /// count itself).
    private func readRegisters(
        function: UInt8, address: UInt16, count: Int, _ call: (UnsafeMutablePointer<UInt16>) -> Int32
    ) throws(ModbusError) -> [UInt16] {
        guard (1...Int(MODBUS_MAX_READ_REGISTERS)).contains(count) else {
            throw count < 1 ? .invalidArgument : .tooManyData
        }
        if transport.isTCP {
            return try checkedTCPRead(function: function, address: address, quantity: count, Self.registers(from:))
        }
        return try Self.fill(count: count, call)
    }

    private func readBits(
        function: UInt8, address: UInt16, count: Int, _ call: (UnsafeMutablePointer<UInt8>) -> Int32
    ) throws(ModbusError) -> [Bool] {
        guard (1...Int(MODBUS_MAX_READ_BITS)).contains(count) else {
            throw count < 1 ? .invalidArgument : .tooManyData
        }
        if transport.isTCP {
            return try checkedTCPRead(function: function, address: address, quantity: count) {
                Self.bits(from: $0, count: count)
            }
        }
        return try Self.fill(count: count, call).map { $0 != 0 }
    }

    /// Calls `call` on an uninitialised buffer of `count` elements and keeps what it wrote.
    private static func fill<Element: BitwiseCopyable>(
        count: Int, _ call: (UnsafeMutablePointer<Element>) -> Int32
    ) throws(ModbusError) -> [Element] {
        var failure: ModbusError?
        let values = [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            // `buffer.baseAddress` is non-nil: count >= 1.
            let result = call(buffer.baseAddress.unsafelyUnwrapped)
            if result == -1 {
                failure = ModbusError(rawValue: errno)
                initialized = 0
            } else {
                initialized = min(Int(result), count)
            }
        }
        if let failure { throw failure }
        guard values.count == count else { throw .badData }
        return values
    }
}
