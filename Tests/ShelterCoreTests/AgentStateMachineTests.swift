import FoundationEssentials
import Testing

@testable import ShelterCore

/// The tick machine, event by event (async-http-client style): feed an event, check the actions.
@Suite("AgentStateMachine: the agent's tick, event by event")
struct AgentStateMachineTests {
    typealias F = ShelterFixture

    static func machine(
        record: ShelterRecord = F.record(), inheritance: AgentStateMachine.Inheritance = .init()
    ) throws -> AgentStateMachine {
        AgentStateMachine(
            site: try SiteFixture.configuration(), record: record, inheritance: inheritance, startedAt: F.t0,
            firstSequence: 1000, identifiers: SequentialIdentifierGenerator(prefix: "gw-1.run2"))
    }

    /// Polls every device at `at` and ticks.
    static func step(
        _ machine: inout AgentStateMachine, at seconds: Double, persons: Int = 1000
    ) -> AgentStateMachine.TickActions {
        let at = F.t0.plus(seconds)
        SiteFixture.poll(&machine, at: at, persons: persons)
        return machine.tick(at: at, utcOffsetMinutes: 480)
    }

    /// Commits every alert a tick asked for, as a store that works would.
    static func commitAll(_ machine: inout AgentStateMachine, _ actions: AgentStateMachine.TickActions) {
        for event in actions.enqueueAlerts { _ = machine.alertCommitted(eventId: event.eventId) }
    }

    /// An alert raised by an earlier run: C-01 warning at 92 %, `Actual` unless `drill`.
    static func inheritedAlert(drill: Bool = false) -> AlertEvent {
        var context = AlertContext(
            shelterId: "SMX-HB-0007", gatewayId: "gw-1", lifecycle: .init(state: .activated, isDrill: drill),
            occupancy: 1840, capacity: 2000, now: F.t0.plus(-600))
        context.now = F.t0.plus(-600)
        let result = F.evaluate(F.snapshot(occupancy: 1840)).result(.occupancy)!
        return AlertEventMapping.event(
            .alert, alertId: "gw-1.run1-1", eventId: "gw-1.run1-2", references: [], level: .warning,
            onset: F.t0.plus(-660), result: result, context: context, isDrill: drill)
    }

    // MARK: - defects of issue 10

    @Test("a drill reports at the drill interval (reporting_interval_seconds.drill), not the state's")
    func drillCadence() throws {
        var machine = try Self.machine()
        #expect(machine.heartbeatAnswered(lifecycle: .activated, isDrill: true) != nil)
        let first = Self.step(&machine, at: 0)
        #expect(first.enqueueReport?.lifecycle == LifecycleStatus(state: .activated, isDrill: true))
        #expect(Self.step(&machine, at: 19).enqueueReport == nil)
        #expect(Self.step(&machine, at: 20).enqueueReport != nil)  // drill: 20 s; activated would be 60 s
        #expect(Self.step(&machine, at: 39).enqueueReport == nil)
        #expect(Self.step(&machine, at: 40).enqueueReport != nil)
        // The drill ends: the state's own cadence again (the status changed, so one report at once).
        _ = machine.heartbeatAnswered(lifecycle: .activated, isDrill: false)
        #expect(Self.step(&machine, at: 41).enqueueReport != nil)
        #expect(Self.step(&machine, at: 61).enqueueReport == nil)
        #expect(Self.step(&machine, at: 101).enqueueReport != nil)
    }

    @Test("a record replaced by the registry changes the litres, fuel and facilities the checks use")
    func recordReplacement() throws {
        var machine = try Self.machine()
        _ = machine.heartbeatAnswered(lifecycle: .activated, isDrill: false)
        _ = Self.step(&machine, at: 0)
        // Site file: t1 100 000 L over 4 m, at 2 m 50 000 L: 50 000 / (1000 · 15) days; gen1 1000 L tank at 53 %.
        #expect(machine.lastResults.result(.waterDays)?.value?.value == 50_000.0 / 15_000)
        #expect(machine.lastResults.result(.fuelAutonomy, "gen1")?.value?.value == 24)

        var registered = F.record()
        registered.recordVersion = 4
        registered.facilities.waterTanks = [.init(name: "t1", capacity: 50_000, height: 4)]
        registered.facilities.generators = [
            .init(name: "gen1", ratedPower: 100, fuelTankCapacity: 2000, unusableFuel: 50, burnRateAtLoad: 20),
            .init(name: "gen2", ratedPower: 50, fuelTankCapacity: 500, burnRateAtLoad: 10),
        ]
        #expect(machine.recordReceived(registered) == .applied)
        _ = Self.step(&machine, at: 1)
        #expect(machine.record == registered)
        let snapshot = machine.state.snapshot(at: F.t0.plus(1))
        #expect(snapshot.usableWaterByTank["t1"]?.value == 25_000)  // 50 000 L over 4 m, at 2 m
        #expect(snapshot.fuel["gen1"]?.value == 1060)  // 53 % of 2000 L
        #expect(Set(snapshot.fuel.keys) == ["gen1", "gen2"])  // the registry's generators, not the site file's
        #expect(machine.lastResults.result(.waterDays)?.value?.value == 25_000.0 / 15_000)
        #expect(machine.lastResults.result(.fuelAutonomy, "gen1")?.value?.value == 50.5)
        #expect(machine.lastResults.result(.fuelAutonomy, "gen2")?.status == .unknown)
        #expect(machine.recordReceived(registered) == .unchanged)
    }

