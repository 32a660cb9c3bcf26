public import HTTPClient
public import ShelterCore

/// The production `RegistryTransport`: posts batches over HTTPS through the libcurl `HTTPClient` (verified TLS,
/// client certificate, kept-alive connection, redirects never followed) and turns what happened into a
/// `TransportOutcome`, with the registry's `ErrorBody` or a redirect's `Location` when it did not answer 2xx.
/// Cancelling the calling task cuts the request short (`TransportFailure.Kind.abandoned`).
///
/// Thread-safe; requests run one at a time on the client's own thread.
public struct HTTPRegistryTransport: RegistryTransport {
    private let client: HTTPClient
    private let baseURL: String

    /// Creates the transport.
    ///
    /// - Parameters:
    ///   - client: the HTTPS client, configured with the CA bundle, client certificate and timeouts.
    ///   - baseURL: the registry's base URL without a trailing slash, for example `https://registry.example:8443`.
    public init(client: HTTPClient, baseURL: String) {
        self.client = client
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    public func post(path: String, body: [UInt8]) async -> TransportOutcome {
        let request = HTTPRequest(
            method: .post, url: baseURL + path, headers: [HTTPHeader("Content-Type", "application/json")], body: body)
        do {
            let response = try await client.send(request)
            return .response(
                statusCode: response.status,
                retryAfter: response.value(forHeader: "Retry-After").flatMap(TransportOutcome.retryAfter(parsing:)),
                refusal: response.isSuccess
                    ? nil : RegistryRefusal(body: response.body, location: response.value(forHeader: "Location")))
        } catch {
            return .failed(TransportFailure(kind: Self.failureKind(error), message: error.description))
        }
    }

    /// Maps libcurl's classification onto the policy's: a cancelled request is abandoned (sent again at once),
    /// TLS trust and handshake failures, timeouts, the rest network. All are retried (DESIGN §4); the class is
    /// for logs and the heartbeat.
    static func failureKind(_ error: CurlError) -> TransportFailure.Kind {
        if error.kind == .cancelled { return .abandoned }
        if error.kind == .timeout { return .timeout }
        if error.kind.isTLSTrustFailure || error.kind == .tlsHandshake { return .tls }
        return .network
    }
}
