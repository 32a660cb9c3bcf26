/// One point's decoding, chosen once when the device's plan is built (Telegraf's `determineConverter`,
/// STYLE §5): the poll loop never looks at the point's type, order or scale again.
///
/// The common 16-bit integer registers in `AB` order without sentinels decode inline; every other point goes
/// through `RegisterCodec.decode`, which stays the one authority on values and reasons (the decoding vectors).
/// Both paths give the same `Reading` for the same registers. A decoded value outside the point's plausible
/// range is no sample (`outOfRange`).
///
/// Immutable value.
public struct PointDecoder: Sendable, Hashable {
    private enum Path: Sendable, Hashable {
        /// UINT16, order AB, no sentinel.
        case unsigned16
        /// INT16, order AB, no sentinel.
        case signed16
        /// Anything else: `RegisterCodec.decode`.
        case codec
    }

    private let path: Path
    private let address: Int
    private let width: Int
    private let type: DataType
    private let order: ByteOrder
    private let scale: Double
    private let offset: Double
    private let sentinels: Set<UInt64>
    private let isExact: Bool
    private let minimum: Double
    private let maximum: Double
    private let plausibleMinimum: Double?
    private let plausibleMaximum: Double?
    private let hasRange: Bool

    /// Chooses the decoding of `point`.
    public init(_ point: Point) {
        address = point.address
        width = point.width
        type = point.type
        order = point.byteOrder
        scale = point.scale
        offset = point.offset
        sentinels = point.sentinels
        plausibleMinimum = point.plausibleMinimum
        plausibleMaximum = point.plausibleMaximum
        let plain = point.byteOrder == .ab && point.sentinels.isEmpty && !point.function.isBitTable
        path =
            switch point.type {
            case .uint16 where plain: .unsigned16
            case .int16 where plain: .signed16
            default: .codec
            }
        isExact = point.scale == 1 && point.offset == 0
        minimum = point.plausibleMinimum ?? -.infinity
        maximum = point.plausibleMaximum ?? .infinity
        hasRange = point.plausibleMinimum != nil || point.plausibleMaximum != nil
    }

    /// Decodes the point from a reply of registers that starts at address `start`.
    /// - Returns: the value, or no sample: `badData` when the reply is too short for the point, the codec's
    ///   reason (NaN, sentinel, …), or `outOfRange`.
    @inline(__always)
    public func decode(registers: [UInt16], start: Int) -> Reading {
        let at = address - start
        guard at >= 0, at + width <= registers.count else {
            return .noSample(.init(.badData, detail: "short reply"))
        }
        switch path {
        case .unsigned16:
            let raw = registers[at]
            if isExact { return checked(.uint(UInt64(raw)), Double(raw)) }
            let scaled = Double(raw) * scale + offset
            if scaled.isFinite { return checked(.double(scaled), scaled) }
        case .signed16:
            let raw = Int16(bitPattern: registers[at])
            if isExact { return checked(.int(Int64(raw)), Double(raw)) }
            let scaled = Double(raw) * scale + offset
            if scaled.isFinite { return checked(.double(scaled), scaled) }
        case .codec:
            break
        }
        let reading = RegisterCodec.decode(
            registers[at..<at + width], as: type, order: order, scale: scale, offset: offset, sentinels: sentinels)
        guard hasRange, case .value(let value) = reading, let x = value.numericValue else { return reading }
        return checked(value, x)
    }

    /// The polling path's shortcut: the point decoded from a reply of registers that starts at `start`, as a
    /// `PackedReading`, when it is a 16-bit integer of the inline path whose value is finite and in range;
    /// `nil` for any other point or outcome, which `decode(registers:start:)` then gives in full. Where it
    /// answers, it is `decode(registers:start:)`'s value.
    @inline(__always)
    func packed(registers: [UInt16], start: Int) -> PackedReading? {
        let at = address - start
        guard at >= 0, at + width <= registers.count else { return nil }
        let value: PackedReading
        switch path {
        case .unsigned16:
            let raw = registers[at]
            value = isExact ? .uint(UInt64(raw)) : .double(Double(raw) * scale + offset)
        case .signed16:
            let raw = Int16(bitPattern: registers[at])
            value = isExact ? .int(Int64(raw)) : .double(Double(raw) * scale + offset)
        case .codec:
            return nil
        }
        guard let x = value.numericValue, x.isFinite, !hasRange || !(x < minimum || x > maximum) else { return nil }
        return value
    }

    /// Decodes a coil or discrete input from a reply of bits that starts at address `start`.
    public func decode(bits: [Bool], start: Int) -> Reading {
        let at = address - start
        guard at >= 0, at < bits.count else { return .noSample(.init(.badData, detail: "short reply")) }
        let bit = bits[at]
        return checked(.bool(bit), bit ? 1 : 0)
    }

    @inline(__always)
    private func checked(_ value: SampleValue, _ x: Double) -> Reading {
        guard hasRange, x < minimum || x > maximum else { return .value(value) }
        let low = plausibleMinimum.map { "\($0)" } ?? "-inf"
        let high = plausibleMaximum.map { "\($0)" } ?? "inf"
        return .noSample(.init(.outOfRange, detail: "\(x) outside the plausible range \(low)...\(high)"))
    }
}
