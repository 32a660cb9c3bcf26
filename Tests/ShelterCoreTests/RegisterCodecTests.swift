import FoundationEssentials
import Testing

@testable import ShelterCore

/// One row of `Fixtures/decode_vectors.csv` (known answers from Telegraf's and pymodbus's test suites).
struct DecodeVector: CustomTestStringConvertible, Sendable {
    var source: String
    var type: DataType
    var order: ByteOrder
    var registers: [UInt16]
    var scale: Double
    var offset: Double
    var expected: String
    var testDescription: String {
        "\(type.name) \(order.rawValue) \(registers.map { RegisterCodec.hex(UInt64($0), width: 1) }) ×\(scale) → \(expected)"
    }

    static let all: [DecodeVector] = {
        let path = String(#filePath).split(separator: "/").dropLast().joined(separator: "/")
        let text = (try? String(contentsOfFile: "/" + path + "/Fixtures/decode_vectors.csv", encoding: .utf8)) ?? ""
        return text.split(whereSeparator: \.isNewline).dropFirst().compactMap { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 7, let order = ByteOrder(rawValue: f[2]) else { return nil }
            let registers = f[3].split(separator: " ").compactMap { UInt16($0, radix: 16) }
            let type: DataType? =
                f[1] == "STRING" ? .string(registers: registers.count) : DataType(name: f[1])
            guard let type, let scale = Double(f[4]), let offset = Double(f[5]) else { return nil }
            return DecodeVector(
                source: f[0], type: type, order: order, registers: registers, scale: scale, offset: offset,
                expected: f[6])
        }
    }()
}

@Suite("Register decoding")
struct RegisterCodecTests {
    @Test("the shipped vector file has every row")
    func vectorFileLoads() {
        #expect(DecodeVector.all.count == 121)
    }

    @Test("decodes the known-answer vectors", arguments: DecodeVector.all)
    func knownAnswers(_ v: DecodeVector) {
        let reading = RegisterCodec.decode(v.registers, as: v.type, order: v.order, scale: v.scale, offset: v.offset)
        switch reading {
        case .value(.string(let s)):
            #expect(s == v.expected)
        case .value(.int(let i)):
            #expect(v.scale == 1 && v.offset == 0)
            #expect(i == Int64(v.expected))
        case .value(.uint(let u)):
            #expect(v.scale == 1 && v.offset == 0)
            #expect(u == UInt64(v.expected))
        case .value(.double(let d)):
            let expected = Double(v.expected) ?? .nan
            // The vectors print the result of the same IEEE operations (value × scale + offset) in shortest
            // round-trip form, so equality is exact.
            #expect(d == expected)
        default:
            Issue.record("unexpected reading \(reading)")
        }
    }

    @Test("the libmodbus float 123456.0 = 0x47F12000 in all four orders")
    func libmodbusFloat() {
        let wire: [(ByteOrder, [UInt16])] = [
            (.abcd, [0x47F1, 0x2000]), (.cdab, [0x2000, 0x47F1]), (.badc, [0xF147, 0x0020]), (.dcba, [0x0020, 0xF147]),
        ]
        for (order, registers) in wire {
            #expect(RegisterCodec.decode(registers, as: .float32, order: order) == .value(.double(123456.0)))
            #expect(RegisterCodec.encode(.double(123456.0), as: .float32, order: order) == registers)
        }
    }

    static let numericTypes: [DataType] = [
        .int16, .uint16, .int32, .uint32, .int64, .uint64, .float16, .float32, .float64,
    ]

    static var typeOrderPairs: [(DataType, ByteOrder)] {
        numericTypes.flatMap { type in ByteOrder.allCases.filter(type.accepts).map { (type, $0) } }
    }

    @Test("encode then decode gives the value back for every type and byte order", arguments: typeOrderPairs)
    func roundTrip(type: DataType, order: ByteOrder) throws {
        let samples: [SampleValue] =
            switch type {
            case .int16: [.int(-32768), .int(-1), .int(0), .int(12345), .int(32767)]
            case .uint16: [.uint(0), .uint(1), .uint(0xABCD), .uint(65535)]
            case .int32: [.int(Int64(Int32.min)), .int(-99_939_315), .int(2_147_483_647)]
            case .uint32: [.uint(0), .uint(168_496_141), .uint(UInt64(UInt32.max))]
            case .int64: [.int(.min), .int(-1_234_567_890_123_456_789), .int(.max)]
            case .uint64: [.uint(0), .uint(18_441_921_395_520_346_504), .uint(.max)]
            case .float16: [.double(-0.509765625), .double(0), .double(65504)]
            case .float32: [.double(123456.0), .double(-3.5), .double(Double(Float.greatestFiniteMagnitude))]
            default: [.double(3.14159265358979), .double(-0.02774907295123737), .double(1e300)]
            }
        for sample in samples {
            let registers = try #require(RegisterCodec.encode(sample, as: type, order: order))
            #expect(registers.count == type.registerCount)
            #expect(RegisterCodec.decode(registers, as: type, order: order) == .value(sample))
        }
        // Scaled: encode 42.5 with scale 0.1 offset −10, decode gives it back to within one raw step.
        let raw = try #require(RegisterCodec.encode(.double(42.5), as: type, order: order, scale: 0.5, offset: -10))
        let back = RegisterCodec.decode(raw, as: type, order: order, scale: 0.5, offset: -10).value?.numericValue
        #expect(back == 42.5)
    }

