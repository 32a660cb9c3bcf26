/// Decoding of register blocks into values, and the inverse for the simulator. Pure; no I/O.
///
/// Decoding order: registers (wire order, one `UInt16` per register as libmodbus returns them, host byte
/// order) → reorder bytes per `ByteOrder` → raw integer → sentinel check on the raw bits → type conversion
/// → NaN/Inf check → `scale` then `offset` in `Double`. Integers stay exact (`.int`/`.uint`) when scale is 1
/// and offset is 0.
public enum RegisterCodec {
    /// Decodes one point's registers.
    /// - Parameters:
    ///   - registers: exactly `type.registerCount` registers, wire order.
    ///   - type: the point's data type (not `.boolean`, which comes from bits).
    ///   - order: byte order; must satisfy `type.accepts(order)`.
    ///   - scale: multiplier applied first. Default 1.
    ///   - offset: added after scaling. Default 0.
    ///   - sentinels: raw values (as unsigned bits of the type's width) that mean "no data".
    /// - Returns: `.value` or `.noSample` (NaN, ±Inf, sentinel, or a register count that does not fit).
    public static func decode(
        _ registers: some Collection<UInt16>, as type: DataType, order: ByteOrder,
        scale: Double = 1, offset: Double = 0, sentinels: Set<UInt64> = []
    ) -> Reading {
        fatalError("not yet implemented")
    }

    /// Encodes a value into registers (wire order) so that `decode` with the same type, order, scale and
    /// offset gives it back. For the simulator. Returns `nil` if the value does not fit the type.
    public static func encode(
        _ value: SampleValue, as type: DataType, order: ByteOrder, scale: Double = 1, offset: Double = 0
    ) -> [UInt16]? {
        fatalError("not yet implemented")
    }
}
