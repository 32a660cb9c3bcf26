import ArgumentParser
import ShelterCore
import Testing

@testable import shelter_agent

@Suite("read and scan argument parsing")
struct CommandParsingTests {
    @Test("scan --units takes ranges and lists, without repeats")
    func units() throws {
        #expect(try ScanCommand.parseUnits("1-3") == [1, 2, 3])
        #expect(try ScanCommand.parseUnits("5, 1-2,2") == [5, 1, 2])
        #expect(try ScanCommand.parseUnits("247") == [247])
        for bad in ["0-248", "3-1", "x", "", "1-2-3"] {
            #expect(throws: ValidationError.self) { try ScanCommand.parseUnits(bad) }
        }
    }

    @Test("read refuses --count with --type, an order that does not fit, and BOOL on registers")
    func readValidation() throws {
        let base = ["read", "--tcp", "127.0.0.1:502", "--unit", "1", "--address", "0"]
        #expect(throws: (any Error).self) {
            try ShelterAgentCommand.parseAsRoot(base + ["--function", "holding", "--count", "2", "--type", "INT16"])
        }
        #expect(throws: (any Error).self) {
            try ShelterAgentCommand.parseAsRoot(base + ["--function", "holding", "--type", "INT64", "--order", "ABCD"])
        }
        #expect(throws: (any Error).self) {
            try ShelterAgentCommand.parseAsRoot(base + ["--function", "coil", "--type", "FLOAT32"])
        }
        #expect(throws: (any Error).self) {
            try ShelterAgentCommand.parseAsRoot(base + ["--function", "holding", "--count", "126"])
        }
        let read = try #require(
            try ShelterAgentCommand.parseAsRoot(
                base + ["--function", "input", "--type", "float64", "--order", "ghefcdab"])
                as? ReadCommand)
        let plan = try read.plan()
        #expect(plan.type == .float64)
        #expect(plan.order == .ghefcdab)
        #expect(plan.quantity == 4)
    }

    @Test("connection flags: exactly one of --tcp and --rtu, HOST:PORT with a port, serial ranges")
    func connection() throws {
        let tail = ["--unit", "1", "--function", "holding", "--address", "0"]
        #expect(throws: (any Error).self) { try ShelterAgentCommand.parseAsRoot(["read"] + tail) }
        #expect(throws: (any Error).self) {
            try ShelterAgentCommand.parseAsRoot(["read", "--tcp", "h:1", "--rtu", "/dev/ttyS0"] + tail)
        }
        #expect(throws: (any Error).self) { try ShelterAgentCommand.parseAsRoot(["read", "--tcp", "host"] + tail) }
        #expect(throws: (any Error).self) {
            try ShelterAgentCommand.parseAsRoot(["scan", "--rtu", "/dev/ttyS0", "--data-bits", "9"])
        }
        #expect(try ConnectionOptions.endpoint("[::1]:1502") == ("::1", 1502))
        let scan = try #require(
            try ShelterAgentCommand.parseAsRoot(["scan", "--rtu", "/dev/ttyS0", "--parity", "e", "--baud", "19200"])
                as? ScanCommand)
        #expect(scan.connection.parity == .even)
        #expect(scan.connection.responseTimeout(default: .milliseconds(200)) == .milliseconds(200))
        #expect(scan.function == .holdingRegister)
    }
}
