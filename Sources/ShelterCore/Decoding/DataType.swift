/// How the registers (or bits) of one point encode its value.
///
/// Chosen once, at configuration validation, so the poll loop never re-parses type names
/// (Telegraf modbus's `determineConverter`).
public enum DataType: Sendable, Hashable {
    /// Signed 16-bit integer, one register.
    case int16
    /// Unsigned 16-bit integer, one register.
    case uint16
    /// Signed 32-bit integer, two registers.
    case int32
    /// Unsigned 32-bit integer, two registers.
    case uint32
    /// Signed 64-bit integer, four registers; exact when unscaled.
    case int64
    /// Unsigned 64-bit integer, four registers; exact when unscaled.
    case uint64
    /// IEEE 754 half precision, one register.
    case float16
    /// IEEE 754 single precision, two registers.
    case float32
    /// IEEE 754 double precision, four registers.
    case float64
    /// Bit `n` (0 = least significant, 0...15) of one register, as a boolean.
    case bit(Int)
    /// Text of `registers` registers, cut at the first NUL: two characters a register (`.packed`, byte
    /// order `AB` or `BA`) or one in the low or high byte (`layout`, byte order `AB`).
    case string(registers: Int, layout: StringLayout = .packed)
    /// A coil or discrete input, as a boolean (bit tables only).
    case boolean

    /// How many 16-bit registers the value occupies; 1 for `.boolean`, which occupies one bit.
    public var registerCount: Int {
        switch self {
        case .int16, .uint16, .float16, .bit: 1
        case .int32, .uint32, .float32: 2
        case .int64, .uint64, .float64: 4
        case .string(let registers, _): registers
        case .boolean: 1
        }
    }

    /// The byte order used when a point names none: big-endian for its width.
    public var defaultByteOrder: ByteOrder {
        switch self {
        case .string, .bit, .boolean: .ab
        default: ByteOrder.bigEndian(registerCount: registerCount) ?? .ab
        }
    }

    /// Whether `order` is a valid byte order for this type (its width must match; strings take AB or BA).
    public func accepts(_ order: ByteOrder) -> Bool {
        switch self {
        case .string(_, let layout): layout == .packed ? order.registerCount == 1 : order == .ab
        case .bit: order.registerCount == 1
        case .boolean: order == .ab
        default: order.registerCount == registerCount
        }
    }

    /// The config-file spelling: `INT16`, `UINT32`, `FLOAT32`, `BIT3`, `STRING8`, `BOOL`, …
    public var name: String {
        switch self {
        case .int16: "INT16"
        case .uint16: "UINT16"
        case .int32: "INT32"
        case .uint32: "UINT32"
        case .int64: "INT64"
        case .uint64: "UINT64"
        case .float16: "FLOAT16"
        case .float32: "FLOAT32"
        case .float64: "FLOAT64"
        case .bit(let n): "BIT\(n)"
        case .string(let registers, _): "STRING\(registers)"
        case .boolean: "BOOL"
        }
    }

    /// Parses a config-file spelling (case-insensitive): `INT16` … `FLOAT64`, `BITn` (n in 0...15),
    /// `STRINGn` (n in 1...125 registers), `BOOL`. Returns `nil` for anything else.
    public init?(name: String) {
        let upper = name.uppercased()
        switch upper {
        case "INT16": self = .int16
        case "UINT16": self = .uint16
        case "INT32": self = .int32
        case "UINT32": self = .uint32
        case "INT64": self = .int64
        case "UINT64": self = .uint64
        case "FLOAT16": self = .float16
        case "FLOAT32": self = .float32
        case "FLOAT64": self = .float64
        case "BOOL", "BOOLEAN": self = .boolean
        default:
            if upper.hasPrefix("BIT"), let n = Int(upper.dropFirst(3)), (0...15).contains(n) {
                self = .bit(n)
            } else if upper.hasPrefix("STRING"), let n = Int(upper.dropFirst(6)), (1...125).contains(n) {
                self = .string(registers: n)
            } else {
                return nil
            }
        }
    }
}
