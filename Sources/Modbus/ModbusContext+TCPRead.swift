internal import CModbus
internal import Glibc

/// Modbus TCP reads with every reply check (issue 12: "a reply is the answer to this request or it is
/// nothing"). libmodbus 3.1.6 checks the transaction id, the function code and the byte count, but lets a
/// protocol id through unless both of its bytes are non-zero, never compares the unit id or the MBAP length
/// field, and leaves bytes that follow a reply in the socket, where they answer the next request. So on TCP this
/// wrapper frames the request itself (its own transaction ids), receives with `modbus_receive_confirmation`
/// (libmodbus's timeouts and framing) and checks every field; pending bytes are drained before each request and
/// after each reply.
extension ModbusContext {
    /// Reads `quantity` registers (function 3 or 4, 2 bytes each) or bits (function 1 or 2) from `address` at the
    /// unit set with `setUnitID(_:)`, over Modbus TCP.
    /// - Returns: the data bytes of the reply (registers big-endian, bits packed LSB first).
    /// - Throws: a Modbus exception the device answered; `.wrongTransactionID`, `.wrongProtocolID`,
    ///   `.wrongUnitID`, `.wrongFunction`, `.wrongLength`, `.trailingBytes`; `.timedOut`; a lost link.
    func checkedTCPRead(function: UInt8, address: UInt16, quantity: Int) throws(ModbusError) -> ArraySlice<UInt8> {
        let socket = fileDescriptor
        guard socket >= 0 else { throw .badFileDescriptor }
        _ = try? flush()  // a late reply or trailing bytes of an earlier transaction
        transactionID &+= 1
        let tid = transactionID
        let unit = unitID
        let request: [UInt8] = [
            UInt8(tid >> 8), UInt8(tid & 0xFF), 0, 0, 0, 6, unit, function, UInt8(address >> 8),
            UInt8(address & 0xFF), UInt8(quantity >> 8), UInt8(quantity & 0xFF),
        ]
        let sent = request.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if sent == -1 { throw ModbusError(rawValue: errno) }
        guard sent == request.count else { throw .connectionReset }
        var reply = [UInt8](repeating: 0, count: 512)
        let received = Int(
            try valueOrErrno(
                reply.withUnsafeMutableBufferPointer {
                    modbus_receive_confirmation(pointer, $0.baseAddress)
                }))
        // MBAP header (MODBUS Messaging on TCP/IP V1.0b §3.1.3): transaction id, protocol id, length, unit id.
        guard received >= 9 else { throw drained(.wrongLength) }
        guard UInt16(reply[0]) << 8 | UInt16(reply[1]) == tid else { throw drained(.wrongTransactionID) }
        guard reply[2] == 0, reply[3] == 0 else { throw drained(.wrongProtocolID) }
        guard Int(UInt16(reply[4]) << 8 | UInt16(reply[5])) == received - 6 else { throw drained(.wrongLength) }
        guard reply[6] == unit else { throw drained(.wrongUnitID) }
        if reply[7] == function | 0x80 {
            guard received == 9 else { throw drained(.badException) }
            try checkNothingFollows()
            throw ModbusError(exceptionCode: reply[8])
        }
        guard reply[7] == function else { throw drained(.wrongFunction) }
        let expected = function <= 2 ? (quantity + 7) / 8 : 2 * quantity
        guard Int(reply[8]) == expected, received == 9 + expected else { throw drained(.wrongLength) }
        try checkNothingFollows()
        return reply[9..<received]
    }

    /// Drains what is pending and returns `error`.
    private func drained(_ error: ModbusError) -> ModbusError {
        _ = try? flush()
        return error
    }

    private func checkNothingFollows() throws(ModbusError) {
        if let extra = try? flush(), extra > 0 { throw .trailingBytes }
    }

    /// Registers from big-endian reply bytes.
    static func registers(from bytes: ArraySlice<UInt8>) -> [UInt16] {
        stride(from: bytes.startIndex, to: bytes.endIndex - 1, by: 2).map {
            UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1])
        }
    }

    /// `count` bits from packed reply bytes, least significant bit first.
    static func bits(from bytes: ArraySlice<UInt8>, count: Int) -> [Bool] {
        (0..<count).map { bytes[bytes.startIndex + $0 / 8] >> UInt8($0 % 8) & 1 == 1 }
    }
}
