internal import CModbus
internal import Glibc
internal import Platform

/// One server-side libmodbus context serving one TCP connection or one serial port: receive a request, ask the
/// hook, act. Runs on its own thread; never shared.
struct ModbusServerConnection {
    private var context: OpaquePointer
    private let isTCP: Bool
    private let mapping: ModbusMapping
    private let hook: ModbusRequestHook
    /// RTU only: the unit ids answered besides the context's own (libmodbus filters those out; see
    /// `recoverFilteredFrame`). Empty on TCP, which answers every unit id.
    private let otherUnitIDs: Set<UInt8>
    /// RTU only: makes a fresh receiving context on the open port.
    private let makeReceiver: (() -> OpaquePointer?)?

    /// A TCP connection served through `context` (owned by the caller).
    init(tcp context: OpaquePointer, mapping: ModbusMapping, hook: @escaping ModbusRequestHook) {
        self.context = context
        isTCP = true
        self.mapping = mapping
        self.hook = hook
        otherUnitIDs = []
        makeReceiver = nil
    }

    /// An RTU port served through receiving contexts from `makeReceiver`, each a context sharing the open port's
    /// descriptor. libmodbus 3.1.6 treats the frame after a request for another unit id as that unit's reply and
    /// drops it; a simulator must answer it as a request, so such a receiver is replaced. Returns `nil` if no
    /// context can be made.
    init?(
        rtuReceiver makeReceiver: @escaping () -> OpaquePointer?, otherUnitIDs: Set<UInt8>, mapping: ModbusMapping,
        hook: @escaping ModbusRequestHook
    ) {
        guard let context = makeReceiver() else { return nil }
        self.context = context
        isTCP = false
        self.mapping = mapping
        self.hook = hook
        self.otherUnitIDs = otherUnitIDs
        self.makeReceiver = makeReceiver
    }

    /// Serves requests until the peer goes away, the link fails, or `isStopping()` is true. On RTU, frees the
    /// receiving context at the end (the port itself stays open).
    /// - Parameter waitForRequest: blocks until input is ready; returns `false` to stop (RTU's wake pipe).
    mutating func run(isStopping: () -> Bool, waitForRequest: () -> Bool = { true }) {
        defer { if makeReceiver != nil { modbus_free(context) } }
        let headerLength = Int(modbus_get_header_length(context))
        var frame = [UInt8](repeating: 0, count: Int(MODBUS_TCP_MAX_ADU_LENGTH))
        while !isStopping(), waitForRequest() {
            var length = frame.withUnsafeMutableBufferPointer { modbus_receive(context, $0.baseAddress) }
            if length == -1 {
                let error = ModbusError(rawValue: errno)
                if isTCP || error.kind == .linkLost { return }
                _ = modbus_flush(context)  // RTU: bad CRC or a torn frame; drop the rest and listen again
                continue
            }
            if length == 0 {  // RTU: a frame for another unit id, which libmodbus read whole but did not check
                if let makeReceiver, let fresh = makeReceiver() {
                    modbus_free(context)
                    context = fresh
                }
                guard let whole = recoverFilteredFrame(frame) else { continue }
                length = whole
            }
            let request = frame.withUnsafeBufferPointer {
                ModbusRequest(frame: UnsafeBufferPointer(rebasing: $0[..<Int(length)]), headerLength: headerLength)
            }
            guard let request else { continue }
            if !perform(hook(request), frame: frame, length: length, isStopping: isStopping) { return }
        }
    }

    /// For an RTU request libmodbus dropped because its unit id is not the context's: when the unit id is one this
    /// server answers, works out the frame's length the way libmodbus read it (Modbus over serial line V1.02
    /// §2.5.1) and checks its CRC. Returns the length, or `nil` to ignore the frame.
    private func recoverFilteredFrame(_ frame: [UInt8]) -> Int32? {
        guard otherUnitIDs.contains(frame[0]) else { return nil }
        let length: Int
        switch frame[1] {
        case 1...6: length = 8
        case 15, 16: length = 9 + Int(frame[6])
        default: return nil
        }
        guard length <= frame.count, ModbusCRC.checksum(frame[..<(length - 2)]) == ModbusCRC.read(frame, at: length - 2)
        else { return nil }
        return Int32(length)
    }

    /// Carries out one action; returns `false` when the connection must end.
    private func perform(
        _ action: ModbusServerAction, frame: [UInt8], length: Int32, isStopping: () -> Bool
    ) -> Bool {
        let result: Int32
        switch action {
        case .reply:
            result = reply(frame: frame, length: length, from: mapping)
        case .replyFrom(let other):
            result = reply(frame: frame, length: length, from: other)
        case .exception(let code):
            result = modbus_reply_exception(context, frame, UInt32(code))
        case .noAnswer:
            return true
        case .replyLate(let delay):
            pause(for: delay, unless: isStopping)
            if isStopping() { return false }
            result = reply(frame: frame, length: length, from: mapping)
        case .junk(let bytes):
            result = Int32(send(bytes))
        case .dropConnection:
            return !isTCP
        }
        return result != -1 || !isTCP
    }

    private func reply(frame: [UInt8], length: Int32, from mapping: ModbusMapping) -> Int32 {
        mapping.withPointer { modbus_reply(context, frame, length, $0) }
    }

    private func send(_ bytes: [UInt8]) -> Int {
        let descriptor = modbus_get_socket(context)
        return bytes.withUnsafeBytes { buffer in
            isTCP
                ? Glibc.send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
                : Glibc.write(descriptor, buffer.baseAddress, buffer.count)
        }
    }
}

/// The Modbus RTU CRC-16 (polynomial 0xA001, initial 0xFFFF; Modbus over serial line V1.02 §6.2.2).
enum ModbusCRC {
    static func checksum(_ bytes: some Collection<UInt8>) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for byte in bytes {
            crc ^= UInt16(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1 }
        }
        return crc
    }

    /// The CRC stored at `index` (low byte first, as RTU sends it).
    static func read(_ frame: [UInt8], at index: Int) -> UInt16 {
        UInt16(frame[index]) | UInt16(frame[index + 1]) << 8
    }
}
