/// The registry as the registration service sees it: the record (`GET /v1/shelters/{id}/record`) and the
/// heartbeat (`POST /v1/gateways/{id}/heartbeat`), DESIGN §4.
///
/// The runtime's `HTTPRegistryClient` speaks HTTPS with mutual TLS through libcurl; `ShelterTesting` has an
/// in-memory fake. Implementations are thread-safe.
public protocol RegistryClient: Sendable {
    /// Fetches the shelter's registered record.
    /// - Parameters:
    ///   - shelterId: the registered shelter id.
    ///   - entityTag: the `ETag` of the cached copy, sent as `If-None-Match`; `nil` to fetch unconditionally.
    /// - Returns: not modified, the decoded record with its `ETag`, or the HTTP status of a refusal.
    /// - Throws: `RegistryClientError` when the registry cannot be reached or its answer cannot be decoded.
    func fetchRecord(shelterId: String, entityTag: String?) async throws(RegistryClientError) -> RecordFetch

    /// Sends a heartbeat.
    /// - Returns: the registry's answer (lifecycle, record version, server time), or the HTTP status of a
    ///   refusal.
    /// - Throws: `RegistryClientError` when the registry cannot be reached or its answer cannot be decoded.
    func sendHeartbeat(_ heartbeat: HeartbeatRequest) async throws(RegistryClientError) -> HeartbeatOutcome
}

/// What a record fetch brought.
public enum RecordFetch: Sendable, Hashable {
    /// 304: the cached copy is current.
    case notModified
    /// 200: the record as the registry sent it (not validated yet) and its `ETag`, if any.
    case record(ShelterRecord, entityTag: String?)
    /// Any other HTTP status, with what the registry said (its error body, a redirect's `Location`).
    case refused(status: Int, refusal: RegistryRefusal)
}

/// What a heartbeat brought.
public enum HeartbeatOutcome: Sendable, Hashable {
    /// 2xx with the registry's answer.
    case answered(HeartbeatResponse)
    /// Any other HTTP status, with what the registry said (its error body, a redirect's `Location`).
    case refused(status: Int, refusal: RegistryRefusal)
}

/// Why a registry exchange produced no answer: the registry could not be reached (network, TLS, timeout) or
/// its answer could not be decoded.
public struct RegistryClientError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case unreachable
        case malformedAnswer
    }

    private let code: Code
    /// What happened, for the log and the status file (curl's error text, the decoding error).
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The registry could not be reached: DNS, connect, TLS or timeout. `detail` is the transport's text.
    public static func unreachable(_ detail: String) -> RegistryClientError { .init(.unreachable, detail) }
    /// The registry answered 2xx with a body that is not what the protocol says.
    public static func malformedAnswer(_ detail: String) -> RegistryClientError { .init(.malformedAnswer, detail) }

    /// Whether the registry could not be reached (as opposed to answering something unreadable).
    public var isUnreachable: Bool { code == .unreachable }

    public var description: String {
        switch code {
        case .unreachable: detail
        case .malformedAnswer: "answer not understood: \(detail)"
        }
    }
}
