import Glibc
import Modbus
import ModbusTestSupport
import Testing

/// The client against a real libmodbus RTU server over a socat pty pair.
@Suite("Modbus RTU over a pty pair")
struct ModbusRTUTests {
    struct Fixture {
        let ptys: SocatPtyPair
        let mapping: ModbusMapping
        let log = RequestLog()
        let server: ModbusRTUServer
        let client: TestModbusClient

        init(responseTimeout: Duration = .seconds(2)) throws {
            ptys = try SocatPtyPair()
            mapping = try makeSampleMapping()
            server = try ModbusRTUServer(
                device: ptys.first, baud: 19200, parity: .even, unitIDs: [7, 9], mapping: mapping, hook: log.hook)
            let context = try ModbusContext.rtu(device: ptys.second, baud: 19200, parity: .even)
            try context.setResponseTimeout(responseTimeout)
            client = TestModbusClient(context: context)
            try client.connectIfNeeded()
        }

        func stop() {
            server.stop()
            ptys.stop()
        }
    }

    @Test("reads and writes over RTU, for every unit id the server answers")
    func readsAndWrites() throws {
        let fixture = try Fixture()
        defer { fixture.stop() }
        #expect(try fixture.client.holding(3, count: 2, unit: 7) == [1003, 1004])
        #expect(try fixture.client.holding(5, unit: 9) == [1005])
        #expect(
            try fixture.client.readBits(unitID: 9, from: .discreteInputs, startingAt: 1, count: 2) == [true, false])
        try fixture.client.perform(unitID: 9) { context throws(ModbusError) in
            try context.writeRegisters(startingAt: 50, [0x1234, 0x5678])
        }
        #expect(fixture.mapping.registers(in: .holdingRegisters, startingAt: 50, count: 2) == [0x1234, 0x5678])
        #expect(fixture.log.requests.map(\.unitID) == [7, 9, 9, 9])
    }

    @Test("RS-485 mode on a pty is a warning (ENOTTY), not an error")
    func serialModeOnPty() throws {
        let fixture = try Fixture()
        defer { fixture.stop() }
        #expect(try fixture.client.context.setSerialMode(.rs485) == .unsupported(.notATerminal))
        #expect(try fixture.client.holding(0, unit: 7) == [1000])
    }

    @Test("a port another context holds is refused without touching its settings; free again after close")
    func portInUse() throws {
        let fixture = try Fixture()
        defer { fixture.stop() }
        // A `read` with another parity and baud rate on the running agent's port used to reset its termios.
        let intruder = try ModbusContext.rtu(device: fixture.ptys.second, baud: 9600, parity: .none)
        #expect(throws: ModbusError.portInUse) { try intruder.connect() }
        #expect(intruder.isConnected == false)
        #expect(ModbusError.portInUse.kind == .linkLost)
        #expect(ModbusError.portInUse.description.contains("in use by another process"))
        #expect(try fixture.client.holding(3, count: 2, unit: 7) == [1003, 1004])
        fixture.client.context.close()
        let next = try ModbusContext.rtu(device: fixture.ptys.second, baud: 19200, parity: .even)
        try next.setResponseTimeout(.seconds(2))
        try next.connect()
        try next.setUnitID(7)
        #expect(try next.readHoldingRegisters(startingAt: 0, count: 1) == [1000])
    }

    @Test("exception replies over RTU")
    func exceptions() throws {
        let fixture = try Fixture()
        defer { fixture.stop() }
        #expect(throws: ModbusError.illegalDataAddress) { try fixture.client.holding(199, count: 2, unit: 7) }
        fixture.log.inject(.busy)
        #expect(throws: ModbusError.serverDeviceBusy) { try fixture.client.holding(0, unit: 7) }
    }

    @Test("a unit id nobody answers times out; the bus then still works")
    func absentUnitTimesOut() throws {
        let fixture = try Fixture(responseTimeout: .milliseconds(300))
        defer { fixture.stop() }
        #expect(throws: ModbusError.timedOut) { try fixture.client.holding(0, unit: 8) }
        try fixture.client.context.setResponseTimeout(.seconds(5))
        #expect(try fixture.client.holding(1, unit: 7) == [1001])
    }

    @Test("a late reply is flushed away before the next request")
    func lateReplyIsFlushed() throws {
        // The reply comes 200 ms after the timeout; the client waits a whole timeout (1 s) before flushing.
        let fixture = try Fixture(responseTimeout: .seconds(1))
        defer { fixture.stop() }
        fixture.log.inject(.replyLate(.milliseconds(1200)))
        #expect(throws: ModbusError.timedOut) { try fixture.client.holding(0, unit: 7) }
        // The client waited one response timeout and flushed: the late reply (1000) is gone.
        try fixture.client.context.setResponseTimeout(.seconds(5))
        #expect(try fixture.client.holding(2, unit: 7) == [1002])
    }

    @Test("junk on the line is bad data, and the next read works")
    func junk() throws {
        let fixture = try Fixture()
        defer { fixture.stop() }
        // Unit 7, function 3, 2 bytes, wrong CRC.
        fixture.log.inject(.junk([0x07, 0x03, 0x02, 0x12, 0x34, 0x00, 0x00]))
        let error = #expect(throws: ModbusError.self) { try fixture.client.holding(0, unit: 7) }
        #expect(error?.kind == .badData)
        #expect(try fixture.client.holding(6, unit: 7) == [1006])
    }

    /// Issue 12: after a crash, an RS-485 bus on a pty with parity E never reopened (`tcsetattr` EINVAL): a process
    /// killed while it held the port leaves libmodbus's settings, and the pty keeps `INPCK` (it drops `PARENB`).
    @Test(
        "a port left with parity checking on by a crashed process reopens",
        arguments: [
            ModbusContext.Parity.even, .odd, .none,
        ])
    func reopensAfterCrash(parity: ModbusContext.Parity) throws {
        let ptys = try SocatPtyPair()
        defer { ptys.stop() }
        let leftOver = open(ptys.second, O_RDWR | O_NOCTTY | O_NONBLOCK)
        try #require(leftOver >= 0)
        // What libmodbus sets for 8E1 (and a killed process never restores): a zeroed termios with the speed,
        // CREAD | CLOCAL | CS8 | PARENB and INPCK. The pty drops PARENB and keeps the rest.
        var settings = termios()
        cfsetispeed(&settings, speed_t(B19200))
        cfsetospeed(&settings, speed_t(B19200))
        settings.c_cflag |= tcflag_t(CREAD) | tcflag_t(CLOCAL) | tcflag_t(CS8) | tcflag_t(PARENB)
        settings.c_iflag |= tcflag_t(INPCK)
        try #require(tcsetattr(leftOver, TCSANOW, &settings) == 0)
        close(leftOver)
        let server = try ModbusRTUServer(
            device: ptys.first, baud: 19200, parity: parity, unitIDs: [7], mapping: try makeSampleMapping())
        defer { server.stop() }
        let context = try ModbusContext.rtu(device: ptys.second, baud: 19200, parity: parity)
        try context.setResponseTimeout(.seconds(2))
        try context.connect()
        try context.setUnitID(7)
        #expect(try context.readHoldingRegisters(startingAt: 3, count: 2) == [1003, 1004])
        // And again, as the agent does on every reopen.
        context.close()
        try context.connect()
        #expect(try context.readHoldingRegisters(startingAt: 5, count: 1) == [1005])
    }
}
