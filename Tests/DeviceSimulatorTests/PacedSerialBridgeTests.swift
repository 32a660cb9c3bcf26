import DeviceSimulator
import Glibc
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

    @Test("relays bytes both ways, no faster than the baud rate allows")
    func relaysAtBaud() throws {
        let bridge = try PacedSerialBridge(settings: .init(baud: 9600, parity: .even))
        defer { bridge.stop() }
        let client = open(bridge.clientPath, O_RDWR | O_NOCTTY)
        let device = open(bridge.devicePath, O_RDWR | O_NOCTTY)
        try #require(client >= 0 && device >= 0)
        defer {
            close(client)
            close(device)
        }
        let frame: [UInt8] = Array(0..<48)
        let clock = ContinuousClock()
        let started = clock.now
        _ = frame.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
        let received = readExactly(device, count: frame.count, deadline: started + .seconds(10))
        let elapsed = clock.now - started
        #expect(received == frame)
        // 48 characters × 1.146 ms = 55 ms on the wire; never less, generous slack above for a loaded machine.
        #expect(elapsed >= .milliseconds(55))
        print("48 bytes at 9600 8E1: \(elapsed) (wire time 55.0 ms)")
        let reply: [UInt8] = [1, 3, 2, 0, 42]
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
