/// A decoded value of one point. Integers stay exact when no scale or offset applies.
public enum SampleValue: Sendable, Hashable {
    /// A scaled or floating-point value.
    case double(Double)
    /// A signed integer read without scale or offset, exact to 64 bits.
    case int(Int64)
    /// An unsigned integer read without scale or offset, exact to 64 bits.
    case uint(UInt64)
    /// A coil, discrete input or register bit.
    case bool(Bool)
    /// Text from a STRING point, cut at the first NUL.
    case string(String)

    /// The value as a number, for checks and thresholds: integers converted to `Double`, booleans 1 or 0;
    /// `nil` for text.
    public var numericValue: Double? {
        switch self {
        case .double(let v): v
        case .int(let v): Double(v)
        case .uint(let v): Double(v)
        case .bool(let v): v ? 1 : 0
        case .string: nil
        }
    }

    /// The text of a string value; `nil` for numbers and booleans.
    public var textValue: String? {
        if case .string(let text) = self { text } else { nil }
    }
}
