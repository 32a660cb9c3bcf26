/// Where the characters of a `STRINGn` point sit in its registers (profile key `string_layout`).
///
/// Most devices pack two characters per register; some put one character per register in the low byte
/// (Carlo Gavazzi EM340 and others) or in the high byte, the other byte 0. Source: the report against
/// Telegraf's Modbus input, influxdata/telegraf#14748, resolved by #14764 (`string_register_location`).
public enum StringLayout: String, Sendable, Hashable, CaseIterable {
    /// Two characters per register; byte order `AB` puts the first character in the high byte, `BA` in the
    /// low byte. The default.
    case packed
    /// One character per register, in the low byte; the high byte is 0.
    case lowByte = "low_byte"
    /// One character per register, in the high byte; the low byte is 0.
    case highByte = "high_byte"

    /// Characters `registers` registers hold in this layout.
    public func capacity(registers: Int) -> Int { self == .packed ? 2 * registers : registers }
}
