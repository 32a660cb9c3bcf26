import HTTPClient
import HTTPTestSupport
import ShelterTesting
import Testing

/// Issue 12 items 3, 8 and 9 at the HTTP layer, against real HTTPS servers on loopback: a response body over the
/// limit is an error that says so and is never read whole; a redirect is never followed; a request that hangs
/// can be cut short by cancelling its task.
@Suite("HTTPClient limits", .tags(.integration))
struct HTTPClientLimitsTests {
    let pki: TestPKI

    init() async throws { pki = try await TestPKI.shared() }

    func configuration(maximumBody: Int = 1 << 20, total: Duration = .seconds(60)) -> HTTPClientConfiguration {
        HTTPClientConfiguration(
            tls: .init(caBundlePath: pki.certificate("ca")), timeouts: .init(connect: .seconds(20), total: total),
            maximumResponseBodySize: maximumBody)
    }

    func server() async throws -> ScriptedHTTPSServer {
        try await ScriptedHTTPSServer(certificate: pki.certificate("registry"), key: pki.key("registry"))
    }

    @Test("the default limit is 1 MiB")
    func defaultLimit() {
        #expect(HTTPClientConfiguration().maximumResponseBodySize == 1 << 20)
    }

    @Test(
        "a 64 MiB body, announced or not, fails as too large with the limit named; the handle works on after",
        arguments: ["/big/", "/big-declared/"])
    func bodyOverTheLimit(path: String) async throws {
        let server = try await server()
        let easy = try CurlEasy(configuration: configuration())
        do {
            let response = try easy.request(HTTPRequest(url: server.url(path + "\(64 << 20)")))
            Issue.record("expected a failure, got HTTP \(response.status) with \(response.body.count) bytes")
        } catch {
            #expect(error.kind == .responseTooLarge)
            #expect(error.description.contains("maximumResponseBodySize 1048576 bytes"))
            #expect(error.httpStatus == 200)
        }
        let small = try easy.request(HTTPRequest(url: server.url(path + "\(1 << 20)")))
        #expect(small.body.count == 1 << 20)
        let json = try easy.request(HTTPRequest(url: server.url("/ok")))
        #expect(json.body == Array("{}".utf8))
    }

    @Test("a redirect is answered as it is, never followed", arguments: [301, 302, 307, 308])
    func redirectNotFollowed(status: Int) async throws {
        let server = try await server()
        let easy = try CurlEasy(configuration: configuration())
        let response = try easy.request(
            HTTPRequest(method: .post, url: server.url("/redirect/\(status)"), body: [0x5B, 0x5D]))
        #expect(response.status == status)
        #expect(response.value(forHeader: "Location") == "https://elsewhere.example/v1/moved")
    }

    @Test("cancelling the task cuts a request that hangs short, long before its timeout; the client works on")
    func cancellationCutsAHangShort() async throws {
        let server = try await server()
        let client = try HTTPClient(configuration: configuration(total: .seconds(3600)))
        defer { client.shutdown() }
        let request = Task { try await client.send(HTTPRequest(method: .post, url: server.url("/hang"), body: [1])) }
        try await server.waitForRequest("/hang")
        request.cancel()
        do {
            let response = try await request.value
            Issue.record("expected a cancellation, got HTTP \(response.status)")
        } catch let error as CurlError {
            #expect(error.kind == .cancelled)
            #expect(error.code == .abortedByCallback)
        }
        #expect(try await client.send(HTTPRequest(url: server.url("/ok"))).status == 200)
    }
}
