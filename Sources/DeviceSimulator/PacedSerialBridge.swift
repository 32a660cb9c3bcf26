#if canImport(Glibc)
    import Glibc
#endif
import Platform
public import ShelterCore
import Synchronization

/// Serial line settings that decide a character's time on the wire.
public struct SerialLineSettings: Sendable, Hashable {
    /// Baud rate, bits per second (e.g. 9600).
    public var baud: Int
    /// Parity. Default even (the Modbus RTU default, spec "MODBUS over serial line" V1.02 §2.5.1).
    public var parity: SerialLine.Parity
    /// Data bits, 7 or 8. Default 8.
    public var dataBits: Int
    /// Stop bits, 1 or 2. Default 1.
    public var stopBits: Int

    public init(baud: Int, parity: SerialLine.Parity = .even, dataBits: Int = 8, stopBits: Int = 1) {
        self.baud = baud
        self.parity = parity
        self.dataBits = dataBits
        self.stopBits = stopBits
    }

    /// Bits one character takes on the wire: start + data + parity + stop (11 at 8E1 and 8N2).
    public var bitsPerCharacter: Int { 1 + dataBits + (parity == .none ? 0 : 1) + stopBits }

    /// Time one character takes on the wire.
    public var characterTime: Duration { .nanoseconds(Int64(bitsPerCharacter) * 1_000_000_000 / Int64(max(baud, 1))) }
}

/// A serial line with real character timing: a pty for the client, a pty per device, and relay threads.
///
/// A pty pair alone ignores the baud rate (DESIGN §3): bytes cross it at memory speed. The bridge relays
/// bytes between the client's pty (`clientPath`, which the agent opens as its serial port) and each device's
/// pty (`devicePaths[unitID]`, which a simulated device opens), one character at a time, each delivered when
/// its last bit would have arrived at the configured baud rate, on one shared wire (RS-485 is half duplex).
/// A request goes to the device whose unit id it carries (unit 0, broadcast, to all), as on a real bus where
/// only the addressed device answers; a pty per device is needed because one libmodbus RTU server answers
/// one unit id only.
///
/// Thread-safe; `stop()` (or deinit) ends the relay threads and closes the ptys.
public final class PacedSerialBridge: Sendable {
    /// The path the client (the agent's RTU context) opens, e.g. `/dev/pts/7`.
    public let clientPath: String
    /// The path each simulated device opens, by unit id.
    public let devicePaths: [UInt8: String]
    /// The line settings the bridge times characters by.
    public let settings: SerialLineSettings

    private let clientMaster: Int32
    private let deviceMasters: [UInt8: Int32]
    private let heldSlaves: [Int32]
    private let state = Mutex(State())

    private struct State {
        var wireFreeAt: timespec = timespec()
        var isStopped = false
        var threadsRunning = 0
    }

    /// Creates the ptys (one for the client, one per unit id) and starts relaying.
    /// - Throws: `PtyError` when a pty cannot be created.
    public init(settings: SerialLineSettings, unitIDs: [UInt8]) throws(PtyError) {
        self.settings = settings
        var opened: [(master: Int32, slave: Int32, path: String)] = []
        do {
            for _ in 0...unitIDs.count { opened.append(try Self.openPty()) }
        } catch {
            for pty in opened {
                close(pty.master)
                close(pty.slave)
            }
            throw error
        }
        clientMaster = opened[0].master
        clientPath = opened[0].path
        let devices = Array(opened.dropFirst())
        deviceMasters = Dictionary(zip(unitIDs, devices.map(\.master))) { a, _ in a }
        devicePaths = Dictionary(zip(unitIDs, devices.map(\.path))) { a, _ in a }
        heldSlaves = opened.map(\.slave)
        startThread { $0.relayRequests() }
        startThread { $0.relayReplies() }
    }

    deinit { stop() }

    /// Stops the relay threads (within about 100 ms) and closes every descriptor. Idempotent.
    public func stop() {
        let first = state.withLock { s in
            defer { s.isStopped = true }
            return !s.isStopped
        }
        guard first else { return }
        while state.withLock({ $0.threadsRunning }) > 0 { usleep(5_000) }
        for fd in [clientMaster] + Array(deviceMasters.values) + heldSlaves { close(fd) }
    }

    private var isStopped: Bool { state.withLock { $0.isStopped } }

    private func startThread(_ body: @escaping @Sendable (PacedSerialBridge) -> Void) {
        state.withLock { $0.threadsRunning += 1 }
        PlatformThread.detach { [self] in
            body(self)
            state.withLock { $0.threadsRunning -= 1 }
        }
    }

    /// Client → devices: each request frame to the device with its unit id.
    private func relayRequests() {
        var buffer = [UInt8](repeating: 0, count: 512)
        while !isStopped {
            guard let n = readReady([clientMaster], into: &buffer).map(\.count) else { continue }
            let readAt = Self.now()
            var frameStart = 0
            while frameStart < n {
                let length = Self.requestLength(buffer[frameStart..<n])
                let unit = buffer[frameStart]
                let targets = unit == 0 ? Array(deviceMasters.values) : deviceMasters[unit].map { [$0] } ?? []
                deliver(buffer[frameStart..<frameStart + length], readAt: readAt, to: targets)
                frameStart += length
            }
        }
    }

