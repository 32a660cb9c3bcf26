import FoundationEssentials
import Logging
import ShelterCore
import ShelterTesting
import Testing

@testable import ShelterRuntime

/// The agent's services on `ShelterTesting` fakes: they execute the tick machine's actions through the ports
/// (no sockets, no files). The policy itself is tested event by event in `AgentStateMachineTests`.
@Suite("Agent services on fakes")
struct AgentServicesTests {
    static let t0 = Date(timeIntervalSince1970: 1_796_223_338)

    struct Harness {
        let site: SiteConfiguration
        let outbox = InMemoryOutbox()
        let clock = ManualWallClock(AgentServicesTests.t0)
        let directory: InMemoryStateDirectory
        let shared: AgentState
        let registry = FakeRegistryClient()

        init() throws {
            directory = InMemoryStateDirectory(clock: { [clock] in clock.now })
            site = try loadReferenceSite()
            shared = AgentState(record: site.record, recordSource: "site-file")
        }

        /// An assessment started as the agent starts it: with the alerts the outbox holds as standing.
        func assessment() -> AssessmentService {
            var configuration = AssessmentService.Configuration()
            configuration.machine.startupGrace = .zero
            return AssessmentService(
                site: site, outbox: outbox, stateDirectory: directory, clock: clock, shared: shared,
                results: AsyncStream { $0.finish() }, counters: { [] }, configuration: configuration,
                startedAt: clock.now, standingAlerts: outbox.standing, logger: Logger(label: "test"))
        }

        /// The registry answers heartbeats with this lifecycle word.
        func answerHeartbeats(_ lifecycle: LifecycleState, isDrill: Bool) {
            registry.answerHeartbeat(
                .success(
                    .answered(
                        HeartbeatResponse(
                            shelterId: site.record.id, lifecycle: lifecycle, isDrill: isDrill,
                            recordVersion: site.record.recordVersion, serverTime: clock.now))))
        }

        func registration() -> RegistrationService {
            RegistrationService(
                registry: registry, outbox: outbox, stateDirectory: directory, clock: clock, gatewayID: site.gateway.id,
                shelterID: site.record.id, shared: shared, logger: Logger(label: "test"))
        }
    }

    /// C-22 raises an alert for every device never read, once its hold has passed.
    @Test("an alert the outbox refuses is not counted and goes again, in order, on the next tick")
    func commitBeforeCountThroughThePort() async throws {
        let h = try Harness()
        let service = h.assessment()
        // Tick until the never-read devices raise C-22; the first attempts fail.
        h.outbox.failNextAlerts(1)
        for _ in 0..<200 where h.outbox.alerts.isEmpty {
            h.clock.advance(by: 10)
            await service.tick()
        }
        let events = h.outbox.alerts
        #expect(!events.isEmpty)
        // The alerts' state goes with their events into the outbox, no longer into a state file of its own.
        #expect(h.directory.writeCount(.activeAlerts) == 0)
        // Every event is in the outbox once, in the order they were made.
        #expect(Set(events.map(\.eventId)).count == events.count)
        #expect(Set(h.outbox.standing.map(\.alertId)) == Set(events.filter { $0.msgType != .cancel }.map(\.alertId)))
    }

    @Test("a restarted agent keeps a still-true alert's id: no Cancel, no new Alert")
    func restartKeepsAlertIds() async throws {
        let h = try Harness()
        let first = h.assessment()
        for _ in 0..<200 where h.outbox.alerts.isEmpty {
            h.clock.advance(by: 10)
            await first.tick()
        }
        let raised = h.outbox.alerts
        #expect(!raised.isEmpty)
        let second = h.assessment()  // same outbox and state directory: a restart
        for _ in 0..<5 {
            h.clock.advance(by: 10)
            await second.tick()
        }
        let after = h.outbox.alerts.dropFirst(raised.count)
        #expect(after.filter { $0.msgType == .cancel || $0.msgType == .alert }.isEmpty)
        #expect(Set(h.outbox.standing.map(\.alertId)) == Set(raised.map(\.alertId)))
    }

