import Foundation
import Glibc

/// A loopback Modbus TCP server (127.0.0.1, kernel-chosen port) that answers each 12-byte read request with the
/// bytes `reply` returns, so a test can send a reply that is *not* the answer: wrong transaction, protocol or
/// unit id, wrong function or length, trailing bytes. A real socket; one client at a time.
public final class RawModbusTCPServer: @unchecked Sendable {
    /// The bound port.
    public let port: Int
    private let listener: Int32
    private let reply: @Sendable ([UInt8]) -> [UInt8]
    private let lock = NSLock()
    private var stopped = false
    private var client: Int32 = -1

    /// The correct reply to a read request of holding or input registers: register `a` holds `1000 + a`.
    public static func goodReply(to request: [UInt8]) -> [UInt8] {
        let start = Int(request[8]) << 8 | Int(request[9])
        let count = Int(request[10]) << 8 | Int(request[11])
        var pdu: [UInt8] = [request[7], UInt8(2 * count)]
        for address in start..<(start + count) {
            let value = UInt16(1000 + address)
            pdu += [UInt8(value >> 8), UInt8(value & 0xFF)]
        }
        let length = pdu.count + 1
        return [request[0], request[1], 0, 0, UInt8(length >> 8), UInt8(length & 0xFF), request[6]] + pdu
    }

    public init(reply: @escaping @Sendable ([UInt8]) -> [UInt8]) throws {
        self.reply = reply
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSupportError("socket failed: \(errno)") }
        var enable: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &enable, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && listen(descriptor, 4) == 0
                    && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw TestSupportError("bind/listen failed: \(errno)")
        }
        listener = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in serve() }
    }

    deinit { stop() }

    /// Stops serving: wakes the server's thread, which closes the sockets. Idempotent.
    ///
    /// Only the server's thread closes a descriptor, and it forgets the client's under the lock first: a
    /// descriptor closed here while that thread could still use its number, or shut down after it was closed,
    /// may by then be another test's socket (a shut-down listener refuses every connection: CI saw
    /// "connection refused" in a parallel test).
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        shutdown(listener, Int32(SHUT_RDWR))
        if client >= 0 { shutdown(client, Int32(SHUT_RDWR)) }
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func serve() {
        defer { close(listener) }
        while !isStopped {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            lock.lock()
            let admitted = !stopped
            if admitted { client = connection }
            lock.unlock()
            var request = [UInt8](repeating: 0, count: 12)
            while admitted, readFully(connection, &request) {
                let bytes = reply(request)
                _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
            lock.lock()
            client = -1
            lock.unlock()
            close(connection)
        }
    }

    private func readFully(_ descriptor: Int32, _ buffer: inout [UInt8]) -> Bool {
        var filled = 0
        while filled < buffer.count {
            let n = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress! + filled, $0.count - filled, 0) }
            if n <= 0 { return false }
            filled += n
        }
        return true
    }
}

/// A test-support setup failure.
public struct TestSupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
