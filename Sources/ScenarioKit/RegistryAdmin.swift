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
            client = try HTTPClient(configuration: .init(
                tls: tls, timeouts: .init(connect: .seconds(2), total: .seconds(5)), userAgent: "shelter-sim scenario"))
        } catch {
            throw ScenarioError(code: .setupFailed, subject: "registry admin", "cannot set up HTTPS: \(error)")
        }
    }

    deinit { client.shutdown() }

    /// Sets the shelter's lifecycle state and/or drill overlay.
    func setLifecycle(shelterID: String, _ setting: LifecycleSetting) async throws(ScenarioError) {
        var fields: [String] = []
        if let state = setting.state { fields.append("\"state\":\"\(state.rawValue)\"") }
        if let drill = setting.isDrill { fields.append("\"drill\":\(drill)") }
        try await send(.put, "/v1/admin/shelters/\(shelterID)/lifecycle", body: "{\(fields.joined(separator: ","))}")
    }

    /// Makes the registry answer agent requests with 503 (`.refuse`), never (`.hang`), or normally (`nil`).
    func setFault(_ mode: OutageMode?) async throws(ScenarioError) {
        let name = switch mode {
        case .refuse: "\"unavailable\""
        case .hang: "\"hang\""
        case .stop, nil: "null"
        }
        try await send(.put, "/v1/admin/fault", body: "{\"mode\":\(name)}")
    }

    /// The alert events received for the shelter, in receipt order.
    func alerts(shelterID: String) async throws(ScenarioError) -> JSONValue {
        try await json("/v1/admin/alerts?shelterId=\(shelterID)")
    }

    /// The status reports received for the shelter, in receipt order.
    func reports(shelterID: String) async throws(ScenarioError) -> JSONValue {
        try await json("/v1/admin/reports?shelterId=\(shelterID)")
    }

    /// The heartbeats received from the gateway, in receipt order.
    func heartbeats(gatewayID: String) async throws(ScenarioError) -> JSONValue {
        try await json("/v1/admin/heartbeats?gatewayId=\(gatewayID)")
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
            headers: body == nil ? [] : [HTTPHeader("Content-Type", "application/json")], body: body.map { Array($0.utf8) })
        let response: HTTPResponse
        do {
            response = try await client.send(request)
        } catch {
            throw ScenarioError(code: .setupFailed, subject: "registry admin", "\(method) \(path): \(error)")
        }
        guard response.isSuccess else {
            let text = String(decoding: response.body.prefix(300), as: UTF8.self)
            throw ScenarioError(code: .setupFailed, subject: "registry admin",
                                "\(method) \(path): HTTP \(response.status) \(text)")
        }
        return response.body
    }
}
