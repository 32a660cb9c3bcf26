import Foundation
import Modbus
import ModbusTestSupport
import Testing

/// `shelter-agent read` and `scan` run as processes against a loopback Modbus server started by the test.
@Suite("shelter-agent read and scan, end to end")
struct ReadScanCommandTests {
    typealias Result = ExecutableResult

    /// Runs the built `shelter-agent` (next to the test bundle) and waits for it to exit.
    static func agent(_ arguments: [String]) throws -> Result {
        try BuiltExecutable.run("shelter-agent", arguments)
    }

    /// A server with 123456.0 as FLOAT32 ABCD at holding 100, CDAB at 102, NaN at 104, and the sample values.
    static func server(hook: @escaping ModbusRequestHook = { _ in .reply }) throws -> ModbusTCPServer {
        let mapping = try makeSampleMapping()
        let floats: [UInt16] = [0x47F1, 0x2000, 0x2000, 0x47F1, 0x7FC0, 0x0000]
        try mapping.setRegisters(floats, in: .holdingRegisters, startingAt: 100)
        return try ModbusTCPServer(mapping: mapping, hook: hook)
    }

    static func json(_ line: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(object as? [String: Any])
    }

    @Test("reads a range of holding registers as UINT16")
    func readsRange() throws {
        let server = try Self.server()
        defer { server.stop() }
        let result = try Self.agent([
            "read", "--tcp", "127.0.0.1:\(server.port)", "--unit", "1", "--function", "holding", "--address", "10",
            "--count", "3",
        ])
        #expect(result.status == 0, "\(result.errors)")
        #expect(
            result.lines == [
                "unit 1 holding 10 UINT16: 1010", "unit 1 holding 11 UINT16: 1011", "unit 1 holding 12 UINT16: 1012",
            ])
    }

    @Test("decodes FLOAT32 in ABCD and CDAB, with --raw showing wire order")
    func decodesFloat() throws {
        let server = try Self.server()
        defer { server.stop() }
        let base = ["read", "--tcp", "127.0.0.1:\(server.port)", "--unit", "7", "--function", "holding"]
        let abcd = try Self.agent(base + ["--address", "100", "--type", "FLOAT32", "--raw"])
        #expect(abcd.status == 0, "\(abcd.errors)")
        #expect(abcd.lines == ["unit 7 holding 100 FLOAT32 ABCD: 123456.0  [0x47F1 0x2000]"])
        let cdab = try Self.agent(
            base + ["--address", "102", "--type", "float32", "--order", "CDAB", "--scale", "0.5"])
        #expect(cdab.lines == ["unit 7 holding 102 FLOAT32 CDAB: 61728.0"])
    }

    @Test("--json prints one object per value, with hex registers and null plus a reason for no sample")
    func json() throws {
        let server = try Self.server()
        defer { server.stop() }
        let base = ["read", "--tcp", "127.0.0.1:\(server.port)", "--unit", "3", "--json"]
        let float = try Self.agent(base + ["--function", "holding", "--address", "100", "--type", "FLOAT32"])
        #expect(float.status == 0, "\(float.errors)")
        let object = try Self.json(try #require(float.lines.first))
        #expect(object["unit"] as? Int == 3)
        #expect(object["function"] as? String == "holding")
        #expect(object["address"] as? Int == 100)
        #expect(object["registers"] as? [String] == ["0x47F1", "0x2000"])
        #expect(object["value"] as? Double == 123456)

        let nan = try Self.agent(base + ["--function", "holding", "--address", "104", "--type", "FLOAT32"])
        let missing = try Self.json(try #require(nan.lines.first))
        #expect(missing["value"] is NSNull)
        #expect(missing["reason"] as? String == "nan")

        let coils = try Self.agent(base + ["--function", "coil", "--address", "4", "--count", "2"])
        #expect(coils.lines.count == 2)
        #expect(try coils.lines.map { try Self.json($0)["value"] as? Bool } == [true, false])
    }

    @Test("an exception reply names the exception and exits 1")
    func exception() throws {
        let server = try Self.server()
        defer { server.stop() }
        let result = try Self.agent([
            "read", "--tcp", "127.0.0.1:\(server.port)", "--unit", "1", "--function", "input", "--address", "199",
            "--count", "2",
        ])
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        #expect(result.errors.contains("unit 1 input 199: illegal data address (exception 2)"))
    }

    @Test("no answer is a timeout error; a closed port is a connection error")
    func timeoutAndRefused() throws {
        let server = try Self.server { _ in .noAnswer }
        let port = server.port
        let silent = try Self.agent([
            "read", "--tcp", "127.0.0.1:\(port)", "--unit", "1", "--function", "holding", "--address", "0",
            "--timeout-ms", "300",
        ])
        #expect(silent.status == 69)
        #expect(silent.errors.contains("no answer within 300 ms"))
        #expect(silent.errors.contains("hint: check the unit ids (a gateway forwards only to the unit id"))
        server.stop()
        let refused = try Self.agent([
            "read", "--tcp", "127.0.0.1:\(port)", "--unit", "1", "--function", "holding", "--address", "0",
        ])
        #expect(refused.status == 69)
        #expect(refused.errors.hasPrefix("Error: cannot connect to 127.0.0.1:\(port): connection refused"))
    }

    @Test("bad arguments are refused before connecting")
    func badArguments() throws {
        let result = try Self.agent([
            "read", "--tcp", "127.0.0.1:1", "--unit", "1", "--function", "holding", "--address", "0",
            "--type", "FLOAT32", "--order", "AB",
        ])
        #expect(result.status == 64)
        #expect(result.errors.contains("Byte order AB does not fit FLOAT32"))
    }

    @Test("scan lists the unit ids that answer, an exception counting as present")
    func scan() throws {
        let server = try Self.server { request in
            switch request.unitID {
            case 2: .reply
            case 4: .exception(2)
            default: .noAnswer
            }
        }
        defer { server.stop() }
        let base = ["scan", "--tcp", "127.0.0.1:\(server.port)", "--units", "1-5", "--timeout-ms", "500"]
        let text = try Self.agent(base)
        #expect(text.status == 0, "\(text.errors)")
        #expect(text.lines.count == 3)
        #expect(text.lines.first?.hasPrefix("unit 2: present, answered in ") == true)
        #expect(text.lines.first?.hasSuffix(" ms, 0x03E8") == true)
        #expect(text.lines.dropFirst().first?.hasSuffix("exception: illegal data address (exception 2)") == true)
        #expect(text.lines.last == "2 of 5 unit ids answered: 2, 4")
        #expect(!text.errors.contains("\r"), "no progress bar when stderr is not a terminal")

        let json = try Self.agent(base + ["--json", "--units", "4,2"])
        let objects = try json.lines.map(Self.json)
        #expect(objects.map { $0["unit"] as? Int } == [4, 2])
        #expect(objects.map { $0["status"] as? String } == ["exception", "answered"])
        #expect(objects.first?["exceptionCode"] as? Int == 2)
        #expect(objects.allSatisfy { ($0["answerTimeMs"] as? Double ?? -1) >= 0 })
    }

    @Test("read and scan over RTU on a socat pty pair")
    func rtu() throws {
        let ptys = try SocatPtyPair()
        defer { ptys.stop() }
        let mapping = try makeSampleMapping()
        let server = try ModbusRTUServer(device: ptys.first, baud: 19200, unitIDs: [3, 5], mapping: mapping)
        defer { server.stop() }
        let serial = ["--rtu", ptys.second, "--baud", "19200", "--parity", "N"]
        let read = try Self.agent(
            ["read"] + serial + ["--unit", "5", "--function", "input", "--address", "20", "--type", "UINT32"])
        #expect(read.status == 0, "\(read.errors)")
        #expect(read.lines == ["unit 5 input 20 UINT32 ABCD: \(UInt32(2020) << 16 | 2021)"])
        let scan = try Self.agent(["scan"] + serial + ["--units", "1-6", "--timeout-ms", "300"])
        #expect(scan.status == 0, "\(scan.errors)")
        #expect(scan.lines.last == "2 of 6 unit ids answered: 3, 5")

        // Nobody at these unit ids: the summary says so and points at the line settings, and the exit status
        // tells a script (69, no answer, as for `read`); with --json the hint goes to stderr.
        let empty = try Self.agent(["scan"] + serial + ["--units", "7-8", "--timeout-ms", "200"])
        #expect(empty.status == 69, "\(empty.errors)")
        #expect(empty.lines.suffix(2).first == "0 of 2 unit ids answered")
        #expect(empty.lines.last?.hasPrefix("hint: check the RS-485 wiring (A and B swapped?), the baud rate") == true)
        let emptyJSON = try Self.agent(["scan"] + serial + ["--units", "7-8", "--timeout-ms", "200", "--json"])
        #expect(emptyJSON.status == 69, "\(emptyJSON.errors)")
        #expect(emptyJSON.lines.isEmpty, "\(emptyJSON.lines)")
        #expect(emptyJSON.errors.contains("hint: check the RS-485 wiring (A and B swapped?)"))
        let silent = try Self.agent(
            ["read"] + serial + ["--unit", "8", "--function", "input", "--address", "20", "--timeout-ms", "200"])
        #expect(silent.status == 69)
        #expect(silent.errors.contains("hint: check the RS-485 wiring"))
    }

    @Test("read and scan refuse a serial port another process holds (the running agent), leaving it alone")
    func portInUse() throws {
        let ptys = try SocatPtyPair()
        defer { ptys.stop() }
        let mapping = try makeSampleMapping()
        let server = try ModbusRTUServer(device: ptys.first, baud: 19200, parity: .even, unitIDs: [3], mapping: mapping)
        defer { server.stop() }
        let holder = try ModbusContext.rtu(device: ptys.second, baud: 19200, parity: .even)
        try holder.setResponseTimeout(.seconds(2))
        try holder.connect()
        // Another parity and baud rate, as a site manager trying settings would give.
        let serial = ["--rtu", ptys.second, "--baud", "9600", "--parity", "N"]
        for command in [["read", "--unit", "3", "--function", "holding", "--address", "0"], ["scan", "--units", "3"]] {
            let result = try Self.agent([command[0]] + serial + command.dropFirst())
            #expect(result.status == 69, "\(command[0])")
            #expect(
                result.errors.contains(
                    "cannot connect to \(ptys.second): the port is in use by another process (a running shelter-agent, or a read or scan)"
                ),
                "\(result.errors)")
        }
        try holder.setUnitID(3)
        #expect(try holder.readHoldingRegisters(startingAt: 0, count: 1) == [1000], "the holder's settings are intact")
    }
}
