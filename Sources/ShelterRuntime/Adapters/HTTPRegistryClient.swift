public import FoundationEssentials
public import HTTPClient
public import ShelterCore

/// The registry over HTTPS (libcurl, verified TLS, client certificate, one kept-alive handle) behind the
/// core's `RegistryClient` port: the record with `If-None-Match`, and the heartbeat (DESIGN §4).
///
/// Thread-safe; requests run one at a time on the client's own thread.
public struct HTTPRegistryClient: RegistryClient {
    private let client: HTTPClient
    private let baseURL: String

    /// - Parameters:
    ///   - client: the HTTPS client for registration traffic.
    ///   - baseURL: the registry's base URL; a trailing slash is dropped.
    public init(client: HTTPClient, baseURL: String) {
        self.client = client
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    public func fetchRecord(
        shelterId: String, entityTag: String?
    ) async throws(RegistryClientError) -> RecordFetch {
        var headers = [HTTPHeader("Accept", "application/json")]
        if let entityTag, !entityTag.isEmpty { headers.append(HTTPHeader("If-None-Match", entityTag)) }
        let response = try await send(
            HTTPRequest(method: .get, url: baseURL + RegistryAPI.recordPath(shelterId: shelterId), headers: headers))
        switch response.status {
        case 304:
            return .notModified
        case 200:
            return .record(try decode(ShelterRecord.self, from: response.body), entityTag: response.etag)
        default:
            return .refused(status: response.status, refusal: Self.refusal(response))
        }
    }

    public func sendHeartbeat(_ heartbeat: HeartbeatRequest) async throws(RegistryClientError) -> HeartbeatOutcome {
        let body: [UInt8]
        do {
            body = Array(try RegistryJSON.makeEncoder().encode(heartbeat))
        } catch {
            throw .malformedAnswer("heartbeat not encoded: \(error)")
        }
        let response = try await send(
            HTTPRequest(
                method: .post, url: baseURL + RegistryAPI.heartbeatPath(gatewayId: heartbeat.gatewayId),
                headers: [HTTPHeader("Content-Type", "application/json")], body: body))
        guard response.isSuccess else { return .refused(status: response.status, refusal: Self.refusal(response)) }
        return .answered(try decode(HeartbeatResponse.self, from: response.body))
    }

    private static func refusal(_ response: HTTPResponse) -> RegistryRefusal {
        RegistryRefusal(body: response.body, location: response.value(forHeader: "Location"))
    }

    private func send(_ request: HTTPRequest) async throws(RegistryClientError) -> HTTPResponse {
        do {
            return try await client.send(request)
        } catch {
            throw .unreachable(error.description)
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws(RegistryClientError) -> T {
        do {
            return try RegistryJSON.makeDecoder().decode(type, from: Data(body))
        } catch {
            throw .malformedAnswer("\(error)")
        }
    }
}
