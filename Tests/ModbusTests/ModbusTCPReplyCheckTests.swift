import Glibc
import Modbus
import ModbusTestSupport
import Testing

/// Issue 12: a Modbus TCP reply is the answer to this request or it is nothing. Each case is a real loopback
/// socket whose server sends the bad reply; libmodbus 3.1.6 accepted the wrong unit id, a protocol id with one
/// zero byte, a wrong MBAP length, and left trailing bytes to answer the next request.
@Suite("Modbus TCP reply checks")
struct ModbusTCPReplyCheckTests {
    /// Reads one holding register at `address` of `unit` from a server that answers with `reply`.
    func read(
        unit: UInt8 = 1, address: UInt16 = 0, _ reply: @escaping @Sendable ([UInt8]) -> [UInt8]
    ) throws -> Result<[UInt16], ModbusError> {
        let server = try RawModbusTCPServer(reply: reply)
        defer { server.stop() }
        let context = try ModbusContext.tcp(host: "127.0.0.1", port: server.port)
        try context.setResponseTimeout(.seconds(2))
        try context.connect()
        try context.setUnitID(unit)
        return Result { () throws(ModbusError) in try context.readHoldingRegisters(startingAt: address, count: 1) }
    }

    @Test("a good reply is read")
    func good() throws {
        #expect(try read(RawModbusTCPServer.goodReply).get() == [1000])
    }

    @Test("a reply naming another unit id is refused")
    func wrongUnitID() throws {
        let result = try read(unit: 1) { request in
            var reply = RawModbusTCPServer.goodReply(to: request)
            reply[6] = 2
            return reply
        }
        #expect(throws: ModbusError.wrongUnitID) { try result.get() }
    }

    @Test(
        "a protocol id other than 0 is refused, also with one zero byte", arguments: [[0, 1], [1, 0], [0xFF, 0xFF]])
    func wrongProtocolID(protocolID: [UInt8]) throws {
        let result = try read { request in
            var reply = RawModbusTCPServer.goodReply(to: request)
            reply[2] = protocolID[0]
            reply[3] = protocolID[1]
            return reply
        }
        #expect(throws: ModbusError.wrongProtocolID) { try result.get() }
    }

    @Test("a transaction id other than the request's is refused")
    func wrongTransactionID() throws {
        let result = try read { request in
            var reply = RawModbusTCPServer.goodReply(to: request)
            reply[1] &+= 1
            return reply
        }
        #expect(throws: ModbusError.wrongTransactionID) { try result.get() }
    }

    @Test("a function code other than the request's is refused")
    func wrongFunction() throws {
        let result = try read { request in
            var reply = RawModbusTCPServer.goodReply(to: request)
            reply[7] = 4
            return reply
        }
        #expect(throws: ModbusError.wrongFunction) { try result.get() }
    }

    @Test("an MBAP length that does not match the reply is refused")
    func wrongLength() throws {
        let result = try read { request in
            var reply = RawModbusTCPServer.goodReply(to: request)
            reply[5] += 1
            return reply
        }
        #expect(throws: ModbusError.wrongLength) { try result.get() }
    }

    @Test("a byte count that does not match the request is refused")
    func wrongByteCount() throws {
        let result = try read { request in
            var reply = RawModbusTCPServer.goodReply(to: request)
            reply[8] = 4
            reply[5] += 2
            return reply + [0, 0]
        }
        #expect(throws: ModbusError.wrongLength) { try result.get() }
    }

    @Test("an exception reply carries its code")
    func exception() throws {
        let result = try read { request in [request[0], request[1], 0, 0, 0, 3, request[6], 0x83, 2] }
        #expect(throws: ModbusError.illegalDataAddress) { try result.get() }
    }

    @Test("a trailing byte makes the reply nothing and is drained: the next request gets its own answer")
    func trailingByteDoesNotPoisonTheNext() throws {
        let server = try RawModbusTCPServer { request in
            let reply = RawModbusTCPServer.goodReply(to: request)
            return request[6] == 1 ? reply + [0x42] : reply
        }
        defer { server.stop() }
        let context = try ModbusContext.tcp(host: "127.0.0.1", port: server.port)
        try context.setResponseTimeout(.seconds(2))
        try context.connect()
        try context.setUnitID(1)
        #expect(throws: ModbusError.trailingBytes) { try context.readHoldingRegisters(startingAt: 0, count: 1) }
        try context.setUnitID(2)
        #expect(try context.readHoldingRegisters(startingAt: 5, count: 2) == [1005, 1006])
        #expect(try context.readHoldingRegisters(startingAt: 7, count: 1) == [1007])
    }

    @Test("every reply check is bad data to the caller")
    func kinds() {
        for error in [
            ModbusError.wrongTransactionID, .wrongProtocolID, .wrongUnitID, .wrongFunction, .wrongLength,
            .trailingBytes,
        ] {
            #expect(error.kind == .badData, "\(error)")
            #expect(!error.description.isEmpty)
        }
    }

    /// CI run of stop 20: the test server's `stop()` shut down the descriptor number of its last client after
    /// that client's socket was closed; by then the number was another server's listener, which then refused
    /// every connection. Here the number is very likely reused the same way (the lowest free one); a parallel
    /// test may take it first, and then this test proves nothing that time but still cannot fail wrongly.
    @Test("stopping a test server never touches a descriptor it has closed, such as another server's listener")
    func stopLeavesAReusedDescriptorAlone() throws {
        let first = try RawModbusTCPServer(reply: RawModbusTCPServer.goodReply)
        do {
            let context = try ModbusContext.tcp(host: "127.0.0.1", port: first.port)
            try context.setResponseTimeout(.seconds(2))
            try context.connect()
            try context.setUnitID(1)
            #expect(try context.readHoldingRegisters(startingAt: 0, count: 1) == [1000])
            context.close()
        }
        // The first server's thread sees the end of the connection and closes its socket.
        usleep(200_000)
        let second = try RawModbusTCPServer(reply: RawModbusTCPServer.goodReply)
        defer { second.stop() }
        first.stop()
        let context = try ModbusContext.tcp(host: "127.0.0.1", port: second.port)
        try context.setResponseTimeout(.seconds(2))
        try context.connect()
        try context.setUnitID(1)
        #expect(try context.readHoldingRegisters(startingAt: 3, count: 1) == [1003])
    }
}
