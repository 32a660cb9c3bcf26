/// A request a Modbus server received, as a simulator's request hook sees it before the reply.
public struct ModbusRequest: Sendable, Hashable, CustomStringConvertible {
    /// The unit id the request is addressed to (0 is broadcast on RTU).
    public var unitID: UInt8
    /// The function code, e.g. 3 for "read holding registers".
    public var functionCode: UInt8
    /// The first address the request touches (0...65535); 0 for functions without an address.
    public var address: UInt16
    /// How many coils or 16-bit registers the request reads or writes; 1 for function codes 5 and 6, 0 for
    /// functions without a quantity.
    public var count: UInt16

    /// Creates a request description.
    public init(unitID: UInt8, functionCode: UInt8, address: UInt16, count: UInt16) {
        self.unitID = unitID
        self.functionCode = functionCode
        self.address = address
        self.count = count
    }

    /// Parses the PDU part of a received frame: `frame[headerLength - 1]` is the unit id, then the function code,
    /// address and quantity (Modbus Application Protocol V1.1b3 §6). Returns `nil` for a frame too short to
    /// carry a function code.
    init?(frame: UnsafeBufferPointer<UInt8>, headerLength: Int) {
        guard headerLength >= 1, frame.count > headerLength else { return nil }
        func word(at index: Int) -> UInt16 {
            index + 1 < frame.count ? UInt16(frame[index]) << 8 | UInt16(frame[index + 1]) : 0
        }
        unitID = frame[headerLength - 1]
        functionCode = frame[headerLength]
        address = word(at: headerLength + 1)
        switch functionCode {
        case 1, 2, 3, 4, 15, 16: count = word(at: headerLength + 3)
        case 5, 6: count = 1
        case 0x17: count = word(at: headerLength + 3)  // read part of "write and read registers"
        default:
            address = 0
            count = 0
        }
    }

    public var description: String {
        "unit \(unitID) function \(functionCode) address \(address) count \(count)"
    }
}

/// What a server does with one request: the normal reply, or a declared fault.
public enum ModbusServerAction: Sendable {
    /// Reply from the server's mapping (reads return its values, writes change it).
    case reply
    /// Reply from another mapping, e.g. the one of the unit id asked (a gateway serving several devices).
    case replyFrom(ModbusMapping)
    /// Reply with a Modbus exception, code 1...10 or 11 (Modbus Application Protocol V1.1b3 §7).
    case exception(UInt8)
    /// Say nothing: the client times out.
    case noAnswer
    /// Reply normally, but only after `delay` (longer than the client's response timeout makes a late reply).
    case replyLate(Duration)
    /// Send these bytes instead of a reply (bad CRC, wrong length, noise).
    case junk([UInt8])
    /// Close the connection (TCP) without answering; on RTU the same as `noAnswer`.
    case dropConnection

    /// Exception 6, "server device busy".
    public static var busy: ModbusServerAction { .exception(6) }
}

/// Decides the action for each request; called on a server thread, so it must be thread-safe.
public typealias ModbusRequestHook = @Sendable (ModbusRequest) -> ModbusServerAction
