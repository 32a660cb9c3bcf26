internal import CModbus
internal import Glibc

/// An error from libmodbus: an `errno` value, which is either a system error (`ETIMEDOUT`, `ECONNRESET`, …), a
/// Modbus exception the device answered with (`MODBUS_ENOBASE + 1…11`), or one of libmodbus's own codes
/// (`EMBBADCRC`, `EMBBADDATA`, …).
///
/// Match it in `catch` clauses like swift-system's `Errno`:
/// ```swift
/// do { _ = try context.readHoldingRegisters(startingAt: 100, count: 2) }
/// catch ModbusError.illegalDataAddress { … }
/// catch let error where error.kind == .timeout { … }
/// ```
/// libmodbus's `EMB…` macros are not imported into Swift (they are expressions over `MODBUS_ENOBASE`), so they are
/// rebuilt here from `MODBUS_ENOBASE` (112345678).
public struct ModbusError: Error, RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The `errno` value libmodbus set.
    public var rawValue: Int32

    /// Wraps an `errno` value.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The error for a Modbus exception code (1...255) a device answered with.
    public init(exceptionCode: UInt8) { self.rawValue = Self.base + Int32(exceptionCode) }

    /// `MODBUS_ENOBASE`, the first libmodbus-specific `errno` value.
    static let base: Int32 = 112_345_678

    // MARK: Classification

    /// What a failure means for the link, so a caller can pick a recovery (DESIGN §3).
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The device answered with a Modbus exception: the link is fine, the request was refused.
        case exception
        /// No (complete) answer within the response or byte timeout.
        case timeout
        /// An answer arrived but was malformed: bad CRC, wrong length, transaction id, function or unit id.
        case badData = "bad_data"
        /// The TCP connection or serial port is gone or could not be opened.
        case linkLost = "link_lost"
        /// Anything else: an invalid argument or a resource error on this side.
        case other
    }

    /// The class of this failure (DESIGN §3): exceptions leave the link alone; timeouts and bad data mean the
    /// stream may hold a late reply (reconnect on TCP, wait and flush on RTU); a lost link means reconnect.
    public var kind: Kind {
        if exceptionCode != nil || self == .unknownException { return .exception }
        switch self {
        case .timedOut: return .timeout
        case .badCRC, .badData, .badException, .wrongUnitID, .wrongTransactionID, .wrongProtocolID, .wrongFunction,
            .wrongLength, .trailingBytes:
            return .badData
        default: break
        }
        switch rawValue {
        case ECONNRESET, EPIPE, EBADF, ECONNREFUSED, ENOTCONN, ECONNABORTED, EHOSTUNREACH, ENETUNREACH,
            ENETDOWN, EHOSTDOWN, EIO, ENXIO, ENODEV, ENOENT, EACCES, EBUSY, ESHUTDOWN:
            return .linkLost
        default:
            return .other
        }
    }

    /// The Modbus exception code (1...11) when the device answered with an exception; otherwise `nil`.
    ///
    /// `unknownException` (an exception code libmodbus does not know) has no code: libmodbus drops it.
    public var exceptionCode: UInt8? {
        let code = rawValue - Self.base
        return (1...11).contains(code) ? UInt8(code) : nil
    }

    /// Text for logs and the command line: `modbus_strerror`, and for exceptions the code, e.g.
    /// `"illegal data address (exception 2)"`.
    public var description: String {
        if let text = Self.replyCheckText[rawValue] { return text }
        if let code = exceptionCode {
            let name = code == 9 ? "exception not defined" : Self.lowercasingFirst(Self.cText(rawValue))
            return "\(name) (exception \(code))"
        }
        return Self.lowercasingFirst(Self.cText(rawValue))
    }

    private static func cText(_ value: Int32) -> String {
        guard let text = modbus_strerror(value) else { return "error \(value)" }
        return String(cString: text)
    }

    private static func lowercasingFirst(_ text: String) -> String {
        guard let first = text.first, first.isUppercase, text.dropFirst().first?.isLowercase ?? true else {
            return text
        }
        return first.lowercased() + text.dropFirst()
    }

    /// Matches an error against a named code, so `catch ModbusError.serverDeviceBusy` works.
    public static func ~= (pattern: ModbusError, value: any Error) -> Bool {
        (value as? ModbusError) == pattern
    }

    // MARK: Modbus exceptions (Modbus Application Protocol V1.1b3 §7)

    /// Exception 1: the function code is not supported. The corresponding libmodbus code is `EMBXILFUN`.
    public static let illegalFunction = ModbusError(exceptionCode: 1)
    /// Exception 2: the address range is not served. The corresponding libmodbus code is `EMBXILADD`.
    public static let illegalDataAddress = ModbusError(exceptionCode: 2)
    /// Exception 3: a value in the request is not allowed. The corresponding libmodbus code is `EMBXILVAL`.
    public static let illegalDataValue = ModbusError(exceptionCode: 3)
    /// Exception 4: the device failed while serving the request. The corresponding libmodbus code is `EMBXSFAIL`.
    public static let serverDeviceFailure = ModbusError(exceptionCode: 4)
    /// Exception 5: accepted, will take long. The corresponding libmodbus code is `EMBXACK`.
    public static let acknowledge = ModbusError(exceptionCode: 5)
    /// Exception 6: the device is busy; retry later. The corresponding libmodbus code is `EMBXSBUSY`.
    public static let serverDeviceBusy = ModbusError(exceptionCode: 6)
    /// Exception 7: the device cannot perform the program function. The corresponding libmodbus code is
    /// `EMBXNACK`.
    public static let negativeAcknowledge = ModbusError(exceptionCode: 7)
    /// Exception 8: memory parity error in extended memory. The corresponding libmodbus code is `EMBXMEMPAR`.
    public static let memoryParityError = ModbusError(exceptionCode: 8)
    /// Exception 9: not defined by the protocol; libmodbus calls it `MODBUS_EXCEPTION_NOT_DEFINED`.
    public static let exceptionNotDefined = ModbusError(exceptionCode: 9)
    /// Exception 10: the gateway has no path to the target. The corresponding libmodbus code is `EMBXGPATH`.
    public static let gatewayPathUnavailable = ModbusError(exceptionCode: 10)
    /// Exception 11: the device behind the gateway did not answer. The corresponding libmodbus code is
    /// `EMBXGTAR`.
    public static let gatewayTargetDeviceFailedToRespond = ModbusError(exceptionCode: 11)

    // MARK: libmodbus's own codes

    /// The RTU frame's CRC does not match. The corresponding libmodbus code is `EMBBADCRC`.
    public static let badCRC = ModbusError(rawValue: base + 12)
    /// The reply does not fit the request (length, transaction id, function). The corresponding libmodbus code
    /// is `EMBBADDATA`.
    public static let badData = ModbusError(rawValue: base + 13)
    /// The exception reply is malformed. The corresponding libmodbus code is `EMBBADEXC`.
    public static let badException = ModbusError(rawValue: base + 14)
    /// The device answered with an exception code libmodbus does not know. The corresponding libmodbus code is
    /// `EMBUNKEXC`.
    public static let unknownException = ModbusError(rawValue: base + 15)
    /// Too many data requested or sent (over 125 registers or 2000 bits a read). The corresponding libmodbus
    /// code is `EMBMDATA`.
    public static let tooManyData = ModbusError(rawValue: base + 16)
    /// The reply came from another unit id than the one asked. The corresponding libmodbus code is `EMBBADSLAVE`.
    public static let wrongUnitID = ModbusError(rawValue: base + 17)

    // MARK: Reply checks libmodbus 3.1.6 does not make on Modbus TCP (this wrapper makes them)

    /// The MBAP transaction id of the reply is not the request's.
    public static let wrongTransactionID = ModbusError(rawValue: base + 101)
    /// The MBAP protocol id of the reply is not 0 (libmodbus 3.1.6 only refuses it when both bytes are non-zero).
    public static let wrongProtocolID = ModbusError(rawValue: base + 102)
    /// The reply's function code is neither the request's nor its exception.
    public static let wrongFunction = ModbusError(rawValue: base + 103)
    /// The MBAP length or the byte count does not match the reply or the request.
    public static let wrongLength = ModbusError(rawValue: base + 104)
    /// Bytes followed the reply (drained, so they cannot answer the next request).
    public static let trailingBytes = ModbusError(rawValue: base + 105)

    private static let replyCheckText: [Int32: String] = [
        base + 101: "wrong transaction id in the reply",
        base + 102: "protocol id of the reply is not 0",
        base + 103: "wrong function code in the reply",
        base + 104: "wrong length of the reply",
        base + 105: "bytes after the reply",
        base + 17: "reply from another unit id",
        EBUSY: "the port is in use by another process (a running shelter-agent, or a read or scan)",
    ]

    // MARK: System errors libmodbus reports

    /// No answer within the timeout (`ETIMEDOUT`).
    public static let timedOut = ModbusError(rawValue: ETIMEDOUT)
    /// The peer reset the connection (`ECONNRESET`).
    public static let connectionReset = ModbusError(rawValue: ECONNRESET)
    /// The peer refused the connection (`ECONNREFUSED`).
    public static let connectionRefused = ModbusError(rawValue: ECONNREFUSED)
    /// Write on a closed connection (`EPIPE`).
    public static let brokenPipe = ModbusError(rawValue: EPIPE)
    /// Not connected (`EBADF`: the context has no open socket or port).
    public static let badFileDescriptor = ModbusError(rawValue: EBADF)
    /// An argument was out of range (`EINVAL`).
    public static let invalidArgument = ModbusError(rawValue: EINVAL)
    /// The serial device does not support the request, e.g. RS-485 mode on a pty (`ENOTTY`).
    public static let notATerminal = ModbusError(rawValue: ENOTTY)
    /// Another process holds the serial port (`EBUSY`): the running agent, or a `read` or `scan` on the same
    /// port. See `ModbusContext.connect()`.
    public static let portInUse = ModbusError(rawValue: EBUSY)
}

/// Runs a libmodbus call and turns its `-1` into the `errno` it set, read straight after the call.
@inline(__always)
func valueOrErrno(_ result: Int32) throws(ModbusError) -> Int32 {
    if result == -1 { throw ModbusError(rawValue: errno) }
    return result
}
