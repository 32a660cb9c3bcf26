import DeviceSimulator
import Glibc
import ShelterCore
import Testing

@Suite("PacedSerialBridge")
struct PacedSerialBridgeTests {
    @Test("8E1 is 11 bits a character: 1.146 ms at 9600 baud")
    func characterTime() {
        let s = SerialLineSettings(baud: 9600, parity: .even)
        #expect(s.bitsPerCharacter == 11)
        #expect(s.characterTime == .nanoseconds(1_145_833))
        #expect(SerialLineSettings(baud: 19200, parity: .none, stopBits: 1).bitsPerCharacter == 10)
    }

    @Test("relays frames to the addressed unit and back, no faster than the baud rate allows")
    func relaysAtBaud() throws {
        let line = try Line(settings: .init(baud: 9600, parity: .even))
        defer { withExtendedLifetime(line) {} }
        let (client, device) = (line.client, line.device)
        let frame: [UInt8] = [7, 16, 0, 0, 0, 19, 38] + Array(0..<40)  // FC16, 38 data bytes: 47 + CRC-sized tail
        let clock = ContinuousClock()
        let started = clock.now
        _ = frame.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
        let received = readExactly(device, count: frame.count, deadline: started + .seconds(10))
        let elapsed = clock.now - started
        #expect(received == frame)
        // 47 characters × 1.146 ms = 53.9 ms on the wire: never less.
        #expect(elapsed >= .microseconds(53_800))
        print("47 bytes at 9600 8E1: \(elapsed) (wire time 53.9 ms)")
        // A request for unit 9 does not reach unit 7's pty.
        let other: [UInt8] = [9, 3, 0, 0, 0, 1, 0xAA, 0xBB]
        _ = other.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
        #expect(readExactly(device, count: 1, deadline: clock.now + .milliseconds(300)).isEmpty)
        let reply: [UInt8] = [7, 3, 2, 0, 42]
        _ = reply.withUnsafeBytes { write(device, $0.baseAddress, $0.count) }
        #expect(readExactly(client, count: reply.count, deadline: clock.now + .seconds(10)) == reply)
    }

    /// A bridge for unit 7 with the client's and the device's ends open; closed and stopped when released.
    final class Line {
        let bridge: PacedSerialBridge
        let client: Int32
        let device: Int32

        init(settings: SerialLineSettings) throws {
            bridge = try PacedSerialBridge(settings: settings, unitIDs: [7])
            client = open(bridge.clientPath, O_RDWR | O_NOCTTY)
            device = open(bridge.devicePaths[7] ?? "", O_RDWR | O_NOCTTY)
            try #require(client >= 0 && device >= 0)
        }

        deinit {
            if client >= 0 { close(client) }
            if device >= 0 { close(device) }
            bridge.stop()
        }
    }

    /// Sets the line settings on the client's end of the pty as a serial client (libmodbus) does: speed,
    /// parity (`PARENB`, `PARODD` and the input check `INPCK`), stop bits, 8 data bits.
    func configure(_ fd: Int32, baud: speed_t, parity: Character, stopBits: Int) {
        var t = termios()
        tcgetattr(fd, &t)
        cfmakeraw(&t)
        cfsetispeed(&t, baud)
        cfsetospeed(&t, baud)
        t.c_cflag &= ~tcflag_t(PARENB | PARODD | CSTOPB | CSIZE)
        t.c_cflag |= tcflag_t(CS8 | CREAD | CLOCAL)
        t.c_iflag &= ~tcflag_t(INPCK)
        if parity != "N" {
            t.c_cflag |= tcflag_t(PARENB)
            t.c_iflag |= tcflag_t(INPCK)
        }
        if parity == "O" { t.c_cflag |= tcflag_t(PARODD) }
        if stopBits == 2 { t.c_cflag |= tcflag_t(CSTOPB) }
        tcsetattr(fd, TCSANOW, &t)
    }

