internal import Glibc
internal import Platform
import Synchronization

/// A small HTTP/1.1 server for a scraper on loopback: one thread, one connection at a time, every request
/// bounded in size and time, `Connection: close` after each reply. No TLS, no keep-alive, no request bodies.
///
/// Why not a library: the HTTP servers in the package mirror are built on SwiftNIO (Hummingbird) or full
/// Foundation (FlyingFox), and the agent links neither (DESIGN §2). This is the part of a server a Prometheus
/// scrape needs and nothing else; the handler sees a parsed request line and headers.
///
/// - Important: a slow or hostile client costs at most `Limits.requestTimeout` plus `Limits.responseTimeout`
///   of this server's thread and never touches the caller's threads: the socket calls are non-blocking and
///   bounded by `poll`; a request head over `Limits.maxRequestHeadBytes` is answered 431 and closed; a
///   malformed request line 400. Writes use `MSG_NOSIGNAL` (a client that went away is no SIGPIPE).
///   Thread-safe: `start` and `stop` may be called from any thread.
public final class LoopbackHTTPServer: Sendable {
    /// Bounds on what one client may cost.
    public struct Limits: Sendable {
        /// Largest request head (request line and headers) accepted; bigger gets 431. Default 8 KiB.
        public var maxRequestHeadBytes = 8192
        /// Time allowed for the whole request head to arrive, from accept. Default 2 s.
        public var requestTimeout: Duration = .seconds(2)
        /// Time allowed for the whole reply to be taken by the client. Default 5 s.
        public var responseTimeout: Duration = .seconds(5)

        public init() {}
    }

    /// A parsed request head.
    public struct Request: Sendable, Hashable {
        /// The method as sent, e.g. `GET`.
        public var method: String
        /// The request target's path, without the query string, e.g. `/metrics`.
        public var path: String
        /// Header fields in order, names as sent, values without leading blanks.
        public var headers: [Header]

        /// The first header with this name (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    /// A reply: status code, content type and body (sent with `Content-Length`).
    public struct Response: Sendable, Hashable {
        public var status: Int
        public var contentType: String
        public var body: [UInt8]
        /// Extra header lines, e.g. `Header("Allow", "GET")`.
        public var headers: [Header]

        public init(
            status: Int, contentType: String = "text/plain; charset=utf-8", body: String, headers: [Header] = []
        ) {
            self.status = status
            self.contentType = contentType
            self.body = Array(body.utf8)
            self.headers = headers
        }
    }

    /// One header line.
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    private let host: String
    private let port: UInt16
    private let limits: Limits
    private let handler: @Sendable (Request) -> Response
    private let state = Mutex(State())

    private struct State: Sendable {
        var listener: Int32 = -1
        var wakeRead: Int32 = -1
        var wakeWrite: Int32 = -1
        var isRunning = false
        var isStopping = false
    }

    /// A server for `host:port` (an IPv4 address; port 0: any free port) that answers with `handler`, called on
    /// the server's thread: it must not block for long.
    public init(
        host: String, port: UInt16, limits: Limits = .init(), handler: @escaping @Sendable (Request) -> Response
    ) {
        self.host = host
        self.port = port
        self.limits = limits
        self.handler = handler
    }

    deinit {
        state.withLock { s in
            for fd in [s.listener, s.wakeRead, s.wakeWrite] where fd >= 0 { close(fd) }
        }
    }

    /// Binds, listens and starts the server's thread.
    /// - Returns: the bound port (the one asked for, or the one the system chose for port 0).
    /// - Throws: `SocketError` naming the call that failed (`bind` with `EADDRINUSE` when the port is taken,
    ///   `inet_pton` for a host that is not an IPv4 address). Starting twice throws `EALREADY`.
    public func start() throws(SocketError) -> UInt16 {
        if state.withLock({ $0.isRunning || $0.isStopping }) { throw SocketError("start", code: EALREADY) }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket", code: errno) }
        do throws(SocketError) {
            var yes: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw SocketError("inet_pton", code: EINVAL) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else { throw SocketError("bind", code: errno) }
            guard listen(fd, 16) == 0 else { throw SocketError("listen", code: errno) }
            Self.setNonBlockingCloseOnExec(fd)
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let named = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            guard named == 0 else { throw SocketError("getsockname", code: errno) }
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else { throw SocketError("pipe", code: errno) }
            for end in ends { Self.setNonBlockingCloseOnExec(end) }
            let wake = ends[0]
            state.withLock { s in
                (s.listener, s.wakeRead, s.wakeWrite, s.isRunning) = (fd, ends[0], ends[1], true)
            }
            PlatformThread.detach { [self] in
                serve(listener: fd, wake: wake)
                state.withLock { s in
                    close(s.listener)
                    close(s.wakeRead)
                    (s.listener, s.wakeRead, s.isRunning) = (-1, -1, false)
                }
            }
            return UInt16(bigEndian: address.sin_port)
        } catch {
            close(fd)
            throw error
        }
    }

