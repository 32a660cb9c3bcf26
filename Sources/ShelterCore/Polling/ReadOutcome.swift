/// The outcome of one read request on the wire, classified once by the link adapter (DESIGN §3) and then used
/// as is by the per-poll policy (`DevicePoller`), the recovery machine (`ReconnectStateMachine`) and the
/// counters.
public enum ReadOutcome: Sendable, Hashable {
    /// Registers in address order, host byte order.
    case registers([UInt16])
    /// Bits in address order.
    case bits([Bool])
    /// The device answered with a Modbus exception, named in `detail` as `"illegal data address (exception 2)"`;
    /// the link is fine. The code is `nil` when the device sent one the library does not name (libmodbus
    /// `EMBUNKEXC`): never an invented number.
    case exception(UInt8?, detail: String)
    /// No usable answer: `kind` decides the recovery; `fault` says which check a reply failed, when one
    /// arrived but was not the answer to this request.
    case failed(RequestFailureKind, detail: String, fault: ReplyFault? = nil)

    /// Whether the device answered "server device busy" (exception 6).
    public var isBusy: Bool {
        if case .exception(6, _) = self { true } else { false }
    }

    /// Whether the device answered at all (data or an exception).
    public var isAnswer: Bool {
        if case .failed = self { false } else { true }
    }
}

/// Why a reply that arrived is not the answer to the request (issue 12: "a reply is the answer to this
/// request or it is nothing"). Each kind is counted per device.
public enum ReplyFault: String, Sendable, Hashable, CaseIterable, Codable {
    /// Modbus TCP: the MBAP transaction id is not the request's.
    case wrongTransactionID = "wrong_transaction_id"
    /// Modbus TCP: the MBAP protocol id is not 0 (MODBUS Messaging on TCP/IP V1.0b §3.1.3).
    case wrongProtocolID = "wrong_protocol_id"
    /// The reply names another unit id than the one asked.
    case wrongUnitID = "wrong_unit_id"
    /// The reply's function code is neither the request's nor its exception (request + 0x80).
    case wrongFunction = "wrong_function"
    /// The MBAP length, the byte count or the number of values does not match the request.
    case wrongLength = "wrong_length"
    /// Bytes followed the reply; they were drained so they cannot answer the next request.
    case trailingBytes = "trailing_bytes"
    /// Modbus RTU: the CRC does not match.
    case badCRC = "bad_crc"
    /// Anything else malformed (an exception reply of the wrong size, an unknown exception code).
    case malformed
}

extension RequestFailureKind {
    /// The reason a point of a failed request has no sample.
    public var noSampleKind: NoSampleReason.Kind {
        switch self {
        case .timeout: .timeout
        case .badData: .badData
        case .linkLost: .linkLost
        }
    }
}