    @Test("a hostile record from the registry is refused, not cached; the last good one stays")
    func hostileRecordNotCached() async throws {
        let h = try Harness()
        var hostile = h.site.record
        hostile.capacity = Int.min
        hostile.recordVersion = 99
        h.registry.answerRecord(.success(.record(hostile, entityTag: "\"99\"")))
        await h.registration().fetchRecord()
        #expect(h.directory.read(.record) == nil)
        #expect(h.shared.withLock { $0.record } == h.site.record)
        #expect(h.shared.withLock { $0.pendingRecord } == nil)
        var good = h.site.record
        good.recordVersion = 5
        h.registry.answerRecord(.success(.record(good, entityTag: "\"5\"")))
        await h.registration().fetchRecord()
        #expect(h.directory.loadRecord()?.record == good)
        #expect(h.directory.loadRecord()?.entityTag == "\"5\"")
        // A restart offline starts from the cached good record; a hostile cache falls back to the site file's.
        let restarted = RegistrationService.initialRecord(
            stateDirectory: h.directory, siteRecord: h.site.record, logger: Logger(label: "test"))
        #expect(restarted.1 == "cache")
        try h.directory.saveRecord(hostile, entityTag: nil)
        let (record, source) = RegistrationService.initialRecord(
            stateDirectory: h.directory, siteRecord: h.site.record, logger: Logger(label: "test"))
        #expect(source == "site-file")
        #expect(record == h.site.record)
    }

    @Test("the heartbeat's lifecycle word reaches the machine and is saved once")
    func heartbeatLifecycle() async throws {
        let h = try Harness()
        h.answerHeartbeats(.activated, isDrill: true)
        let assessment = h.assessment()
        await h.registration().heartbeat()
        await assessment.tick()
        #expect(h.directory.loadLifecycle() == LifecycleChange(state: .activated, isDrill: true))
        #expect(h.shared.withLock { $0.lifecycle } == LifecycleStatus(state: .activated, isDrill: true))
        await h.registration().heartbeat()
        await assessment.tick()
        #expect(h.directory.writeCount(.lifecycle) == 1)
        #expect(h.outbox.reports.first?.lifecycle == LifecycleStatus(state: .activated, isDrill: true))
    }

    @Test("the status file is written when its figures change, only touched when just their times moved (issue 13)")
    func statusWrittenOnChange() throws {
        let h = try Harness()
        let assessment = h.assessment()
        assessment.writeStatusFile(now: h.clock.now)
        #expect(h.directory.writeCount(.status) == 1)
        h.clock.advance(by: 30)
        h.shared.withLock {
            $0.lastRegistrySuccessAt = h.clock.now  // a time, not a figure
            $0.clockSkewSeconds = 0.4
        }
        assessment.writeStatusFile(now: h.clock.now)
        #expect(h.directory.writeCount(.status) == 1)
        #expect(h.directory.touchCount(.status) == 1)
        #expect(h.directory.modifiedAt(.status) == h.clock.now)
        h.clock.advance(by: 30)
        h.shared.withLock { $0.outboxDepth = 3 }
        assessment.writeStatusFile(now: h.clock.now)
        #expect(h.directory.writeCount(.status) == 2)
        let written = try #require(h.directory.read(.status))
        #expect(String(decoding: written, as: UTF8.self).contains("\"depth\":3"))
        assessment.writeStatusFile(now: h.clock.now, evenIfUnchanged: true)
        #expect(h.directory.writeCount(.status) == 3)
        #expect(h.directory.touchCount(.status) == 1)
    }

    @Test("an unreachable registry is marked so; reachable again resumes the outbox")
    func reachability() async throws {
        let h = try Harness()
        h.registry.answerHeartbeat(.failure(.unreachable("connect refused")))
        await h.registration().heartbeat()
        #expect(h.shared.withLock { $0.isRegistryReachable } == false)
        h.answerHeartbeats(.standby, isDrill: false)
        await h.registration().heartbeat()
        #expect(h.shared.withLock { $0.isRegistryReachable } == true)
        #expect(await eventually(timeout: .seconds(10)) { h.outbox.resumeCount == 1 })
    }
}
