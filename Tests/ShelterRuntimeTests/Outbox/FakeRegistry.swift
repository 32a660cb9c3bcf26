import FoundationEssentials
import ShelterCore
import ShelterRuntime
import Synchronization

/// A registry transport in memory: answers each request with what `respond` says, records every request and the
/// ids it accepted (2xx), as the real registry would store them.
final class FakeRegistry: RegistryTransport {
    struct Request: Sendable {
        var path: String
        var ids: [String]
        var at: ContinuousClock.Instant
        var outcome: TransportOutcome
    }

    private struct State {
        var respond: @Sendable (_ path: String, _ ids: [String]) -> TransportOutcome = { _, _ in
            .response(statusCode: 200)
        }
        var requests: [Request] = []
        var accepted: [String] = []
    }

    private let state = Mutex(State())

    /// Sets how the registry answers from now on.
    func respond(_ respond: @escaping @Sendable (_ path: String, _ ids: [String]) -> TransportOutcome) {
        state.withLock { $0.respond = respond }
    }

    var requests: [Request] { state.withLock { $0.requests } }
    /// Ids accepted with a 2xx, in arrival order (duplicates kept, so a test can see them).
    var accepted: [String] { state.withLock { $0.accepted } }

    func post(path: String, body: [UInt8]) async -> TransportOutcome {
        let ids = Self.ids(in: body)
        return state.withLock { state in
            let outcome = state.respond(path, ids)
            state.requests.append(Request(path: path, ids: ids, at: .now, outcome: outcome))
            if case .response(let status, _, _) = outcome, (200..<300).contains(status) {
                state.accepted += ids
            }
            return outcome
        }
    }

    private struct Payload: Decodable {
        var reportId: String?
        var eventId: String?
    }

    /// The `eventId`/`reportId` of each element of a JSON array body; "<invalid>" when the body is not one.
    static func ids(in body: [UInt8]) -> [String] {
        guard let payloads = try? JSONDecoder().decode([Payload].self, from: Data(body)) else { return ["<invalid>"] }
        return payloads.map { $0.eventId ?? $0.reportId ?? "<no id>" }
    }
}

/// Status report and alert event payloads shaped like the real ones where the store and forwarder care: an id.
enum TestPayload {
    static func status(_ id: String, filler: Int = 50) -> [UInt8] {
        Array(#"{"reportId":"\#(id)","filler":"\#(String(repeating: "x", count: filler))"}"#.utf8)
    }

    /// An alert event of its own alert (`A-<id>`) unless `alertId` and `msgType` say otherwise.
    static func alert(_ id: String, alertId: String? = nil, msgType: String = "Alert") -> [UInt8] {
        let alert = alertId ?? "A-\(id)"
        return Array(#"{"eventId":"\#(id)","alertId":"\#(alert)","msgType":"\#(msgType)","headline":"test"}"#.utf8)
    }
}
