import Testing

@testable import ShelterCore

@Suite("Lifecycle: registry state, key switch, full, drill, cadence")
struct LifecycleTests {
    @Test("a key switch activates unconfirmed until the registry agrees")
    func keySwitch() {
        var lifecycle = Lifecycle()
        #expect(lifecycle.status == LifecycleStatus(state: .standby))
        #expect(lifecycle.activationSwitchRead(true) == LifecycleStatus(state: .activated, isUnconfirmed: true))
        #expect(lifecycle.activationSwitchRead(nil) == LifecycleStatus(state: .activated, isUnconfirmed: true))
        #expect(
            lifecycle.registryReported(.alerted, isDrill: false)
                == LifecycleStatus(state: .activated, isUnconfirmed: true))
        #expect(lifecycle.registryReported(.activated, isDrill: false) == LifecycleStatus(state: .activated))
        #expect(lifecycle.activationSwitchRead(false) == LifecycleStatus(state: .activated))
    }

    @Test("turning the switch off before the registry agrees goes back to the registry's state")
    func switchOffUnconfirmed() {
        var lifecycle = Lifecycle(registryState: .alerted)
        lifecycle.activationSwitchRead(true)
        #expect(lifecycle.activationSwitchRead(false) == LifecycleStatus(state: .alerted))
        lifecycle.registryReported(.closing, isDrill: false)
        #expect(lifecycle.activationSwitchRead(true) == LifecycleStatus(state: .closing))
    }

    @Test(
        "activated ⇄ full at registered capacity, back below 98 %",
        arguments: [
            ([1999], LifecycleState.activated), ([2000], .full), ([2000, 1961], .full), ([2000, 1959], .activated),
            ([2100, nil], .full),
        ] as [([Int?], LifecycleState)])
    func full(occupancies: [Int?], expected: LifecycleState) {
        var lifecycle = Lifecycle(registryState: .activated)
        for occupied in occupancies { lifecycle.occupancyAssessed(occupied, capacity: 2000) }
        #expect(lifecycle.status.state == expected)
        var standby = Lifecycle()
        standby.occupancyAssessed(2500, capacity: 2000)
        #expect(standby.status.state == .standby)
    }

    @Test("the drill overlay comes from the registry and keeps the state")
    func drill() {
        var lifecycle = Lifecycle()
        #expect(
            lifecycle.registryReported(.activated, isDrill: true) == LifecycleStatus(state: .activated, isDrill: true))
        #expect(lifecycle.registryReported(.standby, isDrill: false) == LifecycleStatus(state: .standby))
    }

    @Test(
        "report cadence per state: standby 15 min, alerted 5 min, activated and full 1 min",
        arguments: [
            (LifecycleState.standby, Duration.seconds(900)), (.alerted, .seconds(300)), (.activated, .seconds(60)),
            (.full, .seconds(60)), (.closing, .seconds(300)), (.recovery, .seconds(900)),
            (.outOfService, .seconds(900)),
        ])
    func cadence(state: LifecycleState, interval: Duration) {
        let status = LifecycleStatus(state: state)
        #expect(ReportingIntervals.standard.interval(for: status) == interval)
        #expect(ReportingIntervals(byState: [state: .seconds(30)]).interval(for: status) == .seconds(30))
    }

    @Test(
        "a drill has its own cadence (default 1 min), whatever the state underneath",
        arguments: LifecycleState.allCases)
    func drillCadence(state: LifecycleState) {
        let drill = LifecycleStatus(state: state, isDrill: true)
        #expect(ReportingIntervals.standard.interval(for: drill) == .seconds(60))
        #expect(ReportingIntervals(drill: .seconds(20)).interval(for: drill) == .seconds(20))
        #expect(ReportingIntervals(byState: [state: .seconds(5)]).interval(for: drill) == .seconds(60))
    }
}
