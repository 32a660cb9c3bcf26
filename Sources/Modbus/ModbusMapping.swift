internal import CModbus
internal import Glibc
internal import Synchronization

/// The four data tables a Modbus server serves (`modbus_mapping_t`), each a contiguous address range.
///
/// Thread-safe (`Sendable`): a lock guards the C tables, so a simulator can change values while server threads
/// reply from them. Frees the C mapping in `deinit`.
public final class ModbusMapping: Sendable {
    /// The four data tables; see `ModbusTable`.
    public typealias Table = ModbusTable

    private let mapping: Mutex<MappingPointer>
    /// The served address range of each table.
    public let ranges: [Table: Range<Int>]

    /// Creates a mapping, all values zero.
    /// - Parameters: each table's served addresses, e.g. `0..<200`; an empty range serves nothing (every request
    ///   to it gets exception 2, illegal data address). Bounds in 0...65536.
    /// - Throws: `ModbusError.invalidArgument` for a range outside the address space; `ENOMEM`.
    /// The corresponding C function is `modbus_mapping_new_start_address`.
    public init(
        coils: Range<Int> = 0..<0, discreteInputs: Range<Int> = 0..<0,
        holdingRegisters: Range<Int> = 0..<0, inputRegisters: Range<Int> = 0..<0
    ) throws(ModbusError) {
        let all = [coils, discreteInputs, holdingRegisters, inputRegisters]
        guard all.allSatisfy({ $0.lowerBound >= 0 && $0.upperBound <= 65536 }) else { throw .invalidArgument }
        guard
            let pointer = modbus_mapping_new_start_address(
                UInt32(coils.lowerBound), UInt32(coils.count),
                UInt32(discreteInputs.lowerBound), UInt32(discreteInputs.count),
                UInt32(holdingRegisters.lowerBound), UInt32(holdingRegisters.count),
                UInt32(inputRegisters.lowerBound), UInt32(inputRegisters.count))
        else { throw ModbusError(rawValue: errno) }
        mapping = Mutex(MappingPointer(pointer: pointer))
        ranges = [
            .coils: coils, .discreteInputs: discreteInputs, .holdingRegisters: holdingRegisters,
            .inputRegisters: inputRegisters,
        ]
    }

    deinit {
        mapping.withLock { modbus_mapping_free($0.pointer) }
    }

    /// Sets registers of a register table from `address` on.
    /// - Throws: `ModbusError.illegalDataAddress` if any address lies outside the table's range (nothing is set);
    ///   `.invalidArgument` for a bit table.
    public func setRegisters(
        _ values: some Collection<UInt16>, in table: Table, startingAt address: Int
    )
        throws(ModbusError)
    {
        let offset = try self.offset(of: address, count: values.count, in: table, bits: false)
        mapping.withLock { box in
            guard let base = box.registers(table) else { return }
            for (index, value) in values.enumerated() { base[offset + index] = value }
        }
    }

    /// Registers of a register table, or `nil` if the range lies outside the table.
    public func registers(in table: Table, startingAt address: Int, count: Int) -> [UInt16]? {
        guard let offset = try? self.offset(of: address, count: count, in: table, bits: false) else { return nil }
        return mapping.withLock { box in
            guard let base = box.registers(table) else { return nil }
            return (0..<count).map { base[offset + $0] }
        }
    }

    /// Sets bits of a bit table (coils or discrete inputs) from `address` on.
    /// - Throws: `ModbusError.illegalDataAddress` if any address lies outside the table's range (nothing is set);
    ///   `.invalidArgument` for a register table.
    public func setBits(
        _ values: some Collection<Bool>, in table: Table, startingAt address: Int
    )
        throws(ModbusError)
    {
        let offset = try self.offset(of: address, count: values.count, in: table, bits: true)
        mapping.withLock { box in
            guard let base = box.bits(table) else { return }
            for (index, value) in values.enumerated() { base[offset + index] = value ? 1 : 0 }
        }
    }

    /// Bits of a bit table, or `nil` if the range lies outside the table.
    public func bits(in table: Table, startingAt address: Int, count: Int) -> [Bool]? {
        guard let offset = try? self.offset(of: address, count: count, in: table, bits: true) else { return nil }
        return mapping.withLock { box in
            guard let base = box.bits(table) else { return nil }
            return (0..<count).map { base[offset + $0] != 0 }
        }
    }

    /// Runs `body` with the C mapping while holding the lock (for `modbus_reply`).
    func withPointer<Result>(_ body: (UnsafeMutablePointer<modbus_mapping_t>) -> Result) -> Result {
        mapping.withLock { body($0.pointer) }
    }

    private func offset(of address: Int, count: Int, in table: Table, bits: Bool) throws(ModbusError) -> Int {
        guard table.isBitTable == bits else { throw .invalidArgument }
        let range = ranges[table] ?? 0..<0
        guard count >= 0, address >= range.lowerBound, address + count <= range.upperBound else {
            throw .illegalDataAddress
        }
        return address - range.lowerBound
    }
}

/// The C mapping, owned by `ModbusMapping` and only touched under its lock.
private struct MappingPointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<modbus_mapping_t>

    func registers(_ table: Table) -> UnsafeMutablePointer<UInt16>? {
        switch table {
        case .holdingRegisters: pointer.pointee.tab_registers
        case .inputRegisters: pointer.pointee.tab_input_registers
        default: nil
        }
    }

    func bits(_ table: Table) -> UnsafeMutablePointer<UInt8>? {
        switch table {
        case .coils: pointer.pointee.tab_bits
        case .discreteInputs: pointer.pointee.tab_input_bits
        default: nil
        }
    }

    typealias Table = ModbusMapping.Table
}
