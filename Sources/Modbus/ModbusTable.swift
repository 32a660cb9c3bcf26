/// One of the four Modbus data tables (Modbus Application Protocol V1.1b3 §4.3).
public enum ModbusTable: Sendable, Hashable, CaseIterable {
    /// Read/write bits (function codes 1, 5, 15).
    case coils
    /// Read-only bits (function code 2).
    case discreteInputs
    /// Read/write 16-bit registers (function codes 3, 6, 16).
    case holdingRegisters
    /// Read-only 16-bit registers (function code 4).
    case inputRegisters

    /// Whether the table holds bits rather than registers.
    public var isBitTable: Bool { self == .coils || self == .discreteInputs }
}
