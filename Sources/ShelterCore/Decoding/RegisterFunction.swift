/// The four Modbus data tables a point can live in, named as the Modbus application protocol names them.
///
/// The raw value is the config-file spelling (`holding`, `input`, `coil`, `discrete`).
/// Source: Modbus Application Protocol Specification V1.1b3, §4.3 (data model) and §6.1–6.4 (read functions).
public enum RegisterFunction: String, Sendable, Hashable, CaseIterable, Codable {
    /// Coils: single read/write bits, read with function code 1.
    case coil
    /// Discrete inputs: single read-only bits, read with function code 2.
    case discreteInput = "discrete"
    /// Holding registers: 16-bit read/write words, read with function code 3.
    case holdingRegister = "holding"
    /// Input registers: 16-bit read-only words, read with function code 4.
    case inputRegister = "input"

    /// The Modbus function code that reads this table: 1, 2, 3 or 4.
    public var readFunctionCode: UInt8 {
        switch self {
        case .coil: 1
        case .discreteInput: 2
        case .holdingRegister: 3
        case .inputRegister: 4
        }
    }

    /// Whether the table holds single bits (coils, discrete inputs) rather than 16-bit registers.
    public var isBitTable: Bool { self == .coil || self == .discreteInput }

    /// The largest quantity one read request may ask for: 2000 bits or 125 registers
    /// (Modbus Application Protocol V1.1b3 §6.1–6.4).
    public var maximumQuantityPerRead: Int { isBitTable ? 2000 : 125 }
}
