internal import CModbus
internal import Glibc

/// One libmodbus context (`modbus_t`): a Modbus TCP connection or an RTU serial port, used as a client.
///
/// Not thread-safe and not `Sendable`: a context is owned by one caller on one thread (a bus worker), and every
/// call blocks that thread. Frees the C context in `deinit`. Error recovery is fixed at
/// `MODBUS_ERROR_RECOVERY_NONE` (DESIGN §3: `…_LINK` blocks forever while a device is down); the
/// close/reconnect/flush policy is the caller's (the agent's is `ShelterCore.ReconnectStateMachine`).
public final class ModbusContext {
    /// How the context reaches its devices.
    public enum Transport: Sendable, Hashable {
        /// Modbus TCP to `host:port`.
        case tcp(host: String, port: Int)
        /// Modbus RTU on a serial device.
        case rtu(device: String)

        /// Whether this is Modbus TCP.
        public var isTCP: Bool { if case .tcp = self { true } else { false } }
    }

    /// Serial parity.
    public enum Parity: Character, Sendable, Hashable, CaseIterable {
        /// No parity bit (`'N'`).
        case none = "N"
        /// Even parity (`'E'`).
        case even = "E"
        /// Odd parity (`'O'`).
        case odd = "O"
    }

    /// Serial line mode of an RTU port.
    public enum SerialMode: Int32, Sendable, Hashable {
        /// RS-232 (`MODBUS_RTU_RS232`).
        case rs232 = 0
        /// RS-485 with the kernel driving the transmitter (`MODBUS_RTU_RS485`).
        case rs485 = 1
    }

    /// The result of a setting the port may not support.
    public enum SettingOutcome: Sendable, Hashable {
        /// The setting took effect.
        case applied
        /// The port does not support it (e.g. `ENOTTY` for RS-485 on a pty): a warning, not a failure.
        case unsupported(ModbusError)
    }

