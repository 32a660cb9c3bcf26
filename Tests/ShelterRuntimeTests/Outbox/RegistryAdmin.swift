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
    let operatorClient = try registryClient(try await TestPKI.shared(), certificate: "operator")
    defer { operatorClient.shutdown() }
    let response = try await operatorClient.send(
        HTTPRequest(
            method: method, url: registry.url(path), headers: [HTTPHeader("Content-Type", "application/json")],
            body: json.map { Array($0.utf8) }))
    try #require(response.isSuccess, "\(method) \(path) answered \(response.status)")
    return response
}

/// A client of a test registry with the test PKI's certificate `certificate` (a gateway's or `operator`), the
/// registry's key pinned.
func registryClient(_ pki: TestPKI, certificate: String, total: Duration = .seconds(30)) throws -> HTTPClient {
    try HTTPClient(
        configuration: .init(
            tls: .init(
                caBundlePath: pki.certificate("ca"), clientCertificatePath: pki.certificate(certificate),
                clientKeyPath: pki.key(certificate), pinnedPublicKey: try pki.registryPin()),
            timeouts: .init(connect: .seconds(20), total: total)))
}
