import FoundationEssentials
import Testing

@testable import ShelterCore

@Suite("AlertTracker: pending, firing, resolved, event by event")
struct AlertTrackerTests {
    typealias F = ShelterFixture

    /// A C-01 result for `ratio` with the default thresholds (0.90 / 1.00, hysteresis 2 %).
    static func occupancy(_ ratio: Double) -> CheckResult {
        let t = ThresholdUsed(warning: 0.9, critical: 1, unit: "1", direction: .above, origin: .record)
        return CheckResult(
            checkId: .occupancy, status: t.classify(ratio), value: MeasuredValue(ratio, unit: "1"), threshold: t,
            source: "art. 14", summary: "ratio \(ratio)")
    }

    static func context(_ seconds: Double, drill: Bool = false, state: LifecycleState = .activated) -> AlertContext {
        AlertContext(
            shelterId: "SMX-HB-0007", gatewayId: "gw-1", lifecycle: LifecycleStatus(state: state, isDrill: drill),
            occupancy: 1840, capacity: 2000, now: F.t0.plus(seconds))
    }

    static func tracker(_ configuration: AssessmentConfiguration = .init()) -> AlertTracker {
        AlertTracker(configuration: configuration, identifiers: SequentialIdentifierGenerator(prefix: "id"))
    }

    @Test("C-01 fires after its 60 s `for`, updates on escalation only, resolves with hysteresis")
    func lifecycle() throws {
        var tracker = Self.tracker()
        #expect(tracker.update([Self.occupancy(0.92)], context: Self.context(0)).isEmpty)
        #expect(tracker.phases[.init(checkId: .occupancy)] == .pending(since: F.t0))
        #expect(tracker.update([Self.occupancy(0.93)], context: Self.context(59)).isEmpty)

        let raised = tracker.update([Self.occupancy(0.92)], context: Self.context(60))
        let alert = try #require(raised.first)
        #expect(raised.count == 1)
        #expect(alert.msgType == .alert)
        #expect(alert.alertId == "id-1")
        #expect(alert.eventId == "id-2")
        #expect(alert.references.isEmpty)
        #expect(alert.status == .actual)
        #expect(alert.severity == .moderate)
        #expect(alert.urgency == .expected)
        #expect(alert.certainty == .observed)
        #expect(alert.category == .safety)
        #expect(alert.onset == F.t0)
        #expect(alert.sent == F.t0.plus(60))
        #expect(alert.headline == "C-01 warning: occupancy of registered capacity: 92 % (threshold 90 %)")
        #expect(
            alert.parameters
                == AlertParameters(
                    checkId: .occupancy, subject: "", checkStatus: .warning, value: MeasuredValue(0.92, unit: "1"),
                    threshold: 0.9, thresholdOrigin: .record, occupancy: 1840, capacity: 2000))

        #expect(tracker.update([Self.occupancy(0.95)], context: Self.context(70)).isEmpty)  // same level: dedupe
        let escalated = try #require(tracker.update([Self.occupancy(1.0)], context: Self.context(80)).first)
        #expect(escalated.msgType == .update)
        #expect(escalated.alertId == "id-1")
        #expect(escalated.eventId == "id-3")
        #expect(escalated.references == ["id-2"])
        #expect(escalated.severity == .severe)
        #expect(escalated.urgency == .immediate)
        #expect(escalated.parameters.threshold == 1)

        // 0.99 is within 2 % of 1.00: stays critical; 0.97 is past it: back to warning.
        #expect(tracker.update([Self.occupancy(0.99)], context: Self.context(90)).isEmpty)
        let downgraded = try #require(tracker.update([Self.occupancy(0.97)], context: Self.context(100)).first)
        #expect(downgraded.msgType == .update)
        #expect(downgraded.severity == .moderate)
        #expect(downgraded.references == ["id-2", "id-3"])

        // 0.89 is below 0.90 but within 2 % (0.882): no flapping. 0.88 resolves.
        #expect(tracker.update([Self.occupancy(0.89)], context: Self.context(110)).isEmpty)
        let resolved = try #require(tracker.update([Self.occupancy(0.88)], context: Self.context(120)).first)
        #expect(resolved.msgType == .cancel)
        #expect(resolved.alertId == "id-1")
        #expect(resolved.urgency == .past)
        #expect(resolved.references == ["id-2", "id-3", "id-4"])
        #expect(tracker.phases.isEmpty)

