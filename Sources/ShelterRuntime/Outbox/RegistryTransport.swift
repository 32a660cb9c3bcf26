public import ShelterCore

/// The port through which the forwarder posts batches to the registry (DESIGN §4).
///
/// The production adapter wraps the libcurl HTTPS client (verified TLS, client certificate); tests use fakes.
/// Implementations must be safe to call from any task and must not block the calling thread: a blocking
/// transfer runs on its own thread.
public protocol RegistryTransport: Sendable {
    /// Posts `body` (`Content-Type: application/json`) to `path` on the registry and reports how it ended.
    ///
    /// - Parameters:
    ///   - path: absolute path, for example `/v1/shelters/SH-0042/status`.
    ///   - body: a JSON array of payloads.
    /// - Returns: the HTTP status with `Retry-After` when given, or the failure class; never throws, because
    ///   every failure is an expected outcome the outbox policy decides on.
    func post(path: String, body: [UInt8]) async -> TransportOutcome
}
