public import ShelterCore
import Synchronization

/// A registry in memory behind the `RegistryClient` port: answers what the test sets, records what it got.
/// Thread-safe.
public final class FakeRegistryClient: RegistryClient {
    private struct State {
        var record: Result<RecordFetch, RegistryClientError> = .success(
            .refused(status: 503, refusal: RegistryRefusal()))
        var heartbeat: Result<HeartbeatOutcome, RegistryClientError> = .success(
            .refused(status: 503, refusal: RegistryRefusal()))
        var heartbeats: [HeartbeatRequest] = []
        var recordRequests: [String?] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// What the next record fetches return.
    public func answerRecord(_ answer: Result<RecordFetch, RegistryClientError>) {
        state.withLock { $0.record = answer }
    }

    /// What the next heartbeats return.
    public func answerHeartbeat(_ answer: Result<HeartbeatOutcome, RegistryClientError>) {
        state.withLock { $0.heartbeat = answer }
    }

    /// Heartbeats received, in order.
    public var heartbeats: [HeartbeatRequest] { state.withLock { $0.heartbeats } }
    /// The `If-None-Match` of each record fetch, in order.
    public var recordRequests: [String?] { state.withLock { $0.recordRequests } }

    public func fetchRecord(shelterId: String, entityTag: String?) async throws(RegistryClientError) -> RecordFetch {
        let answer = state.withLock { s in
            s.recordRequests.append(entityTag)
            return s.record
        }
        return try answer.get()
    }

    public func sendHeartbeat(_ heartbeat: HeartbeatRequest) async throws(RegistryClientError) -> HeartbeatOutcome {
        let answer = state.withLock { s in
            s.heartbeats.append(heartbeat)
            return s.heartbeat
        }
        return try answer.get()
    }
}
