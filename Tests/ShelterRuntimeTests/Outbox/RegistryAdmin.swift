import FoundationEssentials
import HTTPClient
import HTTPTestSupport
import Testing

/// An admin request to a test registry with the operator's certificate (the registry refuses the admin token
/// with a gateway's certificate, issue 12). Records an issue and throws when the answer is not 2xx.
@discardableResult
func registryAdmin(
    _ registry: RegistryProcess, _ method: HTTPMethod, _ path: String, json: String? = nil
) async throws -> HTTPResponse {
    let pki = try await TestPKI.shared()
    let operatorClient = try HTTPClient(
        configuration: .init(
            tls: .init(
                caBundlePath: pki.certificate("ca"), clientCertificatePath: pki.certificate("operator"),
                clientKeyPath: pki.key("operator"), pinnedPublicKey: try pki.registryPin()),
            timeouts: .init(connect: .seconds(20), total: .seconds(30))))
    defer { operatorClient.shutdown() }
    let response = try await operatorClient.send(
        HTTPRequest(
            method: method, url: registry.url(path), headers: [HTTPHeader("Content-Type", "application/json")],
            body: json.map { Array($0.utf8) }))
    try #require(response.isSuccess, "\(method) \(path) answered \(response.status)")
    return response
}
