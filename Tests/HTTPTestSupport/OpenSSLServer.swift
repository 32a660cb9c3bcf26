/// `openssl s_server` on 127.0.0.1 with a kernel-chosen port: a real TLS peer, independent of our own
/// server code, for testing the client's verification. With `www`, it answers every request with an HTTP/1.0
/// 200 status page; without, it completes the TLS handshake and never answers (a hung server).
public final class OpenSSLServer: Sendable {
    /// The bound port.
    public let port: Int
    private let process: ChildProcess

    /// - Parameters:
    ///   - certificate, key: the server's certificate and key files.
    ///   - clientCA: CA that client certificates must chain to; when set, a client certificate is required.
    ///   - www: answer HTTP requests (`-www`); `false` makes a server that never answers.
    public init(certificate: String, key: String, clientCA: String? = nil, www: Bool = true) async throws {
        var arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", certificate, "-key", key]
        if let clientCA { arguments += ["-CAfile", clientCA, "-Verify", "1", "-verify_return_error"] }
        if www { arguments.append("-www") }
        process = try ChildProcess(executable: "/usr/bin/openssl", arguments: arguments)
        port = try await process.waitForLine { line in
            guard line.hasPrefix("ACCEPT "), let colon = line.lastIndex(of: ":") else { return nil }
            return Int(line[line.index(after: colon)...])
        }
    }

    /// `https://127.0.0.1:<port>/`.
    public var url: String { "https://127.0.0.1:\(port)/" }
}
