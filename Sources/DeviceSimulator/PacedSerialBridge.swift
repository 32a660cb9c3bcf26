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

    /// The RTU inter-frame silence t3.5 at these settings: 3.5 character times, fixed at 1.75 ms above 19200
    /// baud (Modbus over Serial Line V1.02 §2.5.1.1; the same rule as `SerialLine.t35`).
    public var interFrameSilence: Duration {
        baud > 19200 ? .microseconds(1750) : .nanoseconds(Int64(bitsPerCharacter) * 3_500_000_000 / Int64(max(baud, 1)))
    }
}

extension SerialLineSettings: CustomStringConvertible {
    /// As the site file and mbpoll write them: `9600 8E1`.
    public var description: String { "\(baud) \(dataBits)\(parity.rawValue)\(stopBits)" }
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
/// The line behaves like the one it simulates (issue 11 item 6):
/// - **Line settings.** A pty carries no bits, so a client at the wrong baud rate, parity or stop bits would be
///   answered. The bridge reads the settings the client set on its end of the pty (`tcgetattr` on the master
///   returns the slave's termios: speed, `CSTOPB`, `PARODD` and `INPCK` as the client set them; the Linux pty
///   driver clears `PARENB` and forces `CS8`, so parity is taken from `INPCK`, the input parity check that
///   libmodbus, mbpoll and pyserial set exactly when parity is E or O) and relays a request only when they
///   are `settings`; any other request takes its time on the wire and reaches no device, as a frame at the
///   wrong baud or parity fails a real device's UART and CRC checks. A real line may tolerate a mismatch of
///   stop bits alone (most UARTs check only the first stop bit); the bridge refuses it too, so a wrong
///   setting is found on the simulator rather than at the site. The pty starts at `settings` (a port keeps
///   what it was last set to), so a client that sets nothing is answered. Ignored requests are counted
///   (`ignoredRequestCount`, `lastIgnoredSettings`; the simulator's `status` shows them).
/// - **Silence before answering.** A device recognises the end of a request only after t3.5 of silence
///   (§2.5.1.1), so no reply starts earlier than t3.5 after the request's last character; with the client's own
///   t3.5 after each reply, a cycle takes what `WireTimeEstimate` says a real line takes.
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
        var ignoredRequests = 0
        var lastIgnoredSettings: SerialLineSettings?
    }

    /// Requests not relayed because the client's line settings were not `settings`.
    public var ignoredRequestCount: Int { state.withLock { $0.ignoredRequests } }

    /// The client's settings at the last request not relayed; `nil` when none was refused.
    public var lastIgnoredSettings: SerialLineSettings? { state.withLock { $0.lastIgnoredSettings } }

    /// The line settings the client has set on its end of the pty now (see the type's discussion for how
    /// parity is read); `nil` if they cannot be read. An unknown speed reads as baud 0.
    public var clientSettings: SerialLineSettings? {
        var attributes = termios()
        guard tcgetattr(clientMaster, &attributes) == 0 else { return nil }
        return Self.settings(of: attributes)
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
        Self.apply(settings, to: opened[0].slave)
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
            let client = clientSettings ?? settings
            let isHeard = client == settings
            if !isHeard {
                state.withLock { s in
                    s.ignoredRequests += 1
                    s.lastIgnoredSettings = client
                }
            }
            var frameStart = 0
            while frameStart < n {
                let length = Self.requestLength(buffer[frameStart..<n])
                let unit = buffer[frameStart]
                let targets = unit == 0 ? Array(deviceMasters.values) : deviceMasters[unit].map { [$0] } ?? []
                // A request at other settings is on the wire all the same, but no device makes sense of it.
                deliver(
                    buffer[frameStart..<frameStart + length], readAt: readAt, to: isHeard ? targets : [],
                    silenceAfter: settings.interFrameSilence)
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
            deliver(buffer[0..<n], readAt: Self.now(), to: [clientMaster], silenceAfter: .zero)
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
    /// written when its last bit would be on the other side. After the last one the wire stays silent for
    /// `silenceAfter` (a device's t3.5 before it answers).
    private func deliver(_ bytes: ArraySlice<UInt8>, readAt: timespec, to sinks: [Int32], silenceAfter: Duration) {
        let characterNanoseconds = Int64(settings.bitsPerCharacter) * 1_000_000_000 / Int64(max(settings.baud, 1))
        for var byte in bytes {
            var due = state.withLock { s in
                s.wireFreeAt = Self.adding(characterNanoseconds, to: Self.later(readAt, s.wireFreeAt))
                return s.wireFreeAt
            }
            while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, nil) == EINTR {}
            for sink in sinks { _ = write(sink, &byte, 1) }
        }
        let (seconds, attoseconds) = silenceAfter.components
        let silence = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        if silence > 0 { state.withLock { $0.wireFreeAt = Self.adding(silence, to: $0.wireFreeAt) } }
    }

    /// The speeds of `<termios.h>` this bridge knows, by baud rate.
    private static let speeds: [(baud: Int, speed: speed_t)] = [
        (1200, speed_t(B1200)), (2400, speed_t(B2400)), (4800, speed_t(B4800)), (9600, speed_t(B9600)),
        (19200, speed_t(B19200)), (38400, speed_t(B38400)), (57600, speed_t(B57600)), (115_200, speed_t(B115200)),
    ]

    /// The line settings a termios describes; parity from `PARENB` or `INPCK`, odd from `PARODD`.
    static func settings(of attributes: termios) -> SerialLineSettings {
        var attributes = attributes
        let speed = cfgetospeed(&attributes)
        let baud = speeds.first { $0.speed == speed }?.baud ?? 0
        let cflag = attributes.c_cflag
        let hasParity = cflag & tcflag_t(PARENB) != 0 || attributes.c_iflag & tcflag_t(INPCK) != 0
        let parity: SerialLine.Parity = hasParity ? (cflag & tcflag_t(PARODD) != 0 ? .odd : .even) : .none
        let dataBits: Int
        switch cflag & tcflag_t(CSIZE) {
        case tcflag_t(CS5): dataBits = 5
        case tcflag_t(CS6): dataBits = 6
        case tcflag_t(CS7): dataBits = 7
        default: dataBits = 8
        }
        return SerialLineSettings(
            baud: baud, parity: parity, dataBits: dataBits, stopBits: cflag & tcflag_t(CSTOPB) != 0 ? 2 : 1)
    }

    /// Sets `settings` on the pty `fd` as a serial client would (speed, parity with its input check, stop bits).
    private static func apply(_ settings: SerialLineSettings, to fd: Int32) {
        var attributes = termios()
        guard tcgetattr(fd, &attributes) == 0 else { return }
        if let speed = speeds.first(where: { $0.baud == settings.baud })?.speed {
            cfsetispeed(&attributes, speed)
            cfsetospeed(&attributes, speed)
        }
        attributes.c_cflag &= ~tcflag_t(PARENB | PARODD | CSTOPB)
        attributes.c_iflag &= ~tcflag_t(INPCK)
        if settings.parity != .none {
            attributes.c_cflag |= tcflag_t(PARENB)
            attributes.c_iflag |= tcflag_t(INPCK)
        }
        if settings.parity == .odd { attributes.c_cflag |= tcflag_t(PARODD) }
        if settings.stopBits == 2 { attributes.c_cflag |= tcflag_t(CSTOPB) }
        tcsetattr(fd, TCSANOW, &attributes)
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