    // MARK: - hostile records (issue 12)

    @Test(
        "a hostile record is refused with the key path; the last good one stays and the checks run",
        arguments: [
            "record.capacity_persons", "record.effective_area_square_metres",
            "record.water_ration_litres_per_person_per_day", "record.water_tanks[0].capacity_litres",
        ])
    func hostileRecord(keyPath: String) throws {
        func spoil(_ r: inout ShelterRecord) {
            switch keyPath {
            case "record.capacity_persons": r.capacity = Int.min
            case "record.effective_area_square_metres": r.effectiveArea = -1
            case "record.water_ration_litres_per_person_per_day": r.waterRationPerPersonPerDay = .nan
            default: r.facilities.waterTanks[0].capacity = .infinity
            }
        }
        var machine = try Self.machine()
        _ = machine.heartbeatAnswered(lifecycle: .activated, isDrill: false)
        var hostile = F.record()
        hostile.recordVersion = 9
        spoil(&hostile)
        guard case .refused(let error) = machine.recordReceived(hostile) else {
            Issue.record("the hostile record was not refused")
            return
        }
        #expect(error.issues.map(\.keyPath).contains(keyPath))
        #expect(machine.record == F.record())
        _ = Self.step(&machine, at: 0)
        #expect(machine.lastResults.result(.occupancy)?.value?.value == 0.5)
    }

    @Test("a record of another shelter is not applied")
    func otherShelter() throws {
        var machine = try Self.machine()
        var other = F.record()
        other.id = "SMX-HB-0008"
        #expect(machine.recordReceived(other) == .otherShelter("SMX-HB-0008"))
        #expect(machine.record.id == "SMX-HB-0007")
    }

    @Test("the checks do not trap on a capacity of Int.min, whatever reaches them")
    func capacityIntMin() {
        let results = F.evaluate(F.snapshot(occupancy: 10), record: F.record(capacity: .min))
        #expect(results.result(.timeUntilFull)?.status == .unknown)
        #expect(results.result(.occupancy)?.status == .unknown)
    }

    @Test("a saved people counter beyond what counting can produce is not taken back")
    func hostileOccupancyFile() throws {
        var state = SiteState(configuration: try SiteFixture.configuration())
        let hostile = state.restore(occupancyCounter: OccupancyCounter(entrances: [], initialPersons: .max))
        #expect(!hostile)
        #expect(state.savedOccupancyCounter.persons == 0)
        let plausible = state.restore(occupancyCounter: OccupancyCounter(entrances: [], initialPersons: 12))
        #expect(plausible)
        #expect(state.savedOccupancyCounter.persons == 12)
    }

    // MARK: - commit before count

    @Test("an alert counts as raised only once committed; a failing store retries in order, never drops")
    func commitBeforeCount() throws {
        var machine = try Self.machine()
        _ = machine.heartbeatAnswered(lifecycle: .activated, isDrill: false)
        #expect(Self.step(&machine, at: 0, persons: 1840).enqueueAlerts.isEmpty)  // C-01 pending, 60 s hold
        let raised = Self.step(&machine, at: 60, persons: 1840).enqueueAlerts
        let occupancy = try #require(raised.first { $0.parameters.checkId == .occupancy })
        #expect(occupancy.msgType == .alert)
        // The store fails on the first event: nothing counts, nothing is lost.
        machine.alertCommitFailed(eventId: raised[0].eventId)
        #expect(machine.activeAlerts.isEmpty)
        let again = Self.step(&machine, at: 61, persons: 1840).enqueueAlerts
        #expect(again.map(\.eventId) == raised.map(\.eventId))
        // It fails after the first: the first counts, the rest come again.
        let saved = machine.alertCommitted(eventId: again[0].eventId)
        #expect(saved?.map(\.alertId) == [again[0].alertId])
        machine.alertCommitFailed(eventId: again[1].eventId)
        #expect(machine.alertCommitted(eventId: again[2].eventId) == nil)  // out of order: ignored
        let rest = Self.step(&machine, at: 62, persons: 1840).enqueueAlerts
        #expect(rest.map(\.eventId) == Array(raised.dropFirst().map(\.eventId)))
        Self.commitAll(&machine, AgentStateMachine.TickActions(enqueueAlerts: rest))
        #expect(Set(machine.activeAlerts.keys) == Set(raised.map(\.alertId)))
        #expect(Self.step(&machine, at: 63, persons: 1840).enqueueAlerts.isEmpty)
    }

