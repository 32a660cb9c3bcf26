internal import CModbus
internal import Glibc

/// One server-side libmodbus context serving one TCP connection or one serial port: receive a request, ask the
/// hook, act. Runs on its own thread; never shared.
struct ModbusServerConnection: @unchecked Sendable {
    let context: OpaquePointer
    let isTCP: Bool
    let mapping: ModbusMapping
    let hook: ModbusRequestHook

    /// Serves requests until the peer goes away, the link fails, or `isStopping()` is true.
    /// - Parameter waitForRequest: blocks until input is ready; returns `false` to stop (RTU's wake pipe).
    func run(isStopping: () -> Bool, waitForRequest: () -> Bool = { true }) {
        let headerLength = Int(modbus_get_header_length(context))
        var frame = [UInt8](repeating: 0, count: Int(MODBUS_TCP_MAX_ADU_LENGTH))
        while !isStopping(), waitForRequest() {
            let length = frame.withUnsafeMutableBufferPointer { modbus_receive(context, $0.baseAddress) }
            if length == -1 {
                let error = ModbusError(rawValue: errno)
                if isTCP || error.kind == .linkLost { return }
                _ = modbus_flush(context)  // RTU: bad CRC or a torn frame; drop the rest and listen again
                continue
            }
            if length == 0 { continue }  // RTU: a frame for another unit id
            let request = frame.withUnsafeBufferPointer {
                ModbusRequest(frame: UnsafeBufferPointer(rebasing: $0[..<Int(length)]), headerLength: headerLength)
            }
            guard let request else { continue }
            if !perform(hook(request), frame: frame, length: length, isStopping: isStopping) { return }
        }
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
            sleep(for: delay, unless: isStopping)
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