    /// Devices → client.
    private func relayReplies() {
        var buffer = [UInt8](repeating: 0, count: 512)
        let masters = Array(deviceMasters.values)
        while !isStopped {
            guard let n = readReady(masters, into: &buffer).map(\.count) else { continue }
            deliver(buffer[0..<n], readAt: Self.now(), to: [clientMaster])
        }
    }

    /// Waits up to 100 ms for one of `descriptors` to be readable and reads it; `nil` if nothing was read.
    private func readReady(_ descriptors: [Int32], into buffer: inout [UInt8]) -> Range<Int>? {
        var fds = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        guard poll(&fds, nfds_t(fds.count), 100) > 0, let ready = fds.first(where: { $0.revents != 0 }) else {
            return nil
        }
        let n = buffer.withUnsafeMutableBytes { read(ready.fd, $0.baseAddress, $0.count) }
        guard n > 0 else {
            if n < 0 && errno != EAGAIN && errno != EINTR { usleep(10_000) }  // EIO: no opener yet
            return nil
        }
        return 0..<n
    }

    /// Sends `bytes` one character at a time: each starts when it has arrived and the wire is free, and is
    /// written when its last bit would be on the other side.
    private func deliver(_ bytes: ArraySlice<UInt8>, readAt: timespec, to sinks: [Int32]) {
        let characterNanoseconds = Int64(settings.bitsPerCharacter) * 1_000_000_000 / Int64(max(settings.baud, 1))
        for var byte in bytes {
            var due = state.withLock { s in
                s.wireFreeAt = Self.adding(characterNanoseconds, to: Self.later(readAt, s.wireFreeAt))
                return s.wireFreeAt
            }
            while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, nil) == EINTR {}
            for sink in sinks { _ = write(sink, &byte, 1) }
        }
    }

    /// The length of the RTU request frame at the start of `bytes` (Modbus Application Protocol V1.1b3 §6:
    /// unit, function, fields, CRC); the whole slice when the function is not one the simulator knows.
    static func requestLength(_ bytes: ArraySlice<UInt8>) -> Int {
        let b = Array(bytes)
        guard b.count >= 2 else { return b.count }
        let length: Int
        switch b[1] {
        case 1...6: length = 8
        case 15, 16: length = b.count >= 7 ? 9 + Int(b[6]) : b.count
        case 0x17: length = b.count >= 11 ? 13 + Int(b[10]) : b.count
        default: length = b.count
        }
        return min(max(length, 1), b.count)
    }

    private static func now() -> timespec {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return t
    }

    private static func later(_ a: timespec, _ b: timespec) -> timespec {
        (a.tv_sec, a.tv_nsec) >= (b.tv_sec, b.tv_nsec) ? a : b
    }

    private static func adding(_ nanoseconds: Int64, to t: timespec) -> timespec {
        let total = Int64(t.tv_nsec) + nanoseconds
        return timespec(tv_sec: t.tv_sec + Int(total / 1_000_000_000), tv_nsec: Int(total % 1_000_000_000))
    }

    // _IOW('T', 0x31, int) and _IOR('T', 0x30, unsigned int) from <asm-generic/ioctls.h>; function-like macros
    // do not import into Swift.
    private static let tiocsptlck: UInt = 0x4004_5431
    private static let tiocgptn: UInt = 0x8004_5430

    private static func openPty() throws(PtyError) -> (master: Int32, slave: Int32, path: String) {
        // posix_openpt/grantpt/unlockpt/ptsname_r need _XOPEN_SOURCE, which Swift's Glibc module does not
        // define; the Linux ioctls underneath them are TIOCSPTLCK (unlock) and TIOCGPTN (pts number).
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard master >= 0 else { throw PtyError(operation: "open /dev/ptmx", errno: errno) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(master, Self.tiocsptlck, &unlock) == 0, ioctl(master, Self.tiocgptn, &number) == 0 else {
            let e = errno
            close(master)
            throw PtyError(operation: "ioctl(TIOCSPTLCK/TIOCGPTN)", errno: e)
        }
        let path = "/dev/pts/\(number)"
        // Hold the slave open so the master never sees EIO between openers, and make it raw: no echo, no
        // line editing, no CR/LF translation.
        let slave = open(path, O_RDWR | O_NOCTTY)
        guard slave >= 0 else {
            let e = errno
            close(master)
            throw PtyError(operation: "open \(path)", errno: e)
        }
        for fd in [master, slave] {
            var attributes = termios()
            if tcgetattr(fd, &attributes) == 0 {
                cfmakeraw(&attributes)
                tcsetattr(fd, TCSANOW, &attributes)
            }
        }
        return (master, slave, path)
    }
}

/// A pty could not be created; `errno` is the C error number.
public struct PtyError: Error, Sendable, CustomStringConvertible {
    /// The C call that failed.
    public var operation: String
    /// The C error number.
    public var errno: Int32
    public var description: String { "\(operation) failed: \(String(cString: strerror(errno)))" }
}
