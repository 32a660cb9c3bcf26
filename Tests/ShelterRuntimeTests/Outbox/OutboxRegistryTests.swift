import FoundationEssentials
import HTTPClient
import HTTPTestSupport
import Logging
import ShelterCore
import ShelterRuntime
import Testing
import ShelterTesting

/// The outbox against the reference registry over real HTTPS with mutual TLS on loopback (issue 6): faults come
/// from the registry's fault injection, what arrived is read back from its admin listings.
@Suite("Outbox against shelter-registry", .tags(.integration))
struct OutboxRegistryTests {
    static let shelterId = "SMX-HB-0007"
    static let gatewayId = "gw-reference-01"
    /// Recent, so the outbox's age bound keeps the items (an old fixture date would be evicted, correctly).
    static let observedAt = Date().addingTimeInterval(-3600)

    @Test("503 and 429 back off, a 400 becomes a dead letter, the rest arrives in order, once")
    func drainsThroughFaults() async throws {
        let pki = try await TestPKI.shared()
        let registry = try await RegistryProcess(
            pki: pki, arguments: ["--shelter", Self.shelterId, "--gateway", "\(Self.gatewayId)=\(Self.shelterId)"])
        let client = try HTTPClient(
            configuration: .init(
                tls: .init(
                    caBundlePath: pki.certificate("ca"), clientCertificatePath: pki.certificate(Self.gatewayId),
                    clientKeyPath: pki.key(Self.gatewayId), pinnedPublicKey: try pki.registryPin()),
                timeouts: .init(connect: .seconds(20), total: .seconds(30))))
        defer { client.shutdown() }
        // The registry is "down" for the first status requests and busy for one alert request.
        try await admin(
            client, registry, .post, "/v1/admin/faults", json: #"{"status":503,"count":3,"paths":"status"}"#)
        try await admin(
            client, registry, .post, "/v1/admin/faults",
            json: #"{"status":429,"retryAfterSeconds":1,"count":1,"paths":"alerts"}"#)

        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: Logger(label: "test"))
        let reports = (1...25).map(Self.report)
        for (index, report) in reports.enumerated() {
            try store.enqueue(report)
            if index == 11 {
                // Not a StatusReport: the registry refuses it with 400.
                store.enqueueStatus(id: "rpt-bad", payload: Array(#"{"reportId":"rpt-bad"}"#.utf8), createdAt: Date())
            }
        }
        let alerts = (1...3).map(Self.alert)
        for alert in alerts { try await store.enqueue(alert) }
        try await store.flush()

        let policy = OutboxPolicy(
            configuration: .init(
                batch: .init(maximumCount: 10),
                retry: .init(initialBackoff: .milliseconds(50), maximumBackoff: .milliseconds(400))))
        let forwarder = OutboxForwarder(
            store: store, transport: HTTPRegistryTransport(client: client, baseURL: registry.url("")),
            shelterId: Self.shelterId, policy: policy, logger: Logger(label: "test"))
        let run = Task { try await forwarder.run() }
        defer { run.cancel() }
        #expect(try await eventually(timeout: .seconds(60)) { try await store.statistics().depth == 0 })
        run.cancel()
        try await run.value

        let storedReports = try RegistryJSON.makeDecoder().decode(
            [StatusReport].self,
            from: Data(try await admin(client, registry, .get, "/v1/admin/reports?shelterId=\(Self.shelterId)").body))
        let storedAlerts = try RegistryJSON.makeDecoder().decode(
            [AlertEvent].self,
            from: Data(try await admin(client, registry, .get, "/v1/admin/alerts?shelterId=\(Self.shelterId)").body))
        #expect(storedReports.map(\.reportId) == reports.map(\.reportId))
        #expect(storedAlerts.map(\.eventId) == alerts.map(\.eventId))
        let letters = try await store.deadLetters()
        #expect(letters.map(\.id) == ["rpt-bad"])
        #expect(letters.first?.statusCode == 400)
    }

    /// An admin request with the operator's certificate (`registryAdmin`).
    @discardableResult
    func admin(
        _ client: HTTPClient, _ registry: RegistryProcess, _ method: HTTPMethod, _ path: String, json: String? = nil
    ) async throws -> HTTPResponse {
        try await registryAdmin(registry, method, path, json: json)
    }

    static func report(_ number: Int) -> StatusReport {
        StatusReport(
            reportId: "rpt-outbox-\(number)", sequence: Int64(number), shelterId: shelterId, gatewayId: gatewayId,
            recordVersion: 1, observedAt: observedAt.addingTimeInterval(Double(number) * 60),
            lifecycle: LifecycleStatus(state: .activated),
            capacity: CapacityStatus(registered: 2000, occupied: 1000 + number),
            resources: ResourceStatus(power: .adequate, water: .adequate, sanitation: .adequate, comms: .adequate),
            checks: [], devices: [DeviceLinkStatus(device: "counter1", link: .up)],
            readings: [
                ReadingStatus(
                    device: "tank1", point: "level", value: 1.25, unit: "m", quality: .good, observedAt: observedAt)
            ],
            lastUpdate: ZonedTime(instant: observedAt, utcOffsetMinutes: 480))
    }

    static func alert(_ number: Int) -> AlertEvent {
        AlertEvent(
            alertId: "alr-C-01-\(number)", eventId: "evt-outbox-\(number)", shelterId: shelterId, gatewayId: gatewayId,
            references: [], status: .actual, msgType: .alert, category: .safety,
            event: "Shelter occupancy near capacity", urgency: .immediate, severity: .moderate, certainty: .observed,
            onset: observedAt, sent: observedAt, headline: "C-01 warning: occupancy 92 % of registered capacity",
            description: "1840 persons present, registered capacity 2000.", instruction: "Prepare overflow space.",
            parameters: AlertParameters(
                checkId: .occupancy, subject: "", checkStatus: .warning, value: MeasuredValue(0.92, unit: "1"),
                threshold: 0.9, thresholdOrigin: .record, occupancy: 1840, capacity: 2000))
    }
}
