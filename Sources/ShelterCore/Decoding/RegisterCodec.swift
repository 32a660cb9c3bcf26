/// Decoding of register blocks into values, and the inverse for the simulator. Pure; no I/O.
///
/// Decoding order: registers (wire order, one `UInt16` per register as libmodbus returns them, so the high
/// byte is the first byte on the wire) → reorder bytes per `ByteOrder` → raw bits → sentinel check on the
/// raw bits → type conversion → NaN/±Inf check → `scale` then `offset` in `Double`. Integers stay exact
/// (`.int`/`.uint`) when scale is 1 and offset is 0.
///
/// libmodbus 3.1.6's `modbus_get_float_*`/`modbus_set_float_*` are not used: the setters write the wrong byte
/// order (DESIGN §3).
public enum RegisterCodec {
    /// Decodes one point's registers.
    /// - Parameters:
    ///   - registers: exactly `type.registerCount` registers, wire order.
    ///   - type: the point's data type; `.boolean` reads as "register is non-zero".
    ///   - order: byte order; must satisfy `type.accepts(order)` (checked at configuration time; a mismatch
    ///     here gives `.noSample(.badData)`).
    ///   - scale: multiplier applied first. Default 1.
    ///   - offset: added after scaling. Default 0.
    ///   - sentinels: raw values, as the unsigned bits of the type's width (e.g. `0x8000` for an INT16,
    ///     `0x7FC00000` for a FLOAT32 NaN code), that the vendor documents as "no data".
    /// - Returns: `.value`, or `.noSample` with kind `.sentinel`, `.notANumber`, `.infinite` or `.badData`
    ///   (register count or byte order that does not fit the type).
    public static func decode(
        _ registers: some Collection<UInt16>, as type: DataType, order: ByteOrder,
        scale: Double = 1, offset: Double = 0, sentinels: Set<UInt64> = []
    ) -> Reading {
        guard registers.count == type.registerCount else {
            return .noSample(
                .init(.badData, detail: "\(type.name) needs \(type.registerCount) registers, got \(registers.count)"))
        }
        if case .string(_, let layout) = type {
            guard type.accepts(order) else { return badOrder(type, order) }
            return decodeString(registers, layout: layout, swapBytes: order == .ba)
        }
        let wordOrder = type == .boolean ? ByteOrder.ab : order
        guard type.accepts(order) || type == .boolean else { return badOrder(type, order) }
        let raw = rawBits(registers, order: wordOrder)
        if sentinels.contains(raw) {
            return .noSample(
                .init(.sentinel, detail: "raw \(hex(raw, width: type.registerCount)) is a declared no-data code"))
        }
        let isExact = scale == 1 && offset == 0
        let number: Double
        switch type {
        case .boolean:
            return .value(.bool(raw != 0))
        case .bit(let n):
            return .value(.bool(raw & (1 << UInt64(n)) != 0))
        case .string:
            return badOrder(type, order)  // handled above
        case .int16:
            let v = Int64(Int16(truncatingIfNeeded: raw))
            if isExact { return .value(.int(v)) }
            number = Double(v)
        case .int32:
            let v = Int64(Int32(truncatingIfNeeded: raw))
            if isExact { return .value(.int(v)) }
            number = Double(v)
        case .int64:
            let v = Int64(bitPattern: raw)
            if isExact { return .value(.int(v)) }
            number = Double(v)
        case .uint16, .uint32, .uint64:
            if isExact { return .value(.uint(raw)) }
            number = Double(raw)
        case .float16:
            number = Double(Float16(bitPattern: UInt16(truncatingIfNeeded: raw)))
        case .float32:
            number = Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw)))
        case .float64:
            number = Double(bitPattern: raw)
        }
        if number.isNaN {
            return .noSample(.init(.notANumber, detail: "raw \(hex(raw, width: type.registerCount)) is NaN"))
        }
        let scaled = number * scale + offset
        if scaled.isInfinite {
            return .noSample(.init(.infinite, detail: "raw \(hex(raw, width: type.registerCount)) is infinite"))
        }
        if scaled.isNaN {
            return .noSample(.init(.notANumber, detail: "scaled value is NaN"))
        }
        return .value(.double(scaled))
    }

    /// Encodes a value into registers (wire order) so that `decode` with the same type, order, scale and
    /// offset gives it back (integers round to the nearest raw value). For the simulator.
    /// - Returns: `type.registerCount` registers, or `nil` when the value does not fit the type (out of range,
    ///   string too long, wrong kind of value, or an order the type does not accept).
    public static func encode(
        _ value: SampleValue, as type: DataType, order: ByteOrder, scale: Double = 1, offset: Double = 0
    ) -> [UInt16]? {
        if case .string(let registers, let layout) = type {
            guard type.accepts(order), case .string(let text) = value else { return nil }
            var bytes = Array(text.utf8)
            let capacity = layout.capacity(registers: registers)
            guard bytes.count <= capacity, !bytes.contains(0) else { return nil }
            bytes += [UInt8](repeating: 0, count: capacity - bytes.count)
            switch layout {
            case .lowByte: return bytes.map { UInt16($0) }
            case .highByte: return bytes.map { UInt16($0) << 8 }
            case .packed:
                return (0..<registers).map { i in
                    let (first, second) =
                        order == .ba ? (bytes[2 * i + 1], bytes[2 * i]) : (bytes[2 * i], bytes[2 * i + 1])
                    return UInt16(first) << 8 | UInt16(second)
                }
            }
        }
        guard type.accepts(order) || type == .boolean else { return nil }
        guard let raw = rawValue(of: value, as: type, scale: scale, offset: offset) else { return nil }
        return registers(fromRaw: raw, order: type == .boolean ? .ab : order)
    }

    // MARK: - Raw bits

    /// Assembles the raw bits of a value from wire-order registers. Each letter of `order` names the
    /// significance of the byte at that wire position: `A` is the most significant.
    static func rawBits(_ registers: some Collection<UInt16>, order: ByteOrder) -> UInt64 {
        let shifts = order.byteShifts
        var raw: UInt64 = 0
        var position = 0
        for register in registers {
            raw |= UInt64(register >> 8) << shifts[position]
            raw |= UInt64(register & 0xFF) << shifts[position + 1]
            position += 2
        }
        return raw
    }

    static func registers(fromRaw raw: UInt64, order: ByteOrder) -> [UInt16] {
        let shifts = order.byteShifts
        return (0..<order.registerCount).map { i in
            UInt16(truncatingIfNeeded: raw >> shifts[2 * i]) << 8 | UInt16(truncatingIfNeeded: raw >> shifts[2 * i + 1])
                & 0xFF
        }
    }

    private static func rawValue(of value: SampleValue, as type: DataType, scale: Double, offset: Double) -> UInt64? {
        switch type {
        case .boolean, .bit:
            guard case .bool(let on) = value else { return nil }
            if case .bit(let n) = type { return on ? 1 << UInt64(n) : 0 }
            return on ? 1 : 0
        case .float16, .float32, .float64:
            guard let number = value.numericValue, scale != 0 else { return nil }
            let unscaled = (number - offset) / scale
            switch type {
            case .float16:
                let half = Float16(unscaled)
                return half.isInfinite && !unscaled.isInfinite ? nil : UInt64(half.bitPattern)
            case .float32:
                let single = Float(unscaled)
                return single.isInfinite && !unscaled.isInfinite ? nil : UInt64(single.bitPattern)
            default:
                return unscaled.bitPattern
            }
        case .int16, .int32, .int64:
            let bits = type.registerCount * 16
            let signed: Int64
            switch value {
            case .int(let v) where scale == 1 && offset == 0: signed = v
            case .uint(let v) where scale == 1 && offset == 0:
                guard let v = Int64(exactly: v) else { return nil }
                signed = v
            default:
                guard let number = value.numericValue, scale != 0,
                    let v = Int64(exactly: ((number - offset) / scale).rounded())
                else { return nil }
                signed = v
            }
            if bits < 64 {
                let limit = Int64(1) << Int64(bits - 1)
                guard signed >= -limit, signed < limit else { return nil }
            }
            let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
            return UInt64(bitPattern: signed) & mask
        case .uint16, .uint32, .uint64:
            let bits = type.registerCount * 16
            let unsigned: UInt64
            switch value {
            case .uint(let v) where scale == 1 && offset == 0: unsigned = v
            case .int(let v) where scale == 1 && offset == 0:
                guard let v = UInt64(exactly: v) else { return nil }
                unsigned = v
            default:
                guard let number = value.numericValue, scale != 0,
                    let v = UInt64(exactly: ((number - offset) / scale).rounded())
                else { return nil }
                unsigned = v
            }
            guard bits == 64 || unsigned < (1 << UInt64(bits)) else { return nil }
            return unsigned
        case .string:
            return nil
        }
    }

    /// Text from string registers. No sample (`.badData`, with the reason) when a one-character layout
    /// finds a character in the byte that must be 0 (the layout is declared wrong), when the text is empty
    /// but characters follow a leading NUL (a one-character-per-register device read as packed), when
    /// nothing but NUL was sent, or when the bytes are not UTF-8: an empty or mangled string is never a
    /// good value.
    private static func decodeString(
        _ registers: some Collection<UInt16>, layout: StringLayout, swapBytes: Bool
    )
        -> Reading
    {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(registers.count * 2)
        for (index, register) in registers.enumerated() {
            let (high, low) = (UInt8(register >> 8), UInt8(register & 0xFF))
            switch layout {
            case .packed:
                bytes += swapBytes ? [low, high] : [high, low]
            case .lowByte, .highByte:
                let (character, unused) = layout == .lowByte ? (low, high) : (high, low)
                if unused != 0 {
                    return .noSample(
                        .init(
                            .badData,
                            detail:
                                "register \(index) of the string is \(hex(UInt64(register), width: 1)): its "
                                + "\(layout == .lowByte ? "high" : "low") byte must be 0 in a \(layout.rawValue) string"
                        ))
                }
                bytes.append(character)
            }
        }
        let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
        if end == bytes.startIndex {
            if bytes.contains(where: { $0 != 0 }) {
                return .noSample(
                    .init(
                        .badData,
                        detail:
                            "the string starts with a NUL but characters follow: one character per register? "
                            + "declare string_layout = \"low_byte\" or \"high_byte\""))
            }
            return .noSample(.init(.badData, detail: "the string registers hold no text (every byte is 0)"))
        }
        guard let text = String(validating: bytes[..<end], as: UTF8.self) else {
            return .noSample(.init(.badData, detail: "the string is not UTF-8 text"))
        }
        return .value(.string(text))
    }

    private static func badOrder(_ type: DataType, _ order: ByteOrder) -> Reading {
        .noSample(.init(.badData, detail: "byte order \(order.rawValue) does not fit \(type.name)"))
    }

    /// `0x` and the raw bits as hex, `width` registers wide (4 hex digits a register).
    static func hex(_ raw: UInt64, width: Int) -> String {
        let digits = String(raw, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, width * 4 - digits.count)) + digits
    }
}

extension ByteOrder {
    /// For each wire byte position, the left shift that puts that byte in place in the raw value: a byte
    /// whose letter is `A` is the most significant. Computed once per order.
    var byteShifts: [UInt64] {
        switch self {
        case .ab: Self.shiftTable[0]
        case .ba: Self.shiftTable[1]
        case .abcd: Self.shiftTable[2]
        case .cdab: Self.shiftTable[3]
        case .badc: Self.shiftTable[4]
        case .dcba: Self.shiftTable[5]
        case .abcdefgh: Self.shiftTable[6]
        case .hgfedcba: Self.shiftTable[7]
        case .badcfehg: Self.shiftTable[8]
        case .ghefcdab: Self.shiftTable[9]
        }
    }

    private static let shiftTable: [[UInt64]] = ByteOrder.allCases.map { order in
        let width = order.registerCount * 2
        return order.rawValue.utf8.map { letter in UInt64(8 * (width - 1 - Int(letter - UInt8(ascii: "A")))) }
    }
}
