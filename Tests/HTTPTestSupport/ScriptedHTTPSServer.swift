/// A small HTTPS server on 127.0.0.1 (kernel-chosen port), Python's `http.server` behind `ssl`, that answers
/// by path what our own registry never sends: a real TLS peer for the client's edge cases.
/// - `/redirect/<status>`: that 3xx status with `Location: https://elsewhere.example/v1/moved`;
/// - `/big/<bytes>`: 200 with that many bytes of body, streamed without `Content-Length` (close-delimited);
/// - `/big-declared/<bytes>`: 200 announcing `Content-Length: <bytes>`, then streaming them;
/// - `/hang`: reads the request and never answers;
/// - anything else: 200 with `{}`.
/// HTTP/1.1 with keep-alive, one thread per connection; prints `REQUEST <path>` for each request. Stopped in
/// `deinit`.
public final class ScriptedHTTPSServer: Sendable {
    /// The bound port.
    public let port: Int
    private let process: ChildProcess

    static let script = #"""
        import http.server, socketserver, ssl, sys, time
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args): pass
            def answer(self):
                print("REQUEST %s" % self.path, flush=True)
                length = int(self.headers.get("Content-Length") or 0)
                if length: self.rfile.read(length)
                parts = self.path.strip("/").split("/")
                if parts[0] == "redirect":
                    self.send_response(int(parts[1])); self.send_header("Location", "https://elsewhere.example/v1/moved")
                    self.send_header("Content-Length", "0"); self.end_headers()
                elif parts[0] in ("big", "big-declared"):
                    size = int(parts[1]); self.send_response(200)
                    if parts[0] == "big-declared": self.send_header("Content-Length", str(size))
                    else: self.send_header("Connection", "close"); self.close_connection = True
                    self.end_headers(); chunk = b"x" * 65536; sent = 0
                    try:
                        while sent < size:
                            n = min(len(chunk), size - sent); self.wfile.write(chunk[:n]); sent += n
                    except OSError: pass
                elif parts[0] == "hang":
                    time.sleep(3600)
                else:
                    self.send_response(200); self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"{}")
            do_GET = answer
            do_POST = answer
        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
        server = Server(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); context.load_cert_chain(sys.argv[1], sys.argv[2])
        server.socket = context.wrap_socket(server.socket, server_side=True)
        print("LISTENING %d" % server.server_address[1], flush=True)
        server.serve_forever()
        """#

    /// - Parameters:
    ///   - certificate, key: the server's certificate and key files (the test PKI's `registry`).
    public init(certificate: String, key: String) async throws {
        process = try ChildProcess(executable: "/usr/bin/python3", arguments: ["-c", Self.script, certificate, key])
        port = try await process.waitForLine { line in
            line.hasPrefix("LISTENING ") ? Int(line.dropFirst("LISTENING ".count)) : nil
        }
    }

    /// Waits until the server has received a request for `path` (it prints one line per request).
    public func waitForRequest(_ path: String, timeout: Duration = .seconds(60)) async throws {
        try await process.waitForLine(timeout: timeout) { $0 == "REQUEST \(path)" ? () : nil }
    }

    /// `https://127.0.0.1:<port><path>`.
    public func url(_ path: String) -> String { "https://127.0.0.1:\(port)\(path)" }
}
