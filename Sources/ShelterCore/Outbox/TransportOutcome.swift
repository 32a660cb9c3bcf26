/// How one request to the registry ended, as the outbox policy needs to know it: an HTTP status, or a failure
/// before any status arrived.
public enum TransportOutcome: Sendable, Hashable {
    /// The registry answered with an HTTP status. `retryAfter` is the `Retry-After` header in delta-seconds
    /// form (RFC 9110 §10.2.3), when present and parseable; `refusal` what the registry said when the status
    /// is not 2xx (its `ErrorBody`, a redirect's `Location`), when read.
    case response(statusCode: Int, retryAfter: Duration? = nil, refusal: RegistryRefusal? = nil)
    /// No HTTP status: connection, DNS, TLS or timeout failure.
    case failed(TransportFailure)
}

/// A request that got no HTTP status. Retried with back-off (DESIGN §4); an abandoned one at once.
public struct TransportFailure: Sendable, Hashable, CustomStringConvertible {
    /// The class of failure, plain so it can be a log key.
    public enum Kind: String, Sendable, Hashable {
        /// DNS, connect, reset, broken pipe.
        case network
        /// TLS handshake or certificate verification.
        case tls
        /// Connect or total timeout.
        case timeout
        /// Cut short by the agent: the registry answered again on another connection (a heartbeat got
        /// through) while this request hung, so it is sent again at once instead of waiting out its timeout
        /// and a back-off (issue 12 item 8).
        case abandoned
    }

    /// The class of failure.
    public var kind: Kind
    /// The underlying client's text (for example libcurl's error buffer); no payload, no credentials.
    public var message: String

    /// Creates a failure.
    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}

extension TransportOutcome {
    /// Parses a `Retry-After` header value in delta-seconds form ("120"). Returns `nil` for the HTTP-date form
    /// or anything else, in which case the policy's own back-off applies.
    public static func retryAfter(parsing value: String) -> Duration? {
        let trimmed = value.trimmingWhitespace
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let seconds = Int64(trimmed)
        else { return nil }
        return .seconds(seconds)
    }
}

extension String {
    fileprivate var trimmingWhitespace: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[first...last]
    }
}
