import FoundationEssentials
import HTTPClient
import HTTPTestSupport
import ShelterCore
import ShelterRuntime
import ShelterTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("HTTPRegistryTransport")
struct HTTPRegistryTransportTests {
    /// A loopback port with nothing listening: bound on port 0 to learn a free one, then closed.
    static func closedLoopbackPort() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        try #require(bound)
        return UInt16(bigEndian: address.sin_port)
    }

    @Test("a registry that refuses connections is a network failure, which the policy retries")
    func connectionRefused() async throws {
        let port = try Self.closedLoopbackPort()
        let client = try HTTPClient(configuration: .init(timeouts: .init(connect: .seconds(5), total: .seconds(10))))
        defer { client.shutdown() }
        let transport = HTTPRegistryTransport(client: client, baseURL: "https://127.0.0.1:\(port)/")
        let outcome = await transport.post(path: "/v1/shelters/SH-1/status", body: Array("[]".utf8))
        guard case .failed(let failure) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(failure.kind == .network)
        #expect(!failure.message.isEmpty)
        var policy = OutboxPolicy()
        let batch = OutboxBatch(
            kind: .status, entries: [OutboxEntry(id: "r1", kind: .status, createdAt: .init(), byteCount: 2)])
        guard case .retry = policy.batchFinished(batch, outcome: outcome, now: .init()) else {
            Issue.record("a refused connection must be retried")
            return
        }
    }
}

@Suite("HTTPRegistryTransport over HTTPS", .tags(.integration))
struct HTTPRegistryTransportHTTPSTests {
    @Test("a redirect is not followed: the outcome names its Location and the policy holds, naming it too")
    func redirectHolds() async throws {
        let pki = try await TestPKI.shared()
        let server = try await ScriptedHTTPSServer(certificate: pki.certificate("registry"), key: pki.key("registry"))
        let client = try HTTPClient(configuration: .init(tls: .init(caBundlePath: pki.certificate("ca"))))
        defer { client.shutdown() }
        let transport = HTTPRegistryTransport(client: client, baseURL: server.url("/redirect"))
        let outcome = await transport.post(path: "/302", body: Array("[]".utf8))
        guard case .response(302, _, let refusal) = outcome else {
            Issue.record("expected the 302 itself, got \(outcome)")
            return
        }
        #expect(refusal?.location == "https://elsewhere.example/v1/moved")
        var policy = OutboxPolicy()
        let batch = OutboxBatch(
            kind: .alert, entries: [OutboxEntry(id: "e1", kind: .alert, createdAt: .init(), byteCount: 2)])
        guard case .hold(_, let fault, _) = policy.batchFinished(batch, outcome: outcome, now: .init()) else {
            Issue.record("a redirect must hold the outbox")
            return
        }
        #expect(fault.message.contains("https://elsewhere.example/v1/moved"))
    }
}