    @Test("strings round-trip in AB and BA and stop at the first NUL")
    func strings() throws {
        for order in [ByteOrder.ab, .ba] {
            let registers = try #require(
                RegisterCodec.encode(.string("GEN-7"), as: .string(registers: 4), order: order))
            #expect(registers.count == 4)
            #expect(
                RegisterCodec.decode(registers, as: .string(registers: 4), order: order) == .value(.string("GEN-7")))
        }
        #expect(RegisterCodec.encode(.string("too long text"), as: .string(registers: 2), order: .ab) == nil)
        #expect(RegisterCodec.decode([0x4142, 0x0043], as: .string(registers: 2), order: .ab) == .value(.string("AB")))
    }

    @Test("bit n of a register", arguments: 0..<16)
    func bits(n: Int) throws {
        let register = UInt16(1) << UInt16(n)
        #expect(RegisterCodec.decode([register], as: .bit(n), order: .ab) == .value(.bool(true)))
        #expect(RegisterCodec.decode([~register], as: .bit(n), order: .ab) == .value(.bool(false)))
        #expect(try #require(RegisterCodec.encode(.bool(true), as: .bit(n), order: .ab)) == [register])
        // BA swaps the bytes before the bit is taken.
        #expect(RegisterCodec.decode([register.byteSwapped], as: .bit(n), order: .ba) == .value(.bool(true)))
    }

    @Test("NaN, infinities and declared sentinels are no sample, never a number")
    func noSample() {
        #expect(RegisterCodec.decode([0x7FC0, 0x0000], as: .float32, order: .abcd).reason?.kind == .notANumber)
        #expect(RegisterCodec.decode([0x7F80, 0x0000], as: .float32, order: .abcd).reason?.kind == .infinite)
        #expect(RegisterCodec.decode([0xFF80, 0x0000], as: .float32, order: .abcd, scale: 2).reason?.kind == .infinite)
        #expect(RegisterCodec.decode([0x7E00], as: .float16, order: .ab).reason?.kind == .notANumber)
        #expect(RegisterCodec.decode([0x7FF8, 0, 0, 0], as: .float64, order: .abcdefgh).reason?.kind == .notANumber)
        let int16 = RegisterCodec.decode([0x8000], as: .int16, order: .ab, scale: 0.1, sentinels: [0x8000])
        #expect(int16.reason?.kind == .sentinel)
        #expect(int16.reason?.detail.contains("0x8000") == true)
        #expect(RegisterCodec.decode([0xFFFF], as: .uint16, order: .ab, sentinels: [0xFFFF]).reason?.kind == .sentinel)
        // A sentinel is matched on the raw bits after reordering: 0x80000000 word-swapped on the wire.
        #expect(
            RegisterCodec.decode([0x0000, 0x8000], as: .int32, order: .cdab, sentinels: [0x8000_0000]).reason?.kind
                == .sentinel)
        // A value next to a sentinel is still a value.
        #expect(RegisterCodec.decode([0x8001], as: .int16, order: .ab, sentinels: [0x8000]) == .value(.int(-32767)))
    }

    @Test("a register count or byte order that does not fit the type is bad data")
    func badShapes() {
        #expect(RegisterCodec.decode([1], as: .int32, order: .abcd).reason?.kind == .badData)
        #expect(RegisterCodec.decode([1, 2], as: .int32, order: .ab).reason?.kind == .badData)
        #expect(RegisterCodec.encode(.int(70000), as: .int16, order: .ab) == nil)
        #expect(RegisterCodec.encode(.int(-1), as: .uint32, order: .abcd) == nil)
        #expect(RegisterCodec.encode(.double(1e6), as: .float16, order: .ab) == nil)
    }

    @Test("64-bit integers are exact when unscaled")
    func exact64() {
        let registers: [UInt16] = [0x1122, 0x10F4, 0x7DE9, 0x8115]
        #expect(
            RegisterCodec.decode(registers, as: .uint64, order: .abcdefgh) == .value(.uint(1_234_567_890_123_456_789)))
        // 2^53 + 1 is not representable as Double; it must survive unscaled.
        #expect(
            RegisterCodec.decode([0x0020, 0, 0, 1], as: .int64, order: .abcdefgh) == .value(.int(9_007_199_254_740_993))
        )
    }
}
