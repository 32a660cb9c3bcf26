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
        let bridge = try PacedSerialBridge(settings: .init(baud: 9600, parity: .even), unitIDs: [7])
        defer { bridge.stop() }
        let client = open(bridge.clientPath, O_RDWR | O_NOCTTY)
        let device = open(bridge.devicePaths[7] ?? "", O_RDWR | O_NOCTTY)
        try #require(client >= 0 && device >= 0)
        defer {
            close(client)
            close(device)
        }
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
