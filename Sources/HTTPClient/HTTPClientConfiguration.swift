/// How an `HTTPClient` or `CurlEasy` connects: trust, client identity, timeouts, proxy, token.
///
/// There is deliberately no field that turns off certificate or host-name verification: libcurl always
/// runs with `CURLOPT_SSL_VERIFYPEER` 1 and `CURLOPT_SSL_VERIFYHOST` 2, only `https` URLs are allowed, and
/// TLS 1.2 is the minimum (DESIGN §4: "No option turns verification off").
public struct HTTPClientConfiguration: Sendable, Hashable {
    /// Trust anchors, client identity and pinning.
    public var tls: TLS
    /// Connect and total timeouts.
    public var timeouts: Timeouts
    /// Proxy URL, e.g. `"http://proxy.local:3128"`; `nil` means no proxy, whatever the environment says
    /// (`http_proxy` is ignored so that a gateway's behaviour depends only on its configuration). The
    /// corresponding libcurl option is `CURLOPT_PROXY`.
    public var proxy: String?
    /// Bearer token sent as `Authorization: Bearer <token>` on every request; `nil` sends none. Never
    /// logged and never part of an error.
    public var bearerToken: String?
    /// `User-Agent` header. The default is `"shelter-agent"`.
    public var userAgent: String
    /// Largest response body accepted, bytes; a larger one (or a larger `Content-Length`) fails with
    /// `CurlError.Kind.responseTooLarge` and is never read, let alone buffered, whole. The registry's
    /// answers are a few KiB (the record is the largest). The default is 1 MiB.
    public var maximumResponseBodySize: Int

    /// Creates a configuration; every argument has a default.
    public init(
        tls: TLS = .init(), timeouts: Timeouts = .init(), proxy: String? = nil, bearerToken: String? = nil,
        userAgent: String = "shelter-agent", maximumResponseBodySize: Int = 1 << 20
    ) {
        self.tls = tls
        self.timeouts = timeouts
        self.proxy = proxy
        self.bearerToken = bearerToken
        self.userAgent = userAgent
        self.maximumResponseBodySize = maximumResponseBodySize
    }

    /// Trust anchors, client identity and pinning. All paths are PEM files.
    public struct TLS: Sendable, Hashable {
        /// CA bundle that the server's chain must lead to; `nil` uses the system bundle. The corresponding
        /// libcurl option is `CURLOPT_CAINFO`.
        public var caBundlePath: String?
        /// Client certificate (PEM) for mutual TLS; `nil` presents none. The corresponding libcurl option is
        /// `CURLOPT_SSLCERT`.
        public var clientCertificatePath: String?
        /// Private key (PEM, unencrypted) of the client certificate; `nil` means the key is in
        /// `clientCertificatePath`. The corresponding libcurl option is `CURLOPT_SSLKEY`.
        public var clientKeyPath: String?
        /// Public-key pin of the server, `"sha256//<base64 of SHA-256 of the DER SubjectPublicKeyInfo>"`
        /// (several joined with `;`), checked in addition to the CA; `nil` pins nothing. The corresponding
        /// libcurl option is `CURLOPT_PINNEDPUBLICKEY`.
        public var pinnedPublicKey: String?

        /// Creates TLS settings; every argument defaults to `nil`.
        public init(
            caBundlePath: String? = nil, clientCertificatePath: String? = nil, clientKeyPath: String? = nil,
            pinnedPublicKey: String? = nil
        ) {
            self.caBundlePath = caBundlePath
            self.clientCertificatePath = clientCertificatePath
            self.clientKeyPath = clientKeyPath
            self.pinnedPublicKey = pinnedPublicKey
        }
    }

    /// Timeouts, as `Duration`; libcurl gets them in milliseconds, at least 1 ms.
    public struct Timeouts: Sendable, Hashable {
        /// Time allowed for TCP connect plus TLS handshake. The default is 10 seconds. The corresponding
        /// libcurl option is `CURLOPT_CONNECTTIMEOUT_MS`.
        public var connect: Duration
        /// Time allowed for a whole request, connect included. The default is 30 seconds. The corresponding
        /// libcurl option is `CURLOPT_TIMEOUT_MS`.
        public var total: Duration

        /// Creates timeouts.
        public init(connect: Duration = .seconds(10), total: Duration = .seconds(30)) {
            self.connect = connect
            self.total = total
        }
    }
}