    @Test(
        "a request at the wrong baud, parity or stop bits reaches no device (scan --parity O --stop-bits 2 found every unit)"
    )
    func wrongLineSettingsGetNoAnswer() throws {
        let line = try Line(settings: .init(baud: 9600, parity: .even))
        defer { withExtendedLifetime(line) {} }
        let (bridge, client, device) = (line.bridge, line.client, line.device)
        // The pty starts at the bus's settings, as a port keeps what it was last set to.
        #expect(bridge.clientSettings == SerialLineSettings(baud: 9600, parity: .even))
        let request: [UInt8] = [7, 3, 0, 0, 0, 1, 0x84, 0x6C]
        let clock = ContinuousClock()
        let wrong: [(speed_t, Character, Int, String)] = [
            (speed_t(B9600), "O", 2, "9600 8O2"), (speed_t(B9600), "E", 2, "9600 8E2"),
            (speed_t(B9600), "N", 1, "9600 8N1"), (speed_t(B9600), "O", 1, "9600 8O1"),
            (speed_t(B19200), "E", 1, "19200 8E1"),
        ]
        for (index, (baud, parity, stopBits, text)) in wrong.enumerated() {
            configure(client, baud: baud, parity: parity, stopBits: stopBits)
            #expect(bridge.clientSettings?.description == text)
            _ = request.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            #expect(readExactly(device, count: 1, deadline: clock.now + .milliseconds(150)).isEmpty, "\(text)")
            #expect(bridge.ignoredRequestCount == index + 1)
            #expect(bridge.lastIgnoredSettings?.description == text)
        }
        configure(client, baud: speed_t(B9600), parity: "E", stopBits: 1)
        _ = request.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
        #expect(readExactly(device, count: request.count, deadline: clock.now + .seconds(5)) == request)
        #expect(bridge.ignoredRequestCount == wrong.count)
    }

    @Test("a simulated device keeps the 3.5-character silence (t3.5) before its answer goes on the wire")
    func silenceBeforeAnswering() throws {
        let settings = SerialLineSettings(baud: 9600, parity: .even)
        #expect(settings.interFrameSilence == .nanoseconds(4_010_416))
        #expect(SerialLineSettings(baud: 38400, parity: .even).interFrameSilence == .microseconds(1750))
        let line = try Line(settings: settings)
        defer { withExtendedLifetime(line) {} }
        let (client, device) = (line.client, line.device)
        let request: [UInt8] = [7, 3, 0, 0, 0, 1, 0x84, 0x6C]
        let reply: [UInt8] = [7, 3, 2, 0, 42, 0x00, 0x00]
        let clock = ContinuousClock()
        var fastest = Duration.seconds(60)
        for _ in 0..<5 {
            let started = clock.now
            _ = request.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            #expect(readExactly(device, count: request.count, deadline: started + .seconds(5)) == request)
            // The device answers at once; the bridge holds the reply back for t3.5 after the request.
            _ = reply.withUnsafeBytes { write(device, $0.baseAddress, $0.count) }
            #expect(readExactly(client, count: reply.count, deadline: started + .seconds(5)) == reply)
            fastest = min(fastest, clock.now - started)
            pauseMilliseconds(10)
        }
        // 8 + 7 characters at 1.146 ms and t3.5 of 4.01 ms: 21.2 ms at the least (17.2 ms without the silence).
        let floor = settings.characterTime * 15 + settings.interFrameSilence
        #expect(fastest >= floor, "\(fastest) < \(floor)")
        print("request + t3.5 + reply at 9600 8E1: fastest \(fastest) (floor \(floor))")
    }

    func pauseMilliseconds(_ milliseconds: Int) {
        var request = timespec(tv_sec: 0, tv_nsec: milliseconds * 1_000_000)
        nanosleep(&request, nil)
    }

    func readExactly(_ fd: Int32, count: Int, deadline: ContinuousClock.Instant) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while out.count < count && ContinuousClock.now < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 100) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { out += buffer[0..<n] }
        }
        return out
    }
}
