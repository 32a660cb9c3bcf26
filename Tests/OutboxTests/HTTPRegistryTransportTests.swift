#if canImport(Glibc)
    import Glibc
#endif
import FoundationEssentials
import HTTPClient
import ShelterCore
import ShelterRuntime
import Testing

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