    // MARK: - restart

    @Test("an inherited alert that no longer holds is closed once, through the tracker")
    func inheritedAlertClosedOnce() throws {
        let old = Self.inheritedAlert()
        var machine = try Self.machine(
            inheritance: .init(activeAlerts: [old], lifecycle: .init(state: .activated, isDrill: false)))
        #expect(Set(machine.activeAlerts.keys) == [old.alertId])
        let first = Self.step(&machine, at: 0, persons: 1000)
        let cancels = first.enqueueAlerts.filter { $0.alertId == old.alertId }
        #expect(cancels.count == 1)
        #expect(cancels.first?.msgType == .cancel)
        #expect(cancels.first?.references == [old.eventId])
        #expect(cancels.first?.status == .actual)
        Self.commitAll(&machine, first)
        #expect(machine.activeAlerts[old.alertId] == nil)
        #expect(Self.step(&machine, at: 1, persons: 1000).enqueueAlerts.isEmpty)
    }

    @Test("an inherited alert still true keeps its id: no event; a change of level is an Update of it")
    func inheritedAlertKept() throws {
        let old = Self.inheritedAlert()
        var machine = try Self.machine(
            inheritance: .init(activeAlerts: [old], lifecycle: .init(state: .activated, isDrill: false)))
        func occupancyEvents(_ actions: AgentStateMachine.TickActions) -> [AlertEvent] {
            actions.enqueueAlerts.filter { $0.parameters.checkId == .occupancy }
        }
        #expect(occupancyEvents(Self.step(&machine, at: 0, persons: 1840)).isEmpty)
        #expect(occupancyEvents(Self.step(&machine, at: 90, persons: 1840)).isEmpty)
        #expect(machine.activeAlerts[old.alertId] != nil)
        let critical = Self.step(&machine, at: 91, persons: 2000).enqueueAlerts.filter {
            $0.parameters.checkId == .occupancy
        }
        #expect(critical.map(\.msgType) == [.update])
        #expect(critical.first?.alertId == old.alertId)
        #expect(critical.first?.references == [old.eventId])
    }

    @Test("an inherited drill alert is cancelled as an exercise when the agent restarts out of the drill")
    func inheritedDrillAlert() throws {
        let old = Self.inheritedAlert(drill: true)
        var machine = try Self.machine(
            inheritance: .init(activeAlerts: [old], lifecycle: .init(state: .activated, isDrill: false)))
        let events = Self.step(&machine, at: 0, persons: 1840).enqueueAlerts
        let cancel = try #require(events.first { $0.alertId == old.alertId })
        #expect(cancel.msgType == .cancel)
        #expect(cancel.status == .exercise)
    }

    @Test("a reload keeps a pending condition's hold time: the alert comes at onset + hold, not reload + hold")
    func reloadKeepsHoldTime() throws {
        let activated = LifecycleChange(state: .activated, isDrill: false)
        var before = try Self.machine(inheritance: .init(lifecycle: activated))
        #expect(Self.step(&before, at: 0, persons: 1840).enqueueAlerts.isEmpty)
        let key = AlertTracker.ConditionKey(checkId: .occupancy)
        let hold = before.monitor.tracker.holdFor(.occupancy, in: .activated).inSeconds
        #expect(hold >= 60, "a hold long enough to reload within")
        #expect(Self.step(&before, at: 30, persons: 1840).enqueueAlerts.isEmpty)
        let pending = before.monitor.tracker.pendingSince
        #expect(pending[key] == F.t0)

        func occupancyEvents(_ actions: AgentStateMachine.TickActions) -> [AlertEvent] {
            actions.enqueueAlerts.filter { $0.parameters.checkId == .occupancy }
        }
        // Reloaded at 30 s with the hold carried: the alert is due at `hold`, its onset the first bad sample.
        var carried = try Self.machine(inheritance: .init(lifecycle: activated, pendingConditions: pending))
        #expect(occupancyEvents(Self.step(&carried, at: 31, persons: 1840)).isEmpty)
        #expect(occupancyEvents(Self.step(&carried, at: hold - 1, persons: 1840)).isEmpty)
        let alert = occupancyEvents(Self.step(&carried, at: hold, persons: 1840))
        #expect(alert.map(\.msgType) == [.alert])
        #expect(alert.first?.onset == F.t0)
        // Without it (as before the fix) the hold starts again at the reload.
        var restarted = try Self.machine(inheritance: .init(lifecycle: activated))
        _ = Self.step(&restarted, at: 31, persons: 1840)
        #expect(occupancyEvents(Self.step(&restarted, at: hold, persons: 1840)).isEmpty)
        // A condition that cleared across the reload is dropped without an event.
        var cleared = try Self.machine(inheritance: .init(lifecycle: activated, pendingConditions: pending))
        #expect(occupancyEvents(Self.step(&cleared, at: 31, persons: 1000)).isEmpty)
        #expect(occupancyEvents(Self.step(&cleared, at: hold, persons: 1000)).isEmpty)
        #expect(cleared.monitor.tracker.pendingSince[key] == nil)
    }