    /// Stops accepting, ends the connection being served (if any) and waits until the thread has ended and
    /// the socket is closed (milliseconds: the thread waits on the wake pipe too). Never blocks a thread.
    public func stop() async {
        let wake = state.withLock { s in
            s.isStopping = true
            return s.wakeWrite
        }
        if wake >= 0 {
            var byte: UInt8 = 1
            _ = write(wake, &byte, 1)
        }
        while state.withLock({ $0.isRunning }) { try? await Task.sleep(for: .milliseconds(5)) }
        state.withLock { s in
            if s.wakeWrite >= 0 { close(s.wakeWrite) }
            (s.wakeWrite, s.isStopping) = (-1, false)
        }
    }

    // MARK: - The server's thread

    private func serve(listener: Int32, wake: Int32) {
        while true {
            guard let readiness = Self.wait(for: listener, POLLIN, wake: wake, timeout: nil), readiness else { return }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                // EAGAIN, EINTR, ECONNABORTED: the next one. Out of descriptors (EMFILE) or memory: the listener
                // stays readable, so wait a little (or for stop) instead of spinning.
                let code = errno
                if code != EAGAIN, code != EINTR, code != ECONNABORTED,
                    Self.wait(for: wake, POLLIN, wake: wake, timeout: .milliseconds(100)) == nil
                {
                    return
                }
                continue
            }
            Self.setNonBlockingCloseOnExec(connection)
            let stopped = handle(connection, wake: wake)
            close(connection)
            if stopped { return }
        }
    }

    /// Serves one connection. Returns whether the server was asked to stop meanwhile.
    private func handle(_ fd: Int32, wake: Int32) -> Bool {
        let clock = ContinuousClock()
        let readDeadline = clock.now + limits.requestTimeout
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        var response: Response?
        reading: while true {
            switch Self.wait(for: fd, POLLIN, wake: wake, timeout: clock.now.duration(to: readDeadline)) {
            case nil: return true
            case false?: return false  // too slow: closed without a word
            case true?: break
            }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { return false }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                return false
            }
            head.append(contentsOf: buffer[0..<n])
            if let end = Self.endOfHead(head) {
                response = Self.parse(head[..<end]).map(handler) ?? Response(status: 400, body: "bad request\n")
                break reading
            }
            if head.count > limits.maxRequestHeadBytes {
                response = Response(status: 431, body: "request header fields too large\n")
                break reading
            }
        }
        guard let response else { return false }
        var bytes = Array(Self.head(of: response).utf8) + response.body
        let writeDeadline = clock.now + limits.responseTimeout
        while !bytes.isEmpty {
            switch Self.wait(for: fd, POLLOUT, wake: wake, timeout: clock.now.duration(to: writeDeadline)) {
            case nil: return true
            case false?: return false
            case true?: break
            }
            let n = send(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL))
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                return false
            }
            bytes.removeFirst(n)
        }
        shutdown(fd, Int32(SHUT_WR))
        return false
    }

    /// `O_NONBLOCK` and `FD_CLOEXEC` on `fd` (`accept4` and `pipe2` are not in Swift's Glibc module).
    private static func setNonBlockingCloseOnExec(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
    }

    /// Waits until `fd` is ready for `events`, the wake pipe is readable or `timeout` passes (`nil`: no limit).
    /// Returns `nil` when woken (stop), `true` when ready, `false` on timeout.
    private static func wait(for fd: Int32, _ events: Int32, wake: Int32, timeout: Duration?) -> Bool? {
        var fds = [
            pollfd(fd: fd, events: Int16(events), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
        ]
        let milliseconds: Int32
        if let timeout {
            guard timeout > .zero else { return false }
            let (seconds, attoseconds) = timeout.components
            milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
        } else {
            milliseconds = -1
        }
        while true {
            let rc = poll(&fds, 2, milliseconds)
            if rc < 0, errno == EINTR { continue }
            if fds[1].revents != 0 { return nil }
            return rc > 0
        }
    }

    /// The index just past the blank line that ends a request head, if it has arrived.
    static func endOfHead(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 3..<bytes.count
        where bytes[i] == 10 && bytes[i - 1] == 13 && bytes[i - 2] == 10 && bytes[i - 3] == 13 {
            return i + 1
        }
        return nil
    }

    /// The request line and headers, or `nil` when the request line is not `METHOD TARGET HTTP/1.x`.
    static func parse(_ head: ArraySlice<UInt8>) -> Request? {
        let text = String(decoding: head, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: true).makeIterator()
        guard let requestLine = lines.next() else { return nil }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0", !parts[0].isEmpty,
            parts[1].hasPrefix("/")
        else { return nil }
        var headers: [Header] = []
        while let line = lines.next() {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            headers.append(Header(String(line[..<colon]), String(value)))
        }
        let path = parts[1].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return Request(method: String(parts[0]), path: String(path), headers: headers)
    }

    /// The status line and header lines of `response`, ending with the blank line.
    static func head(of response: Response) -> String {
        var text = "HTTP/1.1 \(response.status) \(reason(response.status))\r\n"
        text += "Content-Type: \(response.contentType)\r\nContent-Length: \(response.body.count)\r\n"
        for header in response.headers { text += "\(header.name): \(header.value)\r\n" }
        return text + "Connection: close\r\n\r\n"
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
