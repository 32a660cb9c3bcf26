import Modbus
import ModbusTestSupport
import Testing

/// The client against a real libmodbus TCP server on 127.0.0.1, port 0.
@Suite("Modbus TCP client and server")
struct ModbusTCPTests {
    /// A loopback server with the sample mapping and a request log, plus a client for it.
    struct Fixture {
        let mapping: ModbusMapping
        let log = RequestLog()
        let server: ModbusTCPServer
        let client: TestModbusClient

        init(responseTimeout: Duration = .seconds(2)) throws {
            mapping = try makeSampleMapping()
            server = try ModbusTCPServer(mapping: mapping, hook: log.hook)
            let context = try ModbusContext.tcp(host: "127.0.0.1", port: server.port)
            try context.setResponseTimeout(responseTimeout)
            client = TestModbusClient(context: context)
        }
    }

    @Test("reads the four tables with the unit id set on every request")
    func readsTables() throws {
        let fixture = try Fixture()
        defer { fixture.server.stop() }
        let client = fixture.client
        #expect(try client.holding(10, count: 3, unit: 3) == [1010, 1011, 1012])
        #expect(try client.readRegisters(unitID: 4, from: .inputRegisters, startingAt: 199, count: 1) == [2199])
        #expect(try client.readBits(unitID: 5, from: .coils, startingAt: 0, count: 3) == [true, false, true])
        #expect(try client.readBits(unitID: 6, from: .discreteInputs, startingAt: 0, count: 3) == [false, true, false])
        #expect(
            fixture.log.requests == [
                ModbusRequest(unitID: 3, functionCode: 3, address: 10, count: 3),
                ModbusRequest(unitID: 4, functionCode: 4, address: 199, count: 1),
                ModbusRequest(unitID: 5, functionCode: 1, address: 0, count: 3),
                ModbusRequest(unitID: 6, functionCode: 2, address: 0, count: 3),
            ])
        #expect(fixture.server.connectionsAccepted == 1)
    }

    @Test("reads the largest block, 125 registers")
    func readsLargestBlock() throws {
        let fixture = try Fixture()
        defer { fixture.server.stop() }
        let values = try fixture.client.holding(75, count: 125)
        #expect(values == (75..<200).map { UInt16(1000 + $0) })
        #expect(throws: ModbusError.tooManyData) {
            try fixture.client.holding(0, count: 126)
        }
    }

    @Test("writes function codes 5, 6, 15 and 16 into the server's mapping")
    func writes() throws {
        let fixture = try Fixture()
        defer { fixture.server.stop() }
        try fixture.client.perform(unitID: 1) { context throws(ModbusError) in
            try context.writeCoil(at: 1, true)
            try context.writeRegister(at: 5, 0xBEEF)
            try context.writeCoils(startingAt: 10, [true, true, false])
            try context.writeRegisters(startingAt: 20, [1, 2, 3])
        }
        #expect(fixture.mapping.bits(in: .coils, startingAt: 1, count: 1) == [true])
        #expect(fixture.mapping.registers(in: .holdingRegisters, startingAt: 5, count: 1) == [0xBEEF])
        #expect(fixture.mapping.bits(in: .coils, startingAt: 10, count: 3) == [true, true, false])
        #expect(fixture.mapping.registers(in: .holdingRegisters, startingAt: 20, count: 3) == [1, 2, 3])
        #expect(fixture.log.requests.map(\.functionCode) == [5, 6, 15, 16])
        #expect(fixture.log.requests.map(\.count) == [1, 1, 3, 3])
    }

    @Test("an exception reply is an error naming the exception, and the link stays up")
    func exceptionReplies() throws {
        let fixture = try Fixture()
        defer { fixture.server.stop() }
        let client = fixture.client
        let error = #expect(throws: ModbusError.self) {
            try client.holding(190, count: 20)
        }
        #expect(error == .illegalDataAddress)
        #expect(error?.description == "illegal data address (exception 2)")
        fixture.log.inject(.busy, .exception(11))
        #expect(throws: ModbusError.serverDeviceBusy) {
            try client.holding(0)
        }
        let gateway = #expect(throws: ModbusError.self) {
            try client.holding(0)
        }
        #expect(gateway?.exceptionCode == 11)
        #expect(gateway?.kind == .exception)
        #expect(try client.holding(0) == [1000])
        #expect(client.connectCount == 1)
        #expect(fixture.server.connectionsAccepted == 1)
    }

    @Test("a device that never answers times out, and the next read works")
    func timeout() throws {
        let fixture = try Fixture(responseTimeout: .milliseconds(300))
        defer { fixture.server.stop() }
        fixture.log.inject(.noAnswer)
        let error = #expect(throws: ModbusError.self) {
            try fixture.client.holding(0)
        }
        #expect(error == .timedOut)
        #expect(error?.kind == .timeout)
        #expect(fixture.client.needsReconnect)
        try fixture.client.context.setResponseTimeout(.seconds(5))
        #expect(try fixture.client.holding(7) == [1007])
        #expect(fixture.client.connectCount == 2)
    }

    @Test("a late reply does not answer the next request: the client reconnects after the timeout")
    func lateReplyDoesNotDesynchronise() throws {
        let fixture = try Fixture(responseTimeout: .milliseconds(300))
        defer { fixture.server.stop() }
        fixture.log.inject(.replyLate(.seconds(1)))
        #expect(throws: ModbusError.timedOut) {
            try fixture.client.holding(0)
        }
        try fixture.client.context.setResponseTimeout(.seconds(5))
        // The late reply (1000, for address 0) must not be taken for the answer to address 1 or 2.
        #expect(try fixture.client.holding(1) == [1001])
        #expect(try fixture.client.holding(2) == [1002])
    }

    @Test(
        "without reconnecting, a late reply answers the next read and is refused (why the agent reconnects, DESIGN §3)")
    func lateReplyPoisonsARawContext() throws {
        let mapping = try makeSampleMapping()
        let log = RequestLog()
        let server = try ModbusTCPServer(mapping: mapping, hook: log.hook)
        defer { server.stop() }
        let context = try ModbusContext.tcp(host: "127.0.0.1", port: server.port)
        try context.setResponseTimeout(.milliseconds(300))
        try context.connect()
        try context.setUnitID(1)
        log.inject(.replyLate(.milliseconds(600)))
        #expect(throws: ModbusError.timedOut) { try context.readHoldingRegisters(startingAt: 0, count: 1) }
        try context.setResponseTimeout(.seconds(5))
        // The next request gets the late reply to the previous one: refused for its transaction id (and drained).
        #expect(throws: ModbusError.wrongTransactionID) { try context.readHoldingRegisters(startingAt: 1, count: 1) }
    }

    @Test("junk bytes are bad data, and the client recovers on a new connection")
    func junk() throws {
        let fixture = try Fixture()
        defer { fixture.server.stop() }
        // A well-formed reply with a transaction id the client never used.
        fixture.log.inject(.junk([0xFF, 0xFF, 0x00, 0x00, 0x00, 0x05, 0x01, 0x03, 0x02, 0x12, 0x34]))
        let error = #expect(throws: ModbusError.self) {
            try fixture.client.holding(0)
        }
        #expect(error?.kind == .badData)
        #expect(try fixture.client.holding(3) == [1003])
        #expect(fixture.client.connectCount == 2)
    }

    @Test("a dropped connection is a lost link; the next read reconnects")
    func droppedConnection() throws {
        let fixture = try Fixture()
        defer { fixture.server.stop() }
        fixture.log.inject(.dropConnection)
        let error = #expect(throws: ModbusError.self) {
            try fixture.client.holding(0)
        }
        #expect(error?.kind == .linkLost)
        #expect(try fixture.client.holding(4) == [1004])
        #expect(fixture.server.connectionsAccepted == 2)
    }

    @Test("a server restart is recovered without restarting the client")
    func serverRestart() throws {
        let mapping = try makeSampleMapping()
        let first = try ModbusTCPServer(mapping: mapping)
        let port = first.port
        let context = try ModbusContext.tcp(host: "127.0.0.1", port: port)
        try context.setResponseTimeout(.seconds(5))
        let client = TestModbusClient(context: context)
        #expect(try client.holding(0) == [1000])
        first.stop()

        // Down: the open connection is gone, then nobody listens.
        let whileDown = #expect(throws: ModbusError.self) {
            try client.holding(0)
        }
        #expect(whileDown?.kind == .linkLost)
        #expect(throws: ModbusError.connectionRefused) {
            try client.holding(0)
        }

        // Back on the same port, with new values.
        try mapping.setRegisters([4242], in: .holdingRegisters, startingAt: 0)
        let second = try ModbusTCPServer(port: port, mapping: mapping)
        defer { second.stop() }
        #expect(try client.holding(0) == [4242])
        #expect(second.connectionsAccepted == 1)
    }

    @Test("several clients are served at once")
    func severalClients() throws {
        let fixture = try Fixture()
        defer { fixture.server.stop() }
        let others = try (0..<3).map { _ in
            let context = try ModbusContext.tcp(host: "127.0.0.1", port: fixture.server.port)
            try context.setResponseTimeout(.seconds(5))
            let client = TestModbusClient(context: context)
            try client.connectIfNeeded()
            return client
        }
        for (index, client) in others.enumerated() {
            #expect(try client.holding(UInt16(index)) == [UInt16(1000 + index)])
        }
        #expect(fixture.server.connectionsAccepted == 3)
    }

    @Test("a connection to a closed port fails as a lost link")
    func connectionRefused() throws {
        let server = try ModbusTCPServer(mapping: try makeSampleMapping())
        let port = server.port
        server.stop()
        let client = TestModbusClient(context: try .tcp(host: "127.0.0.1", port: port))
        let error = #expect(throws: ModbusError.self) { try client.connectIfNeeded() }
        #expect(error == .connectionRefused)
        #expect(error?.kind == .linkLost)
    }

    @Test("a hook can answer each unit id from its own mapping, as a gateway does")
    func replyFromPerUnitMapping() throws {
        let other = try ModbusMapping(holdingRegisters: 500..<502)
        try other.setRegisters([77, 78], in: .holdingRegisters, startingAt: 500)
        let server = try ModbusTCPServer(mapping: try makeSampleMapping()) { request in
            request.unitID == 2 ? .replyFrom(other) : .reply
        }
        defer { server.stop() }
        let client = TestModbusClient(context: try .tcp(host: "127.0.0.1", port: server.port))
        try client.context.setResponseTimeout(.seconds(5))
        #expect(try client.holding(500, count: 2, unit: 2) == [77, 78])
        #expect(try client.holding(0, unit: 1) == [1000])
        #expect(throws: ModbusError.illegalDataAddress) { try client.holding(0, unit: 2) }
    }
}
