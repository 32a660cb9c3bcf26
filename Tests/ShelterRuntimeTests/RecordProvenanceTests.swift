import FoundationEssentials
import HTTPClient
import HTTPTestSupport
import Logging
import ShelterCore
import ShelterTesting
import Synchronization
import Testing

@testable import ShelterRuntime

/// Issue 11 item 1 against the reference registry over real HTTPS on loopback: a registry whose record for the
/// shelter drops the generator and the water tanks (as its placeholder once did) and files another capacity.
/// Before the fix the agent adopted it silently and reported C-11 water *critical* for a site whose sensors
/// were all healthy.
@Suite("Record provenance against shelter-registry", .tags(.integration))
struct RecordProvenanceTests {
    @Test(
        "a registry record without the generator and water tanks is record drift (C-23), shown in status, not a power or water critical"
    )
    func registryRecordWithoutGeneratorAndTanks() async throws {
        let site = try loadReferenceSite()
        var dropped = site.record
        dropped.facilities.generators = []
        dropped.facilities.waterTanks = []
        dropped.capacity = 1500
        let directory = try TemporaryDirectory()
        let recordFile = directory.file("record.json")
        try Data(RegistryJSON.makeEncoder().encode(dropped)).write(to: URL(fileURLWithPath: recordFile))
        let pki = try await TestPKI.shared()
        let registry = try await RegistryProcess(
            pki: pki, arguments: ["--record", recordFile, "--gateway", "gw-reference-01=\(site.record.id)"])
        let client = try registryClient(pki, certificate: "gw-reference-01")
        defer { client.shutdown() }

        let logs = CapturingLogHandler()
        let logger = Logger(label: "test") { _ in logs }
        let state = InMemoryStateDirectory()
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1_796_223_338))
        let (record, source) = RegistrationService.initialRecord(
            stateDirectory: state, siteRecord: site.record, logger: logger)
        let shared = AgentState(record: record, recordSource: source)
        #expect(
            logs.entries.withLock { $0.map(\.message) } == [
                "record in use: the site file's filing, until the registry gives one"
            ])
        let outbox = InMemoryOutbox()
        let registration = RegistrationService(
            registry: HTTPRegistryClient(client: client, baseURL: registry.url("")), outbox: outbox,
            stateDirectory: state, clock: clock, gatewayID: "gw-reference-01", shelterID: site.record.id,
            shared: shared, siteRecord: site.record, logger: logger)
        await registration.fetchRecord()
        #expect(shared.withLock { $0.recordSource } == "registry")
        #expect(shared.withLock { $0.record.facilities.generators }.isEmpty)

        // The log names the record, its source and every difference from the site file's filing.
        let entry = try #require(
            logs.entries.withLock { $0.first { $0.message == "record in use differs from the site file's filing" } })
        #expect(entry.level == .warning)
        #expect(entry.metadata["record.source"] == "registry")
        let line = entry.metadata["record.differences"] ?? ""
        #expect(line.contains("registered capacity 1\u{202F}500 persons (site file: 2\u{202F}000 persons)"), "\(line)")
        #expect(line.contains("generator gen1 is not in this record (the site file's filing lists it)"), "\(line)")
        #expect(line.contains("water tank tank1 is not in this record"), "\(line)")
        #expect(line.contains("water tank tank2 is not in this record"), "\(line)")

        var configuration = AssessmentService.Configuration()
        configuration.machine.startupGrace = .zero
        let assessment = AssessmentService(
            site: site, outbox: outbox, stateDirectory: state, clock: clock, shared: shared,
            results: AsyncStream { $0.finish() }, counters: { [] }, configuration: configuration,
            startedAt: clock.now, logger: logger)
        await assessment.tick()
        assessment.writeStatusFile(now: clock.now)
        let status = try RegistryJSON.makeDecoder().decode(AgentStatus.self, from: Data(#require(state.read(.status))))

        // C-23 lists what the record dropped; C-11 is unknown for power and water, never critical.
        let drift = try #require(status.checks.first { $0.id == "C-23" })
        #expect(drift.status == "warning")
        let driftText = try #require(drift.summaries?["en"])
        #expect(driftText.contains("generator gen1 has sensors on site but is not in the record"), "\(driftText)")
        #expect(driftText.contains("water tank tank1 has sensors on site but is not in the record"), "\(driftText)")
        #expect(driftText.contains("water tank tank2 has sensors on site but is not in the record"), "\(driftText)")
        #expect(status.checks.first { $0.id == "C-11 power" }?.status == "unknown")
        #expect(status.checks.first { $0.id == "C-11 water" }?.status == "unknown")
        #expect(!status.checks.contains { $0.status == "critical" && $0.id.hasPrefix("C-11") })
        #expect(outbox.alerts.filter { $0.parameters.checkId == .sourceRedundancy }.isEmpty)

        // `status` says which record is in use, where it came from and how it differs.
        let screen = status.text(now: clock.now, isProcessAlive: true)
        let version = shared.withLock { $0.record.recordVersion }
        #expect(screen.contains("record     the registry's, version \(version)"), "\(screen)")
        #expect(
            screen.contains(
                "           differs from the site file's filing: registered capacity 1\u{202F}500 persons (site file: "
                    + "2\u{202F}000 persons); generator gen1 is not in this record (the site file's filing lists it); "
                    + "water tank tank1 is not in this record"),
            "\(screen)")
    }

    @Test(
        "a registry with no filed record (404): the site file's filing is used, also over a cached record, and the log says the registry refused, not that it is unreachable"
    )
    func unfiledRecordUsesSiteFile() async throws {
        let site = try loadReferenceSite()
        let pki = try await TestPKI.shared()
        let registry = try await RegistryProcess(
            pki: pki, arguments: ["--shelter", site.record.id, "--gateway", "gw-reference-01=\(site.record.id)"])
        let client = try registryClient(pki, certificate: "gw-reference-01")
        defer { client.shutdown() }

        let logs = CapturingLogHandler()
        let logger = Logger(label: "test") { _ in logs }
        // A record cached from another registry's answer (the new-user trial: status then said "from the local
        // cache (the registry has not answered yet)" while the registry answered 404).
        let state = InMemoryStateDirectory()
        var cached = site.record
        cached.capacity = 1500
        cached.recordVersion = 424_242
        try state.saveRecord(cached, entityTag: "\"424242\"")
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1_796_223_338))
        let (record, source) = RegistrationService.initialRecord(
            stateDirectory: state, siteRecord: site.record, logger: logger)
        #expect(source == "cache")
        let shared = AgentState(record: record, recordSource: source)
        let registration = RegistrationService(
            registry: HTTPRegistryClient(client: client, baseURL: registry.url("")), outbox: InMemoryOutbox(),
            stateDirectory: state, clock: clock, gatewayID: "gw-reference-01", shelterID: site.record.id,
            shared: shared, siteRecord: site.record, logger: logger)
        await registration.fetchRecord()
        await registration.heartbeat()
        await registration.heartbeat()

        let (inUse, inUseSource, pending) = shared.withLock { ($0.record, $0.recordSource, $0.pendingRecord) }
        #expect(inUseSource == "site-file")
        #expect(inUse == site.record)
        #expect(pending == site.record, "the assessment is handed the site file's filing")
        let messages = logs.entries.withLock { $0.map(\.message) }
        // The registry answers (heartbeats go through): neither unreachable, nor refused, nor "reachable again".
        #expect(!messages.contains("registry unreachable"), "\(messages)")
        #expect(!messages.contains("registry refused the request"), "\(messages)")
        #expect(!messages.contains("registry reachable again"), "\(messages)")
        let fallback = logs.entries.withLock {
            $0.filter {
                $0.message
                    == "record in use: the site file's filing; the registry has no filed record for the shelter (HTTP 404)"
            }
        }
        #expect(fallback.count == 1, "\(messages)")
        #expect(fallback.first?.metadata["registry.said"]?.contains("has no filed record at this registry") == true)
    }
}
