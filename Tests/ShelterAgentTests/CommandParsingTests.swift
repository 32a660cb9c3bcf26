import ArgumentParser
import ShelterCore
import Testing

@testable import shelter_agent

/// Bad command lines get their exact message and exit status 64 (EX_USAGE), as swift-argument-parser prints them.
@Suite("read and scan argument parsing")
struct CommandParsingTests {
    static let usage = ExitStatus.usage.rawValue

    /// How `shelter-agent ARGUMENTS` is refused, `nil` if it is not.
    static func refusal(_ arguments: [String]) -> Refusal? {
        Refusal(ShelterAgentCommand.self, arguments)
    }

    @Test("scan --units takes ranges and lists, without repeats")
    func units() throws {
        #expect(try ScanCommand.parseUnits("1-3") == [1, 2, 3])
        #expect(try ScanCommand.parseUnits("5, 1-2,2") == [5, 1, 2])
        #expect(try ScanCommand.parseUnits("247") == [247])
        for bad in ["0-248", "3-1", "x", "1-2-3"] {
            #expect(
                Self.refusal(["scan", "--tcp", "h", "--units", bad])
                    == Refusal(
                        message: "--units wants ids 0-247 like 1-247 or 1,5,10-20, got '\(bad)'.",
                        exitCode: Self.usage))
        }
        #expect(
            Self.refusal(["scan", "--tcp", "h", "--units", ","])
                == Refusal(message: "--units names no unit id.", exitCode: Self.usage))
    }

    @Test("read refuses --count with --type, an order that does not fit, and BOOL on registers")
    func readValidation() throws {
        let base = ["read", "--tcp", "127.0.0.1:502", "--unit", "1", "--address", "0"]
        #expect(
            Self.refusal(base + ["--function", "holding", "--count", "2", "--type", "INT16"])
                == Refusal(message: "Give --count or --type, not both.", exitCode: Self.usage))
        #expect(
            Self.refusal(base + ["--function", "holding", "--type", "INT64", "--order", "ABCD"])
                == Refusal(
                    message: "Byte order ABCD does not fit INT64: give one of ABCDEFGH, HGFEDCBA, BADCFEHG, GHEFCDAB.",
                    exitCode: Self.usage))
        #expect(
            Self.refusal(base + ["--function", "coil", "--type", "FLOAT32"])
                == Refusal(message: "Coils and discrete inputs are bits: --type BOOL or none.", exitCode: Self.usage))
        #expect(
            Self.refusal(base + ["--function", "holding", "--count", "126"])
                == Refusal(message: "One request reads at most 125 registers.", exitCode: Self.usage))
        let read = try #require(
            try ShelterAgentCommand.parseAsRoot(
                base + ["--function", "input", "--type", "float64", "--order", "ghefcdab"])
                as? ReadCommand)
        let plan = try read.plan()
        #expect(plan.type == .float64)
        #expect(plan.order == .ghefcdab)
        #expect(plan.quantity == 4)
    }

    @Test("connection flags: exactly one of --tcp and --rtu, a port 1-65535 if any, serial ranges")
    func connection() throws {
        let tail = ["--unit", "1", "--function", "holding", "--address", "0"]
        #expect(
            Self.refusal(["read"] + tail)
                == Refusal(message: "Give --tcp HOST[:PORT] or --rtu DEVICE.", exitCode: Self.usage))
        #expect(
            Self.refusal(["read", "--tcp", "h:1", "--rtu", "/dev/ttyS0"] + tail)
                == Refusal(message: "Give either --tcp or --rtu, not both.", exitCode: Self.usage))
        for bad in ["host:0", "host:x", ":502", "[::1", "[::1]x"] {
            #expect(
                Self.refusal(["read", "--tcp", bad] + tail)
                    == Refusal(
                        message: "--tcp wants HOST or HOST:PORT with a port 1-65535, got '\(bad)'.",
                        exitCode: Self.usage))
        }
        #expect(
            Self.refusal(["scan", "--rtu", "/dev/ttyS0", "--data-bits", "9"])
                == Refusal(message: "--data-bits must be 5-8, got 9.", exitCode: Self.usage))
        #expect(try ConnectionOptions.endpoint("[::1]:1502") == ("::1", 1502))
        let scan = try #require(
            try ShelterAgentCommand.parseAsRoot(["scan", "--rtu", "/dev/ttyS0", "--parity", "o", "--baud", "19200"])
                as? ScanCommand)
        #expect(scan.connection.parity == .odd)
        #expect(scan.connection.responseTimeout(default: .milliseconds(200)) == .milliseconds(200))
        #expect(scan.function == .holdingRegister)
    }

    // Issue 11 item 6: the commissioning habits of the field.

    @Test("read --offset -10.3 and --scale -1 take negative numbers")
    func negativeOffsetAndScale() throws {
        let read = try #require(
            try ShelterAgentCommand.parseAsRoot([
                "read", "--tcp", "h", "--unit", "1", "--function", "holding", "--address", "0", "--offset", "-10.3",
                "--scale", "-1",
            ]) as? ReadCommand)
        #expect(read.offset == -10.3)
        #expect(read.scale == -1)
    }

    @Test("read and scan default to parity E, as the site file and mbpoll do, and the help says so")
    func parityDefaultsToEven() throws {
        let read = try #require(
            try ShelterAgentCommand.parseAsRoot([
                "read", "--rtu", "/dev/ttyS0", "--unit", "1", "--function", "holding", "--address", "0",
            ]) as? ReadCommand)
        #expect(read.connection.parity == .even)
        let scan = try #require(try ShelterAgentCommand.parseAsRoot(["scan", "--rtu", "/dev/ttyS0"]) as? ScanCommand)
        #expect(scan.connection.parity == .even)
        #expect(SerialLine(device: "/dev/ttyS0").parity == .even)  // the site file's default
        for command in [ReadCommand.self, ScanCommand.self] as [any ParsableCommand.Type] {
            let help = ShelterAgentCommand.helpMessage(for: command, columns: 200)
            #expect(help.contains("E by default, as in the site file and mbpoll. (values: N, E, O; default: E)"))
        }
    }

    @Test("--tcp HOST without a port means 502")
    func tcpWithoutPortIs502() throws {
        #expect(try ConnectionOptions.endpoint("192.168.1.20") == ("192.168.1.20", 502))
        #expect(try ConnectionOptions.endpoint("gateway.local") == ("gateway.local", 502))
        #expect(try ConnectionOptions.endpoint("[fe80::1]") == ("fe80::1", 502))
        #expect(try ConnectionOptions.endpoint("::1") == ("::1", 502))
        #expect(try ConnectionOptions.endpoint("10.0.0.5:1502") == ("10.0.0.5", 1502))
        let scan = try #require(try ShelterAgentCommand.parseAsRoot(["scan", "--tcp", "10.0.0.5"]) as? ScanCommand)
        #expect(try scan.connection.transport() == .tcp(host: "10.0.0.5", port: 502))
    }

    @Test("--address 40001 gets: addresses are 0-based, holding register 40001 is address 0 (and the other tables)")
    func registerNumbersAreRefusedWithTheirAddress() throws {
        // 400001 is past 65535, so no hex hint: it cannot be a protocol address.
        let cases: [(function: String, typed: String, noun: String, address: Int, hex: String)] = [
            ("holding", "40001", "holding register", 0, "9C41"),
            ("holding", "40101", "holding register", 100, "9CA5"),
            ("input", "30001", "input register", 0, "7531"),
            ("discrete", "10001", "discrete input", 0, "2711"),
            ("coil", "00001", "coil", 0, "1"),
            ("holding", "400001", "holding register", 0, "61A81"),
        ]
        for (function, typed, noun, address, hex) in cases {
            let number = Int(typed) ?? -1
            let itself =
                number <= 65535
                ? " (to read protocol address \(number) itself, write it in hex: --address 0x\(hex))" : ""
            let message =
                "--address \(typed): addresses are 0-based: \(noun) \(typed) is address \(address). "
                + "Give --address \(address)\(itself)."
            for command in ["read", "scan"] {
                let unit = command == "read" ? ["--unit", "1"] : []
                #expect(
                    Self.refusal([command, "--tcp", "h"] + unit + ["--function", function, "--address", typed])
                        == Refusal(message: message, exitCode: Self.usage))
            }
        }
        // A protocol address of another table's range, the same in hex, and plain small addresses are taken as is.
        let base = ["read", "--tcp", "h", "--unit", "1"]
        for (function, typed, address) in [("input", "40001", 40001), ("holding", "0x9C41", 40001), ("coil", "1", 1)] {
            let read = try #require(
                try ShelterAgentCommand.parseAsRoot(base + ["--function", function, "--address", typed])
                    as? ReadCommand)
            #expect(try read.plan().address == address)
        }
        #expect(
            Self.refusal(base + ["--function", "input", "--address", "70000"])
                == Refusal(message: "--address must be 0-65535, got 70000.", exitCode: Self.usage))
    }

    @Test("a bad --order lists the valid ones")
    func badOrderListsTheValidOnes() {
        #expect(
            Self.refusal([
                "read", "--tcp", "h", "--unit", "1", "--function", "holding", "--address", "0", "--type", "FLOAT32",
                "--order", "ABDC",
            ])
                == Refusal(
                    message: "Unknown --order 'ABDC': give one of AB, BA, ABCD, CDAB, BADC, DCBA, ABCDEFGH, HGFEDCBA, "
                        + "BADCFEHG, GHEFCDAB.",
                    exitCode: Self.usage))
    }
}
