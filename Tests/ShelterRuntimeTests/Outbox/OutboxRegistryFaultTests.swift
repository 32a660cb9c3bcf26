import FoundationEssentials
import HTTPClient
import HTTPTestSupport
import Logging
import ShelterCore
import ShelterRuntime
import Synchronization
import ShelterTesting
import Testing

/// The commonest uplink mistakes against the reference registry over real HTTPS with mutual TLS: a client
/// certificate for another gateway (issue 11 item 2: "moves two critical alerts to dead letters for good"), and
/// a registry that hangs and recovers while an upload is blocked (issue 12 item 8).
@Suite("Outbox against shelter-registry: faults", .tags(.integration))
struct OutboxRegistryFaultTests {
    static let shelterId = OutboxRegistryTests.shelterId
    let logger = Logger(label: "test")

    func client(_ pki: TestPKI, gateway: String, total: Duration = .seconds(30)) throws -> HTTPClient {
        try registryClient(pki, certificate: gateway, total: total)
    }

    func forwarder(_ store: SQLiteOutboxStore, _ transport: any RegistryTransport) -> OutboxForwarder {
        OutboxForwarder(
            store: store, transport: transport, shelterId: Self.shelterId,
            policy: OutboxPolicy(
                configuration: .init(
                    retry: .init(initialBackoff: .milliseconds(50), maximumBackoff: .milliseconds(400)))),
            logger: logger)
    }

    func storedAlerts(_ registry: RegistryProcess) async throws -> [String] {
        let response = try await registryAdmin(registry, .get, "/v1/admin/alerts?shelterId=\(Self.shelterId)")
        return try RegistryJSON.makeDecoder().decode([AlertEvent].self, from: Data(response.body)).map(\.eventId)
    }

    @Test(
        "a certificate naming another gateway holds the outbox with the registry's words; after the fix all arrive once, in order",
        arguments: [
            // gw-reference-02 is registered for the shelter: the registry refuses the bodies (400 at [i].gatewayId).
            (["--gateway", "gw-reference-02=SMX-HB-0007"], "gw-reference-02 (the client certificate's)"),
            // gw-reference-02 is unknown: 403.
            ([], "gateway gw-reference-02 is not registered"),
        ])
    func wrongCertificateHolds(registryArguments: [String], said: String) async throws {
        let pki = try await TestPKI.shared()
        let registry = try await RegistryProcess(
            pki: pki,
            arguments: ["--shelter", Self.shelterId, "--gateway", "gw-reference-01=\(Self.shelterId)"]
                + registryArguments)
        let wrong = try client(pki, gateway: "gw-reference-02")
        let right = try client(pki, gateway: "gw-reference-01")
        defer {
            wrong.shutdown()
            right.shutdown()
        }
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        let alerts = (1...3).map(OutboxRegistryTests.alert)
        for alert in alerts { try await store.enqueue(alert) }

        let held = Task {
            try await forwarder(store, HTTPRegistryTransport(client: wrong, baseURL: registry.url(""))).run()
        }
        #expect(try await eventually(timeout: .seconds(60)) { try await store.statistics().hold != nil })
        held.cancel()
        try await held.value
        let statistics = try await store.statistics()
        #expect(statistics.deadLetterCount == 0)
        #expect(statistics.alertCount == 3)
        let message = try #require(statistics.hold?.message)
        #expect(message.contains(said), "\(message)")
        #expect(message.contains("gateway.id"))

        // The right certificate installed, the agent reloaded: the hold is released and everything goes.
        let fixed = Task {
            try await forwarder(store, HTTPRegistryTransport(client: right, baseURL: registry.url(""))).run()
        }
        #expect(try await eventually(timeout: .seconds(60)) { try await store.statistics().depth == 0 })
        fixed.cancel()
        try await fixed.value
        #expect(try await storedAlerts(registry) == alerts.map(\.eventId))
        #expect(try await store.deadLetters().isEmpty)
    }

    @Test("an upload hanging at the registry is cut short when a heartbeat gets through, not after its timeout")
    func hangThenRecover() async throws {
        let pki = try await TestPKI.shared()
        let registry = try await RegistryProcess(
            pki: pki, arguments: ["--shelter", Self.shelterId, "--gateway", "gw-reference-01=\(Self.shelterId)"])
        // A timeout far beyond the test's patience: without the cut, the alerts would not arrive in time.
        let upload = try client(pki, gateway: "gw-reference-01", total: .seconds(3600))
        defer {
            upload.shutdown()
        }
        try await registryAdmin(registry, .post, "/v1/admin/faults", json: #"{"hang":true,"count":1,"paths":"alerts"}"#)

        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        let transport = StartedTransport(HTTPRegistryTransport(client: upload, baseURL: registry.url("")))
        let run = Task { try await forwarder(store, transport).run() }
        defer { run.cancel() }
        let alerts = (1...3).map(OutboxRegistryTests.alert)
        for alert in alerts { try await store.enqueue(alert) }
        #expect(await eventually(timeout: .seconds(60)) { transport.started >= 1 })

        // What RegistrationService does when a heartbeat gets through after a failure. Under load the first
        // signal can cut the upload before it reached the registry, which then holds the retry instead (CI); a
        // later heartbeat signals again, as here every 2 s (far below the upload's 3600 s timeout).
        let recovered = ContinuousClock.now
        try await store.retryNow()
        var signalled = ContinuousClock.now
        #expect(
            try await eventually(timeout: .seconds(60)) {
                if ContinuousClock.now - signalled > .seconds(2) {
                    try await store.retryNow()
                    signalled = ContinuousClock.now
                }
                return try await store.statistics().depth == 0
            })
        print("alerts delivered \(ContinuousClock.now - recovered) after the registry answered again")
        run.cancel()
        try await run.value
        #expect(try await storedAlerts(registry) == alerts.map(\.eventId))
        guard case .failed(let failure)? = transport.outcomes.first else {
            Issue.record("the first upload must have been cut short, got \(transport.outcomes)")
            return
        }
        #expect(failure.kind == .abandoned)
    }
}

/// Wraps a transport to count requests started and record their outcomes.
final class StartedTransport: RegistryTransport {
    private let inner: any RegistryTransport
    private let state = Mutex((started: 0, outcomes: [TransportOutcome]()))

    init(_ inner: any RegistryTransport) { self.inner = inner }

    var started: Int { state.withLock { $0.started } }
    var outcomes: [TransportOutcome] { state.withLock { $0.outcomes } }

    func post(path: String, body: [UInt8]) async -> TransportOutcome {
        state.withLock { $0.started += 1 }
        let outcome = await inner.post(path: path, body: body)
        state.withLock { $0.outcomes.append(outcome) }
        return outcome
    }
}
