import Foundation
import HTTPClient
import HTTPTestSupport
import ShelterCore
import Testing
import ShelterTesting

/// A running registry on `engine`: shelter `SMX-HB-0007` with a filed record, served by `gw-reference-01`;
/// shelter `SMX-HB-0099` with no filed record, served by `gw-reference-03`. `gw-reference-02` has a valid
/// certificate but no mapping (an unknown gateway).
struct RegistryFixture {
    static let shelterId = "SMX-HB-0007"
    static let gatewayId = "gw-reference-01"
    static let otherShelterId = "SMX-HB-0099"
    static let otherGatewayId = "gw-reference-03"
    /// GB/T 2260 code given for SMX-HB-0007 (Hubin district, Sanmenxia).
    static let divisionCode = "411202"

    let pki: TestPKI
    let registry: RegistryProcess
    let engine: RegistryEngine
    /// The database the registry runs on (`--database`).
    let database: String

    /// The filed record of `SMX-HB-0007` as given to the registry (its `recordVersion` is the registry's).
    static let record = ShelterRecord(
        id: shelterId, name: "Hubin Square shelter",
        location: .init(
            address: "1 Hubin Road, Hubin District, Sanmenxia", latitude: 34.7733, longitude: 111.2006,
            district: "Hubin"),
        effectiveArea: 3000, capacity: 2000)

    /// - Parameters:
    ///   - database: an existing database to share (two instances on one PostgreSQL); default: a new one.
    init(engine: RegistryEngine = .sqlite, database: String? = nil, extraArguments: [String] = []) async throws {
        pki = try await TestPKI.shared()
        self.engine = engine
        let shared = database
        let database: String
        if let shared { database = shared } else { database = try await engine.makeDatabase() }
        self.database = database
        registry = try await RegistryProcess(
            pki: pki,
            arguments: ["--config", try Self.writeConfig(), "--database", database] + extraArguments)
    }

    /// A `--config` file: the two shelters, their gateways, grade and division code.
    static func writeConfig() throws -> String {
        let record = String(decoding: try Payloads.encode(Self.record), as: UTF8.self)
        let json = """
            {"shelters": [
              {"record": \(record), "gateways": ["\(gatewayId)"], "grade": "II", "divisionCode": "\(divisionCode)"},
              {"id": "\(otherShelterId)", "gateways": ["\(otherGatewayId)"]}
            ], "operators": ["operator"]}
            """
        let path = try makeTemporaryDirectory(prefix: "registry-config") + "/registry.json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A client presenting `certificate` (nil: none), trusting the test CA and pinning the registry key.
    func client(_ certificate: String? = Self.gatewayId, total: Duration = .seconds(30)) throws -> HTTPClient {
        try HTTPClient(
            configuration: .init(
                tls: .init(
                    caBundlePath: pki.certificate("ca"), clientCertificatePath: certificate.map(pki.certificate),
                    clientKeyPath: certificate.map(pki.key), pinnedPublicKey: try pki.registryPin()),
                timeouts: .init(connect: .seconds(20), total: total)))
    }

    /// Sends `body` as JSON and returns the response.
    func send(
        _ client: HTTPClient, _ method: HTTPMethod, _ path: String, json body: [UInt8]? = nil,
        headers: [HTTPHeader] = []
    ) async throws -> HTTPResponse {
        let contentType = body == nil ? [] : [HTTPHeader("Content-Type", "application/json")]
        let request = HTTPRequest(method: method, url: registry.url(path), headers: contentType + headers, body: body)
        // No retry: the connections "the registry closed without an answer" (curl 52 and 56 in loaded CI runs)
        // were most likely this test process's own doing: RawModbusTCPServer.stop() shut down a descriptor number
        // it had closed, which by then could be one of these clients' sockets (fixed with a test in
        // ModbusTCPReplyCheckTests). A dropped connection now fails the test that saw it.
        return try await client.send(request)
    }

    /// Admin request as an operator (the operator's client certificate), whatever `client` is.
    func admin(
        _ client: HTTPClient, _ method: HTTPMethod, _ path: String, json body: [UInt8]? = nil
    ) async throws
        -> HTTPResponse
    {
        try await send(try operatorClient(), method, path, json: body)
    }

    /// A client with the operator's certificate.
    func operatorClient() throws -> HTTPClient { try client("operator") }

    /// Admin request with the loopback admin token, presenting `client`'s certificate.
    func adminWithToken(
        _ client: HTTPClient, _ method: HTTPMethod, _ path: String, json body: [UInt8]? = nil
    )
        async throws -> HTTPResponse
    {
        try await send(
            client, method, path, json: body,
            headers: [HTTPHeader("Authorization", "Bearer \(RegistryProcess.adminToken)")])
    }
}

/// Payloads as the agent sends them, built from the shared payload types.
enum Payloads {
    static let observedAt = Date(timeIntervalSince1970: 1_795_000_000)

