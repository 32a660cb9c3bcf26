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
    ///
    /// Nothing is allocated per request: the request is framed in, and the reply received into, the context's
    /// `replyBuffer`, and `decode` reads the data bytes from there. The drain before the request is skipped when
    /// the previous one on this connection ended clean (its reply checked and nothing after it): a system call
    /// per request, with nothing to find. On TCP the agent closes the connection after any failed request
    /// (`ReconnectStateMachine`), so a late reply cannot be waiting; bytes a device sends unasked between two
    /// requests are read as the next reply and refused by its checks (wrong transaction id).
    func checkedTCPRead<Result>(
        function: UInt8, address: UInt16, quantity: Int, _ decode: (UnsafeBufferPointer<UInt8>) -> Result
    ) throws(ModbusError) -> Result {
        let socket = fileDescriptor
        guard socket >= 0, let reply = replyBuffer.baseAddress else { throw .badFileDescriptor }
        if mayHavePendingBytes { _ = try? flush() }  // a late reply or trailing bytes of an earlier transaction
        mayHavePendingBytes = true
        transactionID &+= 1
        let tid = transactionID
        let unit = unitID
        let request = (
            UInt8(tid >> 8), UInt8(tid & 0xFF), UInt8(0), UInt8(0), UInt8(0), UInt8(6), unit, function,
            UInt8(address >> 8), UInt8(address & 0xFF), UInt8(quantity >> 8), UInt8(quantity & 0xFF)
        )
        let sent = withUnsafeBytes(of: request) { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if sent == -1 { throw ModbusError(rawValue: errno) }
        guard sent == MemoryLayout.size(ofValue: request) else { throw .connectionReset }
        let received = Int(try valueOrErrno(modbus_receive_confirmation(pointer, reply)))
        // MBAP header (MODBUS Messaging on TCP/IP V1.0b §3.1.3): transaction id, protocol id, length, unit id.
        guard received >= 9 else { throw drained(.wrongLength) }
        guard UInt16(reply[0]) << 8 | UInt16(reply[1]) == tid else { throw drained(.wrongTransactionID) }
        guard reply[2] == 0, reply[3] == 0 else { throw drained(.wrongProtocolID) }
        guard Int(UInt16(reply[4]) << 8 | UInt16(reply[5])) == received - 6 else { throw drained(.wrongLength) }
        guard reply[6] == unit else { throw drained(.wrongUnitID) }
        if reply[7] == function | 0x80 {
            guard received == 9 else { throw drained(.badException) }
            try checkNothingFollows()
            mayHavePendingBytes = false
            throw ModbusError(exceptionCode: reply[8])
        }
        guard reply[7] == function else { throw drained(.wrongFunction) }
        let expected = function <= 2 ? (quantity + 7) / 8 : 2 * quantity
        guard Int(reply[8]) == expected, received == 9 + expected else { throw drained(.wrongLength) }
        try checkNothingFollows()
        mayHavePendingBytes = false
        return decode(UnsafeBufferPointer(start: reply + 9, count: expected))
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
    static func registers(from bytes: UnsafeBufferPointer<UInt8>) -> [UInt16] {
        [UInt16](unsafeUninitializedCapacity: bytes.count / 2) { registers, count in
            for i in 0..<registers.count { registers[i] = UInt16(bytes[2 * i]) << 8 | UInt16(bytes[2 * i + 1]) }
            count = registers.count
        }
    }

    /// `count` bits from packed reply bytes, least significant bit first.
    static func bits(from bytes: UnsafeBufferPointer<UInt8>, count: Int) -> [Bool] {
        (0..<count).map { bytes[$0 / 8] >> UInt8($0 % 8) & 1 == 1 }
    }
}
