import Testing

@testable import ShelterCore

/// The Modbus reply decoder over random register blocks, for every data type and byte order: it never
/// traps, a decoded number is always finite, and NaN or infinity is no sample with its reason (DESIGN §7).
/// Seeded, so a failure reproduces; bounded (a fixed number of blocks per type and order).
@Suite("Register decoding fuzz")
struct RegisterCodecFuzzTests {
    static let types: [DataType] =
        [.int16, .uint16, .int32, .uint32, .int64, .uint64, .float16, .float32, .float64, .boolean]
        + (0..<16).map { .bit($0) }
        + StringLayout.allCases.flatMap { layout in
            [1, 2, 7, 125].map { DataType.string(registers: $0, layout: layout) }
        }

    /// Registers biased towards the edges: 0, 0xFFFF, the NaN and infinity patterns of each width, ASCII.
    static func register(_ random: inout SeededRandom) -> UInt16 {
        switch Int.random(in: 0..<8, using: &random) {
        case 0: 0
        case 1: 0xFFFF
        case 2:
            [0x7C00, 0xFC00, 0x7E00, 0x7F80, 0xFF80, 0x7FC0, 0x7FF0, 0xFFF0, 0x7FF8, 0x8000].randomElement(
                using: &random) ?? 0
        case 3: UInt16.random(in: 0x20...0x7E, using: &random)
        case 4: UInt16.random(in: 0x2020...0x7E7E, using: &random)
        default: UInt16.random(in: 0...0xFFFF, using: &random)
        }
    }

    static let scales: [Double] = [1, 0.1, -1, 1e308, -1e308, 1e-308, 0, 10]
    static let offsets: [Double] = [0, 1e308, -1e308, 0.5]

    @Test(arguments: types)
    func randomBlocksNeverTrapAndNeverGiveANonFiniteNumber(_ type: DataType) {
        var random = SeededRandom(seed: 20_261_204 &+ UInt64(type.registerCount) &* 31 &+ UInt64(type.name.utf8.count))
        var values = 0
        for order in ByteOrder.allCases {
            for round in 0..<60 {
                // Mostly the right count; sometimes one too few or too many (a short or long reply).
                let count = max(0, type.registerCount + (round % 10 == 0 ? Int.random(in: -1...1, using: &random) : 0))
                var block = (0..<count).map { _ in Self.register(&random) }
                // One-character string layouts: half the blocks are ASCII with the unused byte 0, as a device sends.
                if case .string(_, let layout) = type, layout != .packed, round % 2 == 0 {
                    block = block.map { layout == .lowByte ? $0 & 0x007F : $0 & 0x7F00 }  // ASCII text
                }
                let scale = Self.scales.randomElement(using: &random) ?? 1
                let offset = round % 3 == 0 ? (Self.offsets.randomElement(using: &random) ?? 0) : 0
                let sentinels: Set<UInt64> = round % 7 == 0 ? [0xFFFF, 0x8000] : []
                let reading = RegisterCodec.decode(
                    block, as: type, order: order, scale: scale, offset: offset, sentinels: sentinels)
                switch reading {
                case .value(.double(let number)):
                    #expect(number.isFinite, "\(type.name) \(order.rawValue) \(block) gave \(number)")
                    values += 1
                case .value:
                    values += 1
                case .noSample(let reason):
                    #expect(!reason.detail.isEmpty || reason.kind == .sentinel)
                    if count != type.registerCount || (!type.accepts(order) && type != .boolean) {
                        #expect(reason.kind == .badData)
                    }
                }
            }
        }
        // Every type decodes something in the orders it accepts.
        #expect(values > 0)
    }

    @Test(arguments: [
        (DataType.float16, [UInt16(0x7C00)], NoSampleReason.Kind.infinite), (.float16, [0x7E00], .notANumber),
        (.float32, [0x7F80, 0x0000], .infinite), (.float32, [0xFF80, 0x0000], .infinite),
        (.float32, [0x7FC0, 0x0000], .notANumber), (.float64, [0x7FF0, 0, 0, 0], .infinite),
        (.float64, [0x7FF8, 0, 0, 1], .notANumber),
    ])
    func nanAndInfinityAreNoSample(_ type: DataType, _ registers: [UInt16], _ kind: NoSampleReason.Kind) {
        #expect(RegisterCodec.decode(registers, as: type, order: type.defaultByteOrder).reason?.kind == kind)
    }

    /// A finite value that a scale pushes past `Double`'s range is infinite: no sample, never `inf`.
    @Test func scalingToInfinityIsNoSample() {
        let reading = RegisterCodec.decode([0x7F7F, 0xFFFF], as: .float32, order: .abcd, scale: 1e308)
        #expect(reading.reason?.kind == .infinite)
        let integer = RegisterCodec.decode([0x7FFF], as: .int16, order: .ab, scale: 1e308, offset: 1e308)
        #expect(integer.reason?.kind == .infinite)
    }
}
