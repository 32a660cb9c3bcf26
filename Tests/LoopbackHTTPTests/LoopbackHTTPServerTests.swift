import Glibc
import LoopbackHTTP
import Platform
import Testing

/// The metrics listener's server against real sockets on loopback (port 0): what it answers, and that a
/// slow, silent or oversized client costs only bounded time and never stops the next scrape.
@Suite("LoopbackHTTPServer")
struct LoopbackHTTPServerTests {
    /// A server whose handler answers `/metrics` and 404s the rest, with short timeouts.
    static func makeServer() throws -> (LoopbackHTTPServer, UInt16) {
        var limits = LoopbackHTTPServer.Limits()
        limits.requestTimeout = .milliseconds(300)
        limits.responseTimeout = .milliseconds(300)
        limits.maxRequestHeadBytes = 1024
        let server = LoopbackHTTPServer(host: "127.0.0.1", port: 0, limits: limits) { request in
            guard request.path == "/metrics" else { return .init(status: 404, body: "not found\n") }
            return .init(status: 200, body: "\(request.method) \(request.header("accept") ?? "-")\n")
        }
        return (server, try server.start())
    }

    @Test("answers GET /metrics with Content-Length and Connection: close, 404 elsewhere, query ignored")
    func answers() async throws {
        let (server, port) = try Self.makeServer()
        let ok = await Client.exchange(port: port, "GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\nAccept:  text/x\r\n\r\n")
        #expect(ok.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(ok.contains("Content-Length: 11\r\n") && ok.contains("Connection: close\r\n"))
        #expect(ok.hasSuffix("\r\n\r\nGET text/x\n"))
        let missing = await Client.exchange(port: port, "GET / HTTP/1.0\r\n\r\n")
        #expect(missing.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
        await server.stop()
    }

    @Test("a malformed request line is 400, an oversized head 431")
    func refusesBadRequests() async throws {
        let (server, port) = try Self.makeServer()
        #expect(await Client.exchange(port: port, "HELLO\r\n\r\n").hasPrefix("HTTP/1.1 400 "))
        #expect(await Client.exchange(port: port, "GET /metrics SPDY/3\r\n\r\n").hasPrefix("HTTP/1.1 400 "))
        let big = "GET /metrics HTTP/1.1\r\nX-Pad: " + String(repeating: "a", count: 4000) + "\r\n\r\n"
        #expect(await Client.exchange(port: port, big).hasPrefix("HTTP/1.1 431 "))
        await server.stop()
    }

    @Test("a client that sends nothing is dropped after the request timeout and the next one is served")
    func silentClientDoesNotBlock() async throws {
        let (server, port) = try Self.makeServer()
        let silent = Client.connect(port: port)
        #expect(silent >= 0)
        defer { close(silent) }
        let half = Client.connect(port: port)  // half a request line, never finished
        defer { close(half) }
        _ = send(half, "GET /met", 8, Int32(MSG_NOSIGNAL))
        let reply = await Client.exchange(port: port, "GET /metrics HTTP/1.1\r\n\r\n")
        #expect(reply.hasPrefix("HTTP/1.1 200 OK"))
        await server.stop()
    }

    @Test("stop ends a connection in progress and closes the port")
    func stopsWithClientConnected() async throws {
        let (server, port) = try Self.makeServer()
        let holder = Client.connect(port: port)
        defer { close(holder) }
        await server.stop()
        #expect(Client.connect(port: port) < 0)
    }

    @Test("a taken port is a SocketError naming bind")
    func portTaken() async throws {
        let (server, port) = try Self.makeServer()
        let second = LoopbackHTTPServer(host: "127.0.0.1", port: port) { _ in .init(status: 200, body: "") }
        #expect(throws: SocketError.self) { _ = try second.start() }
        do {
            _ = try second.start()
        } catch {
            #expect(error.description.hasPrefix("bind: "))
        }
        await server.stop()
    }
}

/// A blocking client on a thread of its own (never on the concurrency pool).
enum Client {
    /// A connected socket, or -1 when the connection is refused.
    static func connect(port: UInt16) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc != 0 {
            close(fd)
            return -1
        }
        return fd
    }

    /// Sends `request` and reads until the server closes (at most 5 s).
    static func exchange(port: UInt16, _ request: String) async -> String {
        await withCheckedContinuation { continuation in
            PlatformThread.detach {
                let fd = connect(port: port)
                guard fd >= 0 else { return continuation.resume(returning: "") }
                defer { close(fd) }
                var timeout = timeval(tv_sec: 5, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                let bytes = Array(request.utf8)
                _ = send(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL))
                var reply: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let n = recv(fd, &buffer, buffer.count, 0)
                    if n <= 0 { break }
                    reply += buffer[0..<n]
                }
                continuation.resume(returning: String(decoding: reply, as: UTF8.self))
            }
        }
    }
}