    let pointer: OpaquePointer
    /// Where this context connects.
    public let transport: Transport
    /// Whether `connect()` succeeded and `close()` has not been called since.
    public private(set) var isConnected = false
    /// The response timeout last set. The default is 500 milliseconds (libmodbus's default).
    public private(set) var responseTimeout: Duration = .milliseconds(500)
    /// The unit id last set (255, the TCP default, until `setUnitID(_:)`).
    public private(set) var unitID: UInt8 = 0xFF
    /// The MBAP transaction id of the last checked TCP request.
    var transactionID: UInt16 = 0
    /// Where the checked TCP read frames each request and receives each reply (`MODBUS_TCP_MAX_ADU_LENGTH`
    /// bytes, what `modbus_receive_confirmation` may write): made once, not per request.
    let replyBuffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: Int(MODBUS_TCP_MAX_ADU_LENGTH))
    /// Whether bytes may be waiting on the connection: `false` only after a checked TCP reply with nothing
    /// after it, until the next request.
    var mayHavePendingBytes = true

    init(pointer: OpaquePointer, transport: Transport) throws(ModbusError) {
        self.pointer = pointer
        self.transport = transport
        _ = try valueOrErrno(modbus_set_error_recovery(pointer, MODBUS_ERROR_RECOVERY_NONE))
    }

    deinit {
        modbus_close(pointer)
        modbus_free(pointer)
        replyBuffer.deallocate()
    }

    /// A Modbus TCP client context for `host` (name or address, IPv4 or IPv6) and `port` (1...65535, usually
    /// 502). Does not connect.
    ///
    /// - Throws: `ModbusError` (`ENOMEM`, `EINVAL`) if libmodbus cannot create the context.
    /// The corresponding C function is `modbus_new_tcp_pi`.
    public static func tcp(host: String, port: Int) throws(ModbusError) -> ModbusContext {
        guard let pointer = modbus_new_tcp_pi(host, String(port)) else { throw ModbusError(rawValue: errno) }
        return try ModbusContext(pointer: pointer, transport: .tcp(host: host, port: port))
    }

    /// A Modbus RTU context on a serial `device` (e.g. `/dev/ttyUSB0`). Does not open the port.
    /// - Parameters:
    ///   - baud: bits per second, e.g. 9600 or 19200. The default is 9600.
    ///   - parity: the default is `.none`.
    ///   - dataBits: 5...8. The default is 8.
    ///   - stopBits: 1 or 2. The default is 1.
    /// - Throws: `ModbusError.invalidArgument` for a value libmodbus rejects.
    /// The corresponding C function is `modbus_new_rtu`.
    public static func rtu(
        device: String, baud: Int = 9600, parity: Parity = .none, dataBits: Int = 8, stopBits: Int = 1
    ) throws(ModbusError) -> ModbusContext {
        guard (5...8).contains(dataBits), (1...2).contains(stopBits), baud > 0, let baud32 = Int32(exactly: baud),
            let parityByte = parity.rawValue.asciiValue
        else { throw .invalidArgument }
        guard let pointer = modbus_new_rtu(device, baud32, CChar(parityByte), Int32(dataBits), Int32(stopBits))
        else { throw ModbusError(rawValue: errno) }
        return try ModbusContext(pointer: pointer, transport: .rtu(device: device))
    }

    /// Connects the TCP socket or opens the serial port.
    /// - Throws: `ModbusError` with kind `.linkLost` (`ECONNREFUSED`, `ENOENT`, …) or `.timeout`.
    /// The corresponding C function is `modbus_connect`.
    ///
    /// On RTU the port's termios state is reset to raw first (`resetSerialPort`): libmodbus starts from whatever
    /// state the port was left in, and after a crash a pty keeps `INPCK` without `PARENB`, so every later open
    /// with parity E or O failed with `EINVAL` (issue 12). The port is opened the same way, pty or UART.
    ///
    /// An RTU port is held with an exclusive `flock` while connected, and a port another context holds (the
    /// running agent, a `read` or `scan`) is refused with `ModbusError.portInUse` before its line settings are
    /// touched: a second opener with another parity or baud rate used to change the settings under the agent's
    /// feet and take its bus down. The lock is advisory: it keeps our own programs apart, not others.
    public func connect() throws(ModbusError) {
        if isConnected { close() }
        if case .rtu(let device) = transport { try Self.resetSerialPort(device) }
        mayHavePendingBytes = true
        _ = try valueOrErrno(modbus_connect(pointer))
        if case .rtu = transport, flock(fileDescriptor, LOCK_EX | LOCK_NB) != 0 {
            modbus_close(pointer)
            throw .portInUse
        }
        isConnected = true
    }

    /// Puts the serial port at `path` into raw mode with no parity checking, no flow control and the receiver
    /// on, so libmodbus's `tcsetattr` starts from a known state. Does nothing when the port cannot be opened
    /// (`modbus_connect` then reports why).
    /// - Throws: `ModbusError.portInUse` when another process holds the port's lock; its settings are left alone.
    static func resetSerialPort(_ path: String) throws(ModbusError) {
        let descriptor = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { Glibc.close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { throw .portInUse }
        var settings = termios()
        guard tcgetattr(descriptor, &settings) == 0 else { return }
        cfmakeraw(&settings)
        let input = [INPCK, PARMRK, IGNPAR, ISTRIP, IXON, IXOFF, IXANY].map { tcflag_t(truncatingIfNeeded: $0) }
        let control = [
            tcflag_t(PARENB), tcflag_t(PARODD), tcflag_t(CSTOPB), tcflag_t(truncatingIfNeeded: CMSPAR),
            tcflag_t(truncatingIfNeeded: CRTSCTS),
        ]
        for flag in input { settings.c_iflag &= ~flag }
        for flag in control { settings.c_cflag &= ~flag }
        settings.c_cflag |= tcflag_t(CLOCAL) | tcflag_t(CREAD)
        _ = tcsetattr(descriptor, TCSANOW, &settings)
    }

    /// Closes the socket or serial port; the context can connect again. The corresponding C function is
    /// `modbus_close`.
    public func close() {
        modbus_close(pointer)
        isConnected = false
        mayHavePendingBytes = true
    }

    /// Discards bytes received but not read yet (a late reply, line noise). Returns how many were dropped.
    /// The corresponding C function is `modbus_flush`.
    @discardableResult
    public func flush() throws(ModbusError) -> Int {
        Int(try valueOrErrno(modbus_flush(pointer)))
    }

    /// Sets the unit id (0...247; 255 is the TCP "no unit" default) the next requests go to. Set it before every
    /// request: the default on TCP is 0xFF, which many gateways reject (DESIGN §3).
    /// The corresponding C function is `modbus_set_slave`.
    public func setUnitID(_ unitID: UInt8) throws(ModbusError) {
        _ = try valueOrErrno(modbus_set_slave(pointer, Int32(unitID)))
        self.unitID = unitID
    }

    /// Sets how long to wait for the first byte of a reply. Must be positive. The default is 500 ms.
    /// The corresponding C function is `modbus_set_response_timeout`.
    public func setResponseTimeout(_ timeout: Duration) throws(ModbusError) {
        let (seconds, microseconds) = try Self.split(timeout)
        _ = try valueOrErrno(modbus_set_response_timeout(pointer, seconds, microseconds))
        responseTimeout = timeout
    }

    /// Sets how long to wait between two bytes of one reply; `.zero` disables the check. The default is 500 ms.
    /// The corresponding C function is `modbus_set_byte_timeout`.
    public func setByteTimeout(_ timeout: Duration) throws(ModbusError) {
        let (seconds, microseconds) = try Self.split(timeout)
        _ = try valueOrErrno(modbus_set_byte_timeout(pointer, seconds, microseconds))
    }

    /// Sets RS-232 or RS-485 mode on an open RTU port (call after `connect()`).
    /// - Returns: `.unsupported(error)` when the port refuses the ioctl (`ENOTTY` on a pty or USB adapter
    ///   without RS-485 support): a warning to log, the port stays usable.
    /// - Throws: other errors (`EINVAL` on a TCP context, `EBADF` when not connected).
    /// The corresponding C function is `modbus_rtu_set_serial_mode`.
    @discardableResult
    public func setSerialMode(_ mode: SerialMode) throws(ModbusError) -> SettingOutcome {
        if modbus_rtu_set_serial_mode(pointer, mode.rawValue) == -1 {
            let error = ModbusError(rawValue: errno)
            if error == .notATerminal { return .unsupported(error) }
            throw error
        }
        return .applied
    }

    /// Turns libmodbus's frame dump on stdout/stderr on or off. The corresponding C function is
    /// `modbus_set_debug`.
    public func setDebug(_ enabled: Bool) {
        _ = modbus_set_debug(pointer, enabled ? 1 : 0)
    }

    /// The open socket or serial file descriptor, or -1. The corresponding C function is `modbus_get_socket`.
    var fileDescriptor: Int32 { modbus_get_socket(pointer) }

    static func split(_ duration: Duration) throws(ModbusError) -> (UInt32, UInt32) {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0, let wholeSeconds = UInt32(exactly: seconds) else {
            throw .invalidArgument
        }
        return (wholeSeconds, UInt32(attoseconds / 1_000_000_000_000))
    }
}