    static func report(
        _ number: Int64, shelterId: String = RegistryFixture.shelterId,
        gatewayId: String = RegistryFixture.gatewayId
    ) -> StatusReport {
        StatusReport(
            reportId: "rpt-\(gatewayId)-\(number)", sequence: number, shelterId: shelterId, gatewayId: gatewayId,
            recordVersion: 1, observedAt: observedAt.addingTimeInterval(Double(number) * 60),
            lifecycle: LifecycleStatus(state: .activated),
            capacity: CapacityStatus(registered: 2000, occupied: 1840, notes: []),
            resources: ResourceStatus(power: .adequate, water: .insufficient, sanitation: .unknown, comms: .adequate),
            checks: [
                CheckResult(
                    checkId: .occupancy, status: .warning, value: MeasuredValue(0.92, unit: "1"),
                    threshold: ThresholdUsed(
                        warning: 0.9, critical: 1.0, unit: "1", direction: .above, origin: .record),
                    source: "Sanmenxia measures art. 14 (3)", summary: "1840 of 2000 registered persons"),
                CheckResult(
                    checkId: .sewageLevel, status: .unknown, value: nil, threshold: nil, source: "site policy",
                    summary: "sewage level unknown", reason: .timeout, reasonDetail: "device sewage1 timed out"),
            ],
            devices: [
                DeviceLinkStatus(device: "counter1", link: .up), DeviceLinkStatus(device: "sewage1", link: .down),
            ],
            readings: [
                ReadingStatus(
                    device: "tank1", point: "level", quantity: .init(rawValue: "water.tank.level"), value: 1.25,
                    unit: "m",
                    quality: .good, observedAt: observedAt),
                ReadingStatus(
                    device: "sewage1", point: "level", value: nil, unit: "%", quality: .bad, reason: .timeout,
                    observedAt: nil),
            ],
            lastUpdate: ZonedTime(instant: observedAt, utcOffsetMinutes: 480))
    }

    static func alert(
        _ number: Int, msgType: CAPMessageType = .alert, shelterId: String = RegistryFixture.shelterId,
        gatewayId: String = RegistryFixture.gatewayId, sent: Date = observedAt
    ) -> AlertEvent {
        AlertEvent(
            alertId: "alr-C-01-\(number / 10)", eventId: "evt-\(number)", shelterId: shelterId,
            gatewayId: gatewayId, references: msgType == .alert ? [] : ["evt-\(number - 1)"],
            status: .actual, msgType: msgType, category: .safety, event: "Shelter occupancy near capacity",
            urgency: .immediate, severity: .moderate, certainty: .observed, onset: observedAt, sent: sent,
            headline: "C-01 warning: occupancy 92 % of registered capacity",
            description: "1840 persons present, registered capacity 2000 (Sanmenxia measures art. 14 (3)).",
            instruction: "Prepare overflow space; stop admitting at 2000.",
            parameters: AlertParameters(
                checkId: .occupancy, subject: "", checkStatus: .warning, value: MeasuredValue(0.92, unit: "1"),
                threshold: 0.9, thresholdOrigin: .record, occupancy: 1840, capacity: 2000))
    }

    static func heartbeat(gatewayId: String = RegistryFixture.gatewayId) -> HeartbeatRequest {
        HeartbeatRequest(
            gatewayId: gatewayId, shelterId: RegistryFixture.shelterId, agentVersion: "0.1.0", uptime: .seconds(3725),
            sentAt: observedAt, recordVersion: 1, lifecycle: LifecycleStatus(state: .standby),
            outbox: OutboxHealth(depth: 12, oldestAge: .milliseconds(90_500), deadLetters: 1),
            devices: [DeviceLinkStatus(device: "counter1", link: .up)])
    }

    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        Array(try RegistryJSON.makeEncoder().encode(value))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ response: HTTPResponse) throws -> T {
        try RegistryJSON.makeDecoder().decode(T.self, from: Data(response.body))
    }
}

/// Runs `Scripts/validate-payloads` (python3 jsonschema against the OpenAPI document) on bodies, so every
/// payload the tests send is checked against the contract. Returns the script's exit status and output.
enum SchemaCheck {
    static func validate(
        _ mode: String, _ name: String, bodies: [[UInt8]]
    ) async throws -> (status: Int32, output: String) {
        let directory = try makeTemporaryDirectory(prefix: "schema")
        var files: [String] = []
        for (index, body) in bodies.enumerated() {
            let path = "\(directory)/\(index).json"
            try Data(body).write(to: URL(fileURLWithPath: path))
            files.append(path)
        }
        return try await run([mode, name] + files)
    }

    static func validateCapture(_ directory: String) async throws -> (status: Int32, output: String) {
        try await run(["--capture", directory])
    }

    private static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = try ChildProcess(
            executable: "/usr/bin/env",
            arguments: ["python3", repositoryRoot + "/Scripts/validate-payloads"] + arguments)
        let status = await process.waitForExit()
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1  // WIFEXITED / WEXITSTATUS
        return (exitCode, process.output.joined(separator: "\n"))
    }

    /// Expects every body to validate against `name`'s request (operationId) or schema.
    static func expectValid(
        _ mode: String, _ name: String, _ bodies: [[UInt8]],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let result = try await validate(mode, name, bodies: bodies)
        #expect(result.status == 0, "schema check failed:\n\(result.output)", sourceLocation: sourceLocation)
    }
}
