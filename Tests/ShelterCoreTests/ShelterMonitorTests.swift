import FoundationEssentials
import Testing

@testable import ShelterCore

@Suite("ShelterMonitor: lifecycle → checks → alerts → report cadence")
struct ShelterMonitorTests {
    typealias F = ShelterFixture

    static func monitor() -> ShelterMonitor {
        ShelterMonitor(
            record: F.record(), gatewayId: "gw-1", identifiers: SequentialIdentifierGenerator(prefix: "id"))
    }

    /// The worked example (1840 persons, 9000 L) held for `minutes`, one step a minute.
    static func run(_ monitor: inout ShelterMonitor, minutes: ClosedRange<Int>) -> [ShelterMonitor.Step] {
        minutes.map { minute in
            let at = F.t0.plus(Double(minute) * 60)
            var snapshot = F.snapshot(at: at, occupancy: 1840)
            snapshot.usableWater = .known(9000, observedAt: at)
            return monitor.step(snapshot, at: at)
        }
    }

    @Test("a drill at the worked example raises its alerts as Exercise only")
    func drillScenario() {
        var monitor = Self.monitor()
        monitor.lifecycle.registryReported(.activated, isDrill: true)
        let steps = Self.run(&monitor, minutes: 0...5)
        let events = steps.flatMap(\.events)
        // C-01 92 %, C-02 1.63 m²/person < 1.8, C-05 at occupancy and if full, C-11 water (one tank, no supply).
        #expect(Set(events.map(\.parameters.checkId)) == [.occupancy, .areaPerPerson, .waterDays, .sourceRedundancy])
        #expect(events.count == 5)
        #expect(events.allSatisfy { $0.status == .exercise && $0.msgType == .alert })
        #expect(steps.allSatisfy { $0.lifecycle == LifecycleStatus(state: .activated, isDrill: true) })
    }

    @Test("the key switch activates unconfirmed and the live checks start; reports follow the state's cadence")
    func keySwitchAndCadence() {
        var monitor = Self.monitor()
        let snapshot = F.snapshot(occupancy: 0)
        let standby = monitor.step(snapshot, at: F.t0)
        #expect(standby.lifecycle.state == .standby)
        #expect(standby.isReportDue)
        #expect(standby.results.result(.occupancy) == nil)
        #expect(!monitor.step(snapshot, at: F.t0.plus(899)).isReportDue)
        #expect(monitor.step(snapshot, at: F.t0.plus(900)).isReportDue)

        var switchedOn = F.snapshot(at: F.t0.plus(960), occupancy: 0)
        switchedOn.activationSwitch = .known(true, observedAt: F.t0.plus(960))
        let switched = monitor.step(switchedOn, at: F.t0.plus(960))
        #expect(switched.lifecycle == LifecycleStatus(state: .activated, isUnconfirmed: true))
        #expect(switched.isReportDue)  // the state changed
        #expect(switched.results.result(.occupancy)?.status == .ok)
        #expect(!monitor.step(switchedOn, at: F.t0.plus(1019)).isReportDue)
        #expect(monitor.step(switchedOn, at: F.t0.plus(1020)).isReportDue)  // 1 min when activated
        monitor.lifecycle.registryReported(.activated, isDrill: false)
        #expect(monitor.step(switchedOn, at: F.t0.plus(1030)).isReportDue)  // confirmed: the status changed
    }

    @Test("reaching registered capacity turns activated into full and raises C-01 critical as Actual")
    func full() throws {
        var monitor = Self.monitor()
        monitor.lifecycle.registryReported(.activated, isDrill: false)
        var events: [AlertEvent] = []
        var last: ShelterMonitor.Step?
        for minute in 0...2 {
            let at = F.t0.plus(Double(minute) * 60)
            last = monitor.step(F.snapshot(at: at, occupancy: 2000), at: at)
            events += last?.events ?? []
        }
        #expect(last?.lifecycle.state == .full)
        let alert = try #require(events.first { $0.parameters.checkId == .occupancy })
        #expect(alert.status == .actual)
        #expect(alert.severity == .severe)
        #expect(alert.parameters.occupancy == 2000)
    }
}
