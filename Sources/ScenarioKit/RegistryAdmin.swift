import FoundationEssentials
import ShelterCore
import HTTPClient

/// The reference registry's admin endpoints, over verified HTTPS with the run's development PKI: set a
/// shelter's lifecycle, switch fault injection, list what it received. Thread-safe (one `HTTPClient`).
final class RegistryAdmin: Sendable {
    let baseURL: String
    private let client: HTTPClient

    /// - Parameters:
    ///   - baseURL: `https://127.0.0.1:PORT` (no trailing slash).
    ///   - tls: CA bundle and the operator's client certificate from the run's PKI.
    init(baseURL: String, tls: HTTPClientConfiguration.TLS) throws(ScenarioError) {
        self.baseURL = baseURL
        do {
            client = try HTTPClient(
                configuration: .init(
                    tls: tls, timeouts: .init(connect: .seconds(2), total: .seconds(5)),
                    userAgent: "shelter-sim scenario",
                    // The admin listings hold everything a run received (72 reports after an outage are over 1 MiB).
                    maximumResponseBodySize: 256 << 20))
        } catch {
            throw ScenarioError(code: .setupFailed, subject: "registry admin", "cannot set up HTTPS: \(error)")
        }
    }

    deinit { client.shutdown() }

    /// Sets the shelter's lifecycle state, and the drill overlay when `isDrill` is given
    /// (`PUT /v1/admin/shelters/{id}/lifecycle` with a `LifecycleChange`).
    func setLifecycle(shelterID: String, state: LifecycleState, isDrill: Bool?) async throws(ScenarioError) {
        let drill = isDrill.map { ",\"isDrill\":\($0)" } ?? ""
        try await send(
            .put, "/v1/admin/shelters/\(shelterID)/lifecycle", body: "{\"state\":\"\(state.rawValue)\"\(drill)}")
    }

    /// Makes the registry answer every gateway request with 503 (`.refuse`) or hold it unanswered (`.hang`)
    /// until the registry restarts (`POST /v1/admin/faults`; needs `--enable-fault-injection`). The queue has
    /// no "clear": the runner ends such an outage by restarting the registry, whose database keeps the data.
    func startOutage(_ mode: OutageMode) async throws(ScenarioError) {
        let fault =
            mode == .hang
            ? "{\"hang\":true,\"hangSeconds\":7200,\"count\":1000000}"
            : "{\"status\":503,\"retryAfterSeconds\":1,\"count\":1000000}"
        try await send(.post, "/v1/admin/faults", body: fault)
    }

    /// The alert events received for the shelter, in receipt order.
    func alerts(shelterID: String) async throws(ScenarioError) -> JSONValue {
        try await json("/v1/admin/alerts?shelterId=\(shelterID)")
    }

    /// One alert event as the registry's CAP 1.2 document (`GET /v1/cap/{eventId}.xml?sender=GATEWAY`).
    func capDocument(eventID: String, sender: String) async throws(ScenarioError) -> [UInt8] {
        try await send(.get, "/v1/cap/\(eventID).xml?sender=\(sender)", body: nil)
    }

    /// The status reports received for the shelter, in receipt order.
    func reports(shelterID: String) async throws(ScenarioError) -> JSONValue {
        try await json("/v1/admin/reports?shelterId=\(shelterID)")
    }

    /// How many heartbeats the gateway has sent (`GET /v1/admin/heartbeats`: `{receivedAt, heartbeat}` items).
    func heartbeatCount(gatewayID: String) async throws(ScenarioError) -> Int {
        let items = try await json("/v1/admin/heartbeats").arrayValue ?? []
        return items.filter {
            ($0["heartbeat"]?["gatewayId"] ?? $0["gatewayId"])?.stringValue ?? gatewayID == gatewayID
        }
        .count
    }

    private func json(_ path: String) async throws(ScenarioError) -> JSONValue {
        let body = try await send(.get, path, body: nil)
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(body))
        } catch {
            throw ScenarioError(code: .setupFailed, subject: "registry admin", "GET \(path): not JSON: \(error)")
        }
    }

    @discardableResult
    private func send(_ method: HTTPMethod, _ path: String, body: String?) async throws(ScenarioError) -> [UInt8] {
        let request = HTTPRequest(
            method: method, url: baseURL + path,
            headers: body == nil ? [] : [HTTPHeader("Content-Type", "application/json")],
            body: body.map { Array($0.utf8) })
        let response: HTTPResponse
        do {
            response = try await client.send(request)
        } catch {
            throw ScenarioError(code: .setupFailed, subject: "registry admin", "\(method) \(path): \(error)")
        }
        guard response.isSuccess else {
            let text = String(decoding: response.body.prefix(300), as: UTF8.self)
            throw ScenarioError(
                code: .setupFailed, subject: "registry admin",
                "\(method) \(path): HTTP \(response.status) \(text)")
        }
        return response.body
    }
}
