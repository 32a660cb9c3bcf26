import Testing

@testable import ShelterCore

/// Strings in every layout a real device uses (issue 12: "every layout a real device uses can be declared").
@Suite("String layouts")
struct RegisterCodecStringTests {
    /// Known answers. The low-byte row is the test vector of influxdata/telegraf#14748 ("Modbus" one
    /// character per register, high byte 0, as the Carlo Gavazzi EM340 sends its text registers).
    @Test(arguments: [
        (StringLayout.lowByte, [UInt16]([0x004D, 0x006F, 0x0064, 0x0062, 0x0075, 0x0073, 0x0000]), "Modbus"),
        (.highByte, [0x4D00, 0x6F00, 0x6400, 0x6200, 0x7500, 0x7300, 0x0000], "Modbus"),
        (.packed, [0x4D6F, 0x6462, 0x7573, 0x0000], "Modbus"),
        (.lowByte, [0x0045, 0x004D, 0x0033, 0x0034, 0x0030], "EM340"),  // no NUL: the whole block is text
        (.packed, [0xE981, 0xBF00], "避"),  // UTF-8 survives
    ])
    func knownAnswers(_ layout: StringLayout, _ registers: [UInt16], _ text: String) {
        let type = DataType.string(registers: registers.count, layout: layout)
        #expect(RegisterCodec.decode(registers, as: type, order: .ab) == .value(.string(text)))
    }

    @Test(arguments: StringLayout.allCases)
    func encodeDecodeRoundTrip(_ layout: StringLayout) throws {
        let type = DataType.string(registers: 8, layout: layout)
        let registers = try #require(RegisterCodec.encode(.string("EM340"), as: type, order: .ab))
        #expect(registers.count == 8)
        if layout == .lowByte { #expect(registers.allSatisfy { $0 >> 8 == 0 }) }
        if layout == .highByte { #expect(registers.allSatisfy { $0 & 0xFF == 0 }) }
        #expect(RegisterCodec.decode(registers, as: type, order: .ab) == .value(.string("EM340")))
        // 9 characters fit 8 packed registers, not 8 one-character registers.
        #expect((RegisterCodec.encode(.string("EM340-DIN"), as: type, order: .ab) != nil) == (layout == .packed))
    }

    /// A device that sends one character per register, declared as packed: before, an empty string reported
    /// as good (Telegraf's behaviour in the report); now no sample that says what to declare.
    @Test func oneCharacterPerRegisterReadAsPackedIsNoSample() {
        let reading = RegisterCodec.decode([0x004D, 0x006F, 0x0064], as: .string(registers: 3), order: .ab)
        #expect(reading.reason?.kind == .badData)
        #expect(reading.reason?.detail.contains("string_layout = \"low_byte\"") == true)
    }

    @Test func theUnusedByteMustBeZero() {
        let low = RegisterCodec.decode([0x004D, 0x416F], as: .string(registers: 2, layout: .lowByte), order: .ab)
        #expect(low.reason?.kind == .badData)
        #expect(
            low.reason?.detail == "register 1 of the string is 0x416F: its high byte must be 0 in a low_byte string")
        let high = RegisterCodec.decode([0x4D00, 0x6F01], as: .string(registers: 2, layout: .highByte), order: .ab)
        #expect(
            high.reason?.detail == "register 1 of the string is 0x6F01: its low byte must be 0 in a high_byte string")
    }

    @Test func noTextIsNoSampleNeverAnEmptyString() {
        for layout in StringLayout.allCases {
            let reading = RegisterCodec.decode([0, 0, 0], as: .string(registers: 3, layout: layout), order: .ab)
            #expect(reading.reason?.kind == .badData)
            #expect(reading.reason?.detail == "the string registers hold no text (every byte is 0)")
        }
    }

    @Test func bytesThatAreNotUTF8AreNoSample() {
        let reading = RegisterCodec.decode([0x41FF, 0xFE00], as: .string(registers: 2), order: .ab)
        #expect(reading.reason?.kind == .badData)
        #expect(reading.reason?.detail == "the string is not UTF-8 text")
    }

    @Test func oneCharacterLayoutsTakeByteOrderABOnly() {
        #expect(DataType.string(registers: 4, layout: .lowByte).accepts(.ab))
        #expect(!DataType.string(registers: 4, layout: .lowByte).accepts(.ba))
        #expect(DataType.string(registers: 4).accepts(.ba))
        let reading = RegisterCodec.decode([0x0041], as: .string(registers: 1, layout: .highByte), order: .ba)
        #expect(reading.reason?.kind == .badData)
    }
}
