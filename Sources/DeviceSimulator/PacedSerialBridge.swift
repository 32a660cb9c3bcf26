#if canImport(Glibc)
    import Glibc
#endif
import ShelterRuntime
import Synchronization

/// Serial line settings that decide a character's time on the wire.
public struct SerialLineSettings: Sendable, Hashable {
    /// Parity bit.
    public enum Parity: String, Sendable, Hashable {
        case none = "N"
        case even = "E"
        case odd = "O"
    }

    /// Baud rate, bits per second (e.g. 9600).
    public var baud: Int
    /// Parity. Default even (the Modbus RTU default, spec "MODBUS over serial line" V1.02 §2.5.1).
    public var parity: Parity
    /// Data bits, 7 or 8. Default 8.
    public var dataBits: Int
    /// Stop bits, 1 or 2. Default 1.
    public var stopBits: Int

    public init(baud: Int, parity: Parity = .even, dataBits: Int = 8, stopBits: Int = 1) {
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

/// A serial line with real character timing, made of two pty pairs and a relay thread per direction.
///
/// A pty pair alone ignores the baud rate (DESIGN §3): bytes cross it at memory speed. The bridge relays
/// bytes between the client's pty (`clientPath`, which the agent opens as its serial port) and the device's
/// pty (`devicePath`, which the simulator opens) one character at a time, each delivered when its last bit
/// would have arrived at the configured baud rate, with one shared wire (RS-485 is half duplex).
///
/// Thread-safe; `stop()` (or deinit) ends the relay threads and closes the ptys.
public final class PacedSerialBridge: Sendable {
    /// The path the client (the agent's RTU context) opens, e.g. `/dev/pts/7`.
    public let clientPath: String
    /// The path the simulated device opens.
    public let devicePath: String
    /// The line settings the bridge times characters by.
    public let settings: SerialLineSettings

    private let clientMaster: Int32
    private let deviceMaster: Int32
    private let heldSlaves: [Int32]
    private let state = Mutex(State())

    private struct State {
        var wireFreeAt: timespec = timespec()
        var isStopped = false
        var threadsRunning = 0
    }

    /// Creates both pty pairs and starts relaying.
    /// - Throws: `PtyError` when a pty cannot be created.
    public init(settings: SerialLineSettings) throws(PtyError) {
        self.settings = settings
        let client = try Self.openPty()
        let device = try Self.openPty()
        clientMaster = client.master
        deviceMaster = device.master
        clientPath = client.path
        devicePath = device.path
        heldSlaves = [client.slave, device.slave]
        startRelay(from: clientMaster, to: deviceMaster)
        startRelay(from: deviceMaster, to: clientMaster)
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
        for fd in [clientMaster, deviceMaster] + heldSlaves { close(fd) }
    }

    private func startRelay(from source: Int32, to sink: Int32) {
        state.withLock { $0.threadsRunning += 1 }
        DedicatedThread { [self] in
            relay(from: source, to: sink)
            state.withLock { $0.threadsRunning -= 1 }
        }
    }

    private func relay(from source: Int32, to sink: Int32) {
        let characterNanoseconds = Int64(settings.bitsPerCharacter) * 1_000_000_000 / Int64(max(settings.baud, 1))
        var buffer = [UInt8](repeating: 0, count: 512)
        while !state.withLock({ $0.isStopped }) {
            var pfd = pollfd(fd: source, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 100)
            guard ready > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            guard n > 0 else {
                if n < 0 && (errno == EAGAIN || errno == EINTR) { continue }
                usleep(10_000)  // EIO while no one has the slave open: wait for the next opener.
                continue
            }
            let readAt = Self.now()
            for i in 0..<n {
                // The character starts when both it has arrived and the wire is free; it is delivered when
                // its last bit is on the other side.
                let due = state.withLock { s in
                    let start = Self.later(readAt, s.wireFreeAt)
                    s.wireFreeAt = Self.adding(characterNanoseconds, to: start)
                    return s.wireFreeAt
                }
                var deadline = due
                while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nil) == EINTR {}
                var byte = buffer[i]
                _ = write(sink, &byte, 1)
            }
        }
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
