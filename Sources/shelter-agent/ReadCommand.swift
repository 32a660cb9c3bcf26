import ArgumentParser
import FoundationEssentials
import ShelterCore
import ShelterRuntime

/// `shelter-agent read`: reads and decodes a value or a range of registers, as a site manager would with mbpoll.
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read and decode a value or a range of registers or bits from one device.",
        discussion: """
            With --count, reads that many registers (each shown as UINT16) or bits. With --type, reads one value \
            of that type (INT16, UINT16, INT32, UINT32, INT64, UINT64, FLOAT16, FLOAT32, FLOAT64, BITn, STRINGn) \
            in the byte order given by --order (default big-endian: AB, ABCD or ABCDEFGH). Addresses are protocol \
            addresses (holding register 40001 is address 0). Exit status: 0 read, 1 exception reply, 64 bad \
            arguments, 69 no connection or no answer, 76 garbled reply.
            """)

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var language: LanguageOptions

    @Option(help: "Unit id (slave address), 0-247; 255 also on TCP.")
    var unit: UInt8

    @Option(help: "Table to read: holding, input, coil or discrete.", transform: RegisterFunction.parse)
    var function: RegisterFunction

    @Option(help: "First address, 0-65535, 0-based (holding register 40001 is address 0); 0x… for hex.")
    var address: RegisterAddressArgument

    @Option(help: "Number of registers or bits to read (default 1).")
    var count: Int?

    @Option(help: "Data type of one value, e.g. FLOAT32, INT16, UINT32, BIT3, STRING8.")
    var type: String?

    @Option(help: "Byte order: AB/BA, ABCD/CDAB/BADC/DCBA, ABCDEFGH/HGFEDCBA/BADCFEHG/GHEFCDAB.")
    var order: String?

    // `.unconditional`: a value may start with "-" (`--offset -10.3`), as it does in the field.
    @Option(parsing: .unconditional, help: "Multiplier applied to the raw value; may be negative.")
    var scale: Double = 1

    @Option(parsing: .unconditional, help: "Added after scaling; may be negative.")
    var offset: Double = 0

    @Flag(help: "Also print the registers as hex words, in wire order.")
    var raw = false

    @Flag(help: "Print one JSON object per value.")
    var json = false

    func validate() throws {
        _ = try plan()
    }

    func run() throws {
        let plan = try plan()
        let timeout = connection.responseTimeout(default: .seconds(1))
        let reader = language.resolved(environment: ProcessInfo.processInfo.environment)
        do {
            let link = try connection.connect(defaultTimeout: .seconds(1))
            let values = try read(plan, with: link, timeout: timeout)
            for value in values { print(json ? value.jsonLine() : value.textLine(raw: raw, in: reader)) }
        } catch let failure as CommandFailure {
            let status = failure.exit()
            if failure.noAnswer { printError(ScreenText.noAnswerHint(serial: connection.rtu != nil).text(in: reader)) }
            throw status
        }
    }

    /// What to read and how to decode it, checked against the protocol limits.
    struct Plan {
        var quantity: Int
        var type: DataType
        var order: ByteOrder
        var valueCount: Int
        var address: UInt16
    }

    func plan() throws -> Plan {
        if unit > 247, connection.tcp == nil { throw ValidationError("--unit must be 0-247 on RTU, got \(unit).") }
        if (248...254).contains(unit) { throw ValidationError("--unit must be 0-247 or 255, got \(unit).") }
        if count != nil, type != nil { throw ValidationError("Give --count or --type, not both.") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1, got \(count).") }
        let address = try self.address.address(in: function)
        let dataType: DataType
        if let type {
            guard let parsed = DataType(name: type) else { throw ValidationError("Unknown --type '\(type)'.") }
            dataType = parsed
        } else {
            dataType = function.isBitTable ? .boolean : .uint16
        }
        guard function.isBitTable == (dataType == .boolean) else {
            throw ValidationError(
                function.isBitTable
                    ? "Coils and discrete inputs are bits: --type BOOL or none."
                    : "BOOL is for coils and discrete inputs; use BITn for a bit of a register.")
        }
        let byteOrder: ByteOrder
        if let order {
            guard let parsed = ByteOrder(rawValue: order.uppercased()) else {
                throw ValidationError(
                    "Unknown --order '\(order)': give one of "
                        + ByteOrder.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            byteOrder = parsed
        } else {
            byteOrder = dataType.defaultByteOrder
        }
        guard dataType.accepts(byteOrder) else {
            let fitting = ByteOrder.allCases.filter(dataType.accepts).map(\.rawValue).joined(separator: ", ")
            throw ValidationError(
                "Byte order \(byteOrder.rawValue) does not fit \(dataType.name): give one of \(fitting).")
        }
        let valueCount = count ?? 1
        let quantity = type == nil ? valueCount : dataType.registerCount
        guard quantity <= function.maximumQuantityPerRead else {
            let unit = function.isBitTable ? "bits" : "registers"
            throw ValidationError("One request reads at most \(function.maximumQuantityPerRead) \(unit).")
        }
        guard Int(address) + quantity <= 65536 else { throw ValidationError("The range runs past address 65535.") }
        return Plan(quantity: quantity, type: dataType, order: byteOrder, valueCount: valueCount, address: address)
    }

    private func read(_ plan: Plan, with link: ModbusContextLink, timeout: Duration) throws -> [DecodedValue] {
        let what = "unit \(unit) \(function.rawValue) \(plan.address)"
        let outcome = link.read(function, unitID: unit, start: Int(plan.address), count: plan.quantity)
        switch outcome {
        case .bits(let bits):
            return bits.enumerated().map { index, bit in
                value(at: index, registers: [], reading: .value(.bool(bit)), plan: plan)
            }
        case .registers(let registers):
            let width = plan.type.registerCount
            guard registers.count >= plan.valueCount * width else {
                throw CommandFailure.request(what, .failed(.badData, detail: "short reply"), timeout: timeout)
            }
            return (0..<plan.valueCount).map { index in
                let slice = Array(registers[(index * width)..<((index + 1) * width)])
                let reading = RegisterCodec.decode(
                    slice, as: plan.type, order: plan.order, scale: scale, offset: offset)
                return value(at: index * width, registers: slice, reading: reading, plan: plan)
            }
        case .exception, .failed:
            throw CommandFailure.request(what, outcome, timeout: timeout)
        }
    }

    private func value(at index: Int, registers: [UInt16], reading: Reading, plan: Plan) -> DecodedValue {
        DecodedValue(
            unit: unit, function: function, address: Int(plan.address) + index, type: plan.type,
            order: function.isBitTable ? nil : plan.order, registers: registers, reading: reading)
    }
}

/// One decoded value, printed as a text line or a JSON object.
struct DecodedValue: Encodable {
    var unit: UInt8
    var function: RegisterFunction
    var address: Int
    var type: DataType
    var order: ByteOrder?
    var registers: [UInt16]
    var reading: Reading

    /// `unit 1 holding 100 FLOAT32 ABCD: 123456.0` (and `[0x47F1 0x2000]` with `--raw`), or
    /// `…: no sample (nan)`.
    func textLine(raw: Bool, in language: Language = .en) -> String {
        var line = ScreenText.readAt(unitID: Int(unit), function: function, address: address).text(in: language)
        if !function.isBitTable {
            line += " \(type.name)"
            if let order, type.registerCount > 1 || order != .ab { line += " \(order.rawValue)" }
        }
        switch reading {
        case .value(let value): line += (language == .zhCN ? "：" : ": ") + Self.text(value)
        case .noSample(let reason):
            line +=
                (language == .zhCN ? "：" : ": ")
                + ScreenText.noSample(
                    reason: language == .en ? "\(reason)" : StatusText.noSampleReason(reason).text(in: language)
                )
                .text(in: language)
        }
        if raw, !registers.isEmpty { line += "  [\(registers.map(hex).joined(separator: " "))]" }
        return line
    }

    func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private enum CodingKeys: String, CodingKey {
        case unit, function, functionCode, address, type, order, registers, value, reason, detail
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(unit, forKey: .unit)
        try container.encode(function.rawValue, forKey: .function)
        try container.encode(function.readFunctionCode, forKey: .functionCode)
        try container.encode(address, forKey: .address)
        try container.encode(type.name, forKey: .type)
        try container.encodeIfPresent(order?.rawValue, forKey: .order)
        try container.encode(registers.map(hex), forKey: .registers)
        switch reading {
        case .value(.double(let value)): try container.encode(value, forKey: .value)
        case .value(.int(let value)): try container.encode(value, forKey: .value)
        case .value(.uint(let value)): try container.encode(value, forKey: .value)
        case .value(.bool(let value)): try container.encode(value, forKey: .value)
        case .value(.string(let value)): try container.encode(value, forKey: .value)
        case .noSample(let reason):
            try container.encodeNil(forKey: .value)
            try container.encode(reason.kind.rawValue, forKey: .reason)
            if !reason.detail.isEmpty { try container.encode(reason.detail, forKey: .detail) }
        }
    }

    private static func text(_ value: SampleValue) -> String {
        switch value {
        case .double(let value): "\(value)"
        case .int(let value): "\(value)"
        case .uint(let value): "\(value)"
        case .bool(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        }
    }
}

/// A register as four hex digits: `0x47F1`.
func hex(_ register: UInt16) -> String {
    let digits = String(register, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: 4 - digits.count) + digits
}

extension RegisterFunction {
    /// Parses `holding`, `input`, `coil` or `discrete` for `--function`.
    static func parse(_ text: String) throws -> RegisterFunction {
        guard let function = RegisterFunction(rawValue: text.lowercased()) else {
            throw ValidationError("--function wants holding, input, coil or discrete, got '\(text)'.")
        }
        return function
    }
}