    @Test("the lifecycle survives a restart: the inherited word applies until the registry speaks")
    func lifecycleSurvivesRestart() throws {
        var machine = try Self.machine(inheritance: .init(lifecycle: .init(state: .activated, isDrill: true)))
        let first = Self.step(&machine, at: 0)
        #expect(first.enqueueReport?.lifecycle == LifecycleStatus(state: .activated, isDrill: true))
        #expect(first.lifecycleChanged == LifecycleStatus(state: .activated, isDrill: true))
        #expect(machine.heartbeatAnswered(lifecycle: .activated, isDrill: true) == nil)  // same word: no write
        #expect(
            machine.heartbeatAnswered(lifecycle: .standby, isDrill: false)
                == LifecycleChange(state: .standby, isDrill: false))
        #expect(Self.step(&machine, at: 1).enqueueReport?.lifecycle == LifecycleStatus(state: .standby))
    }

    @Test("nothing is assessed before every device has answered once or the startup grace has passed")
    func startupGrace() throws {
        var machine = try Self.machine()
        #expect(machine.tick(at: F.t0.plus(59), utcOffsetMinutes: 480) == .init())
        let late = machine.tick(at: F.t0.plus(60), utcOffsetMinutes: 480)
        #expect(late.enqueueReport?.sequence == 1001)
        #expect(late.enqueueReport?.reportId == "gw-1.r1001")
        #expect(late.writeStatus)
    }

    @Test("report ids start with the prefix the runtime gives (gateway id and a random part), then the sequence")
    func reportIDPrefix() throws {
        var machine = AgentStateMachine(
            site: try SiteFixture.configuration(), record: F.record(), startedAt: F.t0, firstSequence: 1000,
            identifiers: SequentialIdentifierGenerator(prefix: "gw-1.run2"), reportIDPrefix: "gw-1.5f3a9c")
        #expect(Self.step(&machine, at: 60).enqueueReport?.reportId == "gw-1.5f3a9c.r1001")
    }

    @Test("the status file is due every 30 s; the people counters are saved only when they changed")
    func statusFileCadence() throws {
        var machine = try Self.machine()
        #expect(Self.step(&machine, at: 0).writeStatus)
        #expect(!Self.step(&machine, at: 29).writeStatus)
        let due = Self.step(&machine, at: 30)
        #expect(due.writeStatus)
        #expect(due.saveOccupancy == nil)  // a direct count: no counters to save
    }

    @Test(
        "a record that drops the generator and tank the site has sensors for is record drift (C-23), not a water critical"
    )
    func recordDroppingFacilitiesIsDrift() throws {
        var machine = try Self.machine()
        _ = machine.heartbeatAnswered(lifecycle: .activated, isDrill: false)
        var placeholder = F.record()
        placeholder.recordVersion = 7
        placeholder.facilities.generators = []
        placeholder.facilities.waterTanks = []
        #expect(machine.recordReceived(placeholder) == .applied)
        _ = Self.step(&machine, at: 0)
        let drift = try #require(machine.lastResults.result(.recordDrift))
        #expect(drift.status == .warning)
        #expect(
            drift.finding?.text(in: .en)
                == "differs from the record: battery b1 has no live source; the sewage tank has no live source; "
                + "generator gen1 has sensors on site but is not in the record; "
                + "water tank t1 has sensors on site but is not in the record")
        #expect(
            drift.finding?.text(in: .zhCN)
                == "与备案不符：蓄电池 b1 无实时数据来源；污水箱无实时数据来源；"
                + "备案中没有发电机 gen1（现场有其传感器）；备案中没有水箱 t1（现场有其传感器）")
        let water = try #require(machine.lastResults.result(.sourceRedundancy, "water"))
        #expect(water.status == .unknown)
        #expect(water.reasonDetail?.contains("water tank t1 is not in the registered record (C-23)") == true)
        #expect(machine.lastResults.result(.sourceRedundancy, "power")?.status != .critical)
    }
}