        // A new crossing is a new condition instance with a new alertId.
        _ = tracker.update([Self.occupancy(0.91)], context: Self.context(200))
        let again = try #require(tracker.update([Self.occupancy(0.91)], context: Self.context(260)).first)
        #expect(again.msgType == .alert)
        #expect(again.alertId == "id-6")
        #expect(again.onset == F.t0.plus(200))
    }

    @Test("a condition that clears before its `for` raises nothing; unknown neither raises nor resolves")
    func pendingAndUnknown() {
        var tracker = Self.tracker()
        #expect(tracker.update([Self.occupancy(0.95)], context: Self.context(0)).isEmpty)
        #expect(tracker.update([Self.occupancy(0.5)], context: Self.context(30)).isEmpty)
        #expect(tracker.update([Self.occupancy(0.95)], context: Self.context(40)).isEmpty)
        #expect(tracker.update([Self.occupancy(0.95)], context: Self.context(99)).isEmpty)  // 59 s since restart
        #expect(tracker.update([Self.occupancy(0.95)], context: Self.context(100)).count == 1)
        var unknown = Self.occupancy(0.5)
        unknown.status = .unknown
        unknown.value = nil
        #expect(tracker.update([unknown], context: Self.context(200)).isEmpty)
        #expect(tracker.phases[.init(checkId: .occupancy)] == .firing(alertId: "id-1", level: .warning))
    }

    @Test("the site's holdFor overrides the `for`; zero fires at once")
    func holdForOverride() {
        var tracker = Self.tracker(AssessmentConfiguration(thresholds: [.occupancy: ThresholdOverride(holdFor: .zero)]))
        #expect(tracker.update([Self.occupancy(0.95)], context: Self.context(0)).map(\.msgType) == [.alert])
    }

    @Test("in a drill every event is Exercise, never Actual; a drill flag change cancels under the old status")
    func drill() throws {
        var tracker = Self.tracker(AssessmentConfiguration(thresholds: [.occupancy: ThresholdOverride(holdFor: .zero)]))
        var events = tracker.update([Self.occupancy(0.95)], context: Self.context(0, drill: true))
        events += tracker.update([Self.occupancy(1.05)], context: Self.context(10, drill: true))
        events += tracker.update([Self.occupancy(0.5)], context: Self.context(20, drill: true))
        events += tracker.update([Self.occupancy(0.95)], context: Self.context(30, drill: true))
        #expect(events.map(\.msgType) == [.alert, .update, .cancel, .alert])
        #expect(events.allSatisfy { $0.status == .exercise })

        let ended = tracker.update([Self.occupancy(0.95)], context: Self.context(40))
        #expect(ended.map(\.msgType) == [.cancel, .alert])
        #expect(ended.map(\.status) == [.exercise, .actual])
        #expect(ended[0].alertId != ended[1].alertId)
    }

    @Test("a firing condition whose check stops running is cancelled")
    func checkStopsRunning() {
        var tracker = Self.tracker(AssessmentConfiguration(thresholds: [.occupancy: ThresholdOverride(holdFor: .zero)]))
        #expect(tracker.update([Self.occupancy(0.95)], context: Self.context(0)).count == 1)
        let events = tracker.update([], context: Self.context(10, state: .standby))
        #expect(events.map(\.msgType) == [.cancel])
        #expect(events.first?.description.contains("does not run in shelter state standby") == true)
    }

    @Test("of several conditions of one check, exactly those whose subject has no result any more are cancelled")
    func subjectsThatStopReporting() {
        var tracker = Self.tracker(
            AssessmentConfiguration(thresholds: [.dataFreshness: ThresholdOverride(holdFor: .zero)]))
        let t = ThresholdUsed(warning: 3, critical: 10, unit: "intervals", direction: .above, origin: .sitePolicy)
        func stale(_ device: String) -> CheckResult {
            CheckResult(
                checkId: .dataFreshness, subject: device, status: .critical,
                value: MeasuredValue(12, unit: "intervals"),
                threshold: t, source: "site policy", summary: device)
        }
        let devices = ["a", "b", "c", "d", "e"]
        let raised = tracker.update(devices.map(stale), context: Self.context(0))
        #expect(raised.map(\.parameters.subject) == devices)
        #expect(raised.allSatisfy { $0.msgType == .alert })
        // The first, a middle and the last subject stop reporting; the rest come in another order.
        let events = tracker.update([stale("d"), stale("b")], context: Self.context(10))
        #expect(events.map(\.msgType) == [.cancel, .cancel, .cancel])
        #expect(events.map(\.parameters.subject) == ["a", "c", "e"])
        #expect(
            Set(tracker.phases.keys)
                == [.init(checkId: .dataFreshness, subject: "b"), .init(checkId: .dataFreshness, subject: "d")])
        #expect(tracker.update([stale("b"), stale("d")], context: Self.context(20)).isEmpty)
    }

    @Test("projections are Likely: C-05 from a real evaluation, with unique event ids across conditions")
    func projectionCertainty() throws {
        var snapshot = F.snapshot(occupancy: 1840)
        snapshot.usableWater = .known(9000, observedAt: F.t0)
        var tracker = Self.tracker(
            AssessmentConfiguration(thresholds: [
                .waterDays: ThresholdOverride(holdFor: .zero),
                .occupancy: ThresholdOverride(holdFor: .zero),
            ]))
        let events = tracker.update(F.evaluate(snapshot), context: Self.context(0))
        let water = try #require(events.first { $0.parameters.checkId == .waterDays && $0.parameters.subject == "" })
        #expect(water.certainty == .likely)
        #expect(water.severity == .severe)
        #expect(water.category == .infra)
        #expect(events.first { $0.parameters.checkId == .occupancy }?.certainty == .observed)
        let ids = events.flatMap { [$0.alertId, $0.eventId] }
        #expect(Set(ids).count == ids.count)
    }

    @Test(
        "hysteresis keeps a below-threshold level (C-05 days) until the value clears it by 5 %",
        arguments: [(3.1, CheckStatus.warning), (3.16, .ok), (1.04, .critical), (1.06, .warning)])
    func hysteresisBelow(days: Double, expected: CheckStatus) {
        let t = ThresholdUsed(warning: 3, critical: 1, unit: "d", direction: .below, origin: .nationalDefault)
        let holding: CheckStatus = days < 2 ? .critical : .warning
        let result = CheckResult(
            checkId: .waterDays, status: t.classify(days), value: MeasuredValue(days, unit: "d"),
            threshold: t, source: "", summary: "")
        #expect(AlertTracker.level(of: result, holding: holding, hysteresis: 0.05) == expected)
    }
}
