import FoundationEssentials
import Testing

@testable import ShelterCore

@Suite("Occupancy checks C-01, C-02, C-04, C-21")
struct OccupancyChecksTests {
    typealias F = ShelterFixture

    @Test(
        "worked example: 1840 persons of 2000, 9000 L, 15 L/p/d → C-01 warning 92 %, C-05 critical 0.33 d"
    )
    func workedExample() throws {
        var snapshot = F.snapshot(occupancy: 1840)
        snapshot.usableWater = .known(9000, observedAt: F.t0)
        let results = F.evaluate(snapshot)
        let c01 = try #require(results.result(.occupancy))
        #expect(c01.status == .warning)
        #expect(c01.value == MeasuredValue(0.92, unit: "1"))
        #expect(
            c01.threshold == ThresholdUsed(warning: 0.9, critical: 1, unit: "1", direction: .above, origin: .record))
        #expect(c01.summary == "1\u{202F}840 persons present / registered capacity 2\u{202F}000 persons (92 %)")
        let c05 = try #require(results.result(.waterDays))
        #expect(c05.status == .critical)
        let days = try #require(c05.value?.value)
        #expect(abs(days - 9000.0 / (1840 * 15)) < 1e-12)
        #expect(NumberText.format(days) == "0.33")
        #expect(c05.value?.unit == "d")
        #expect(c05.threshold?.origin == .nationalDefault)
        #expect(c05.source.contains("Sphere"))
        let ifFull = try #require(results.result(.waterDays, "if_full"))
        #expect(ifFull.status == .critical)
        #expect(ifFull.value?.value == 0.3)
    }

    @Test(
        "C-01 N / C_reg around 0.90 and 1.00",
        arguments: [
            (0, CheckStatus.ok), (1799, .ok), (1800, .warning), (1999, .warning), (2000, .critical), (2300, .critical),
        ])
    func occupancyRatio(persons: Int, expected: CheckStatus) throws {
        let result = try #require(F.evaluate(F.snapshot(occupancy: persons)).result(.occupancy))
        #expect(result.status == expected)
        #expect(result.value?.value == Double(persons) / 2000)
    }

    @Test("C-01 site override beats the default and is reported as site policy")
    func occupancyOverride() throws {
        let configuration = AssessmentConfiguration(thresholds: [.occupancy: ThresholdOverride(warning: 0.8)])
        let result = try #require(
            F.evaluate(F.snapshot(occupancy: 1600), configuration: configuration).result(.occupancy))
        #expect(result.status == .warning)
        #expect(
            result.threshold
                == ThresholdUsed(
                    warning: 0.8, critical: 1, unit: "1", direction: .above,
                    origin: .sitePolicy))
    }

    @Test(
        "C-02 A / N against 1.2·a_min and a_min (3000 m², a_min 1.5)",
        arguments: [(1666, CheckStatus.ok), (1667, .warning), (2000, .warning), (2001, .critical)])
    func areaPerPerson(persons: Int, expected: CheckStatus) throws {
        let result = try #require(F.evaluate(F.snapshot(occupancy: persons)).result(.areaPerPerson))
        #expect(result.status == expected)
        #expect(result.value?.value == 3000 / Double(persons))
        #expect(result.threshold?.warning == 1.8)
        #expect(result.threshold?.critical == 1.5)
        #expect(result.threshold?.origin == .record)
        #expect(result.source == "GB 21734-2008 §5.4")
    }

    @Test("C-02 uses the record's area per person; nobody present is ok without a value")
    func areaPerPersonFromRecord() throws {
        var record = F.record()
        record.requiredAreaPerPerson = 2.0
        let atWarning = try #require(F.evaluate(F.snapshot(occupancy: 1250), record: record).result(.areaPerPerson))
        #expect(atWarning.threshold?.warning == 2.4)
        #expect(atWarning.threshold?.critical == 2.0)
        #expect(atWarning.status == .ok)  // 2.4 m² is not below 2.4
        let below = try #require(F.evaluate(F.snapshot(occupancy: 1251), record: record).result(.areaPerPerson))
        #expect(below.status == .warning)
        let empty = try #require(F.evaluate(F.snapshot(occupancy: 0)).result(.areaPerPerson))
        #expect(empty.status == .ok)
        #expect(empty.value == nil)
    }

    /// Feeds occupancy `start` at t0 and `end` at t0 + 10 min, evaluating C-04 at the end.
    static func timeUntilFull(start: Int, end: Int) -> CheckResult? {
        var assessment = Assessment(record: F.record())
        let lifecycle = LifecycleStatus(state: .activated)
        _ = assessment.evaluate(F.snapshot(at: F.t0, occupancy: start), lifecycle: lifecycle, at: F.t0)
        _ = assessment.evaluate(
            F.snapshot(at: F.t0.plus(300), occupancy: (start + end) / 2), lifecycle: lifecycle,
            at: F.t0.plus(300))
        return assessment.evaluate(
            F.snapshot(at: F.t0.plus(600), occupancy: end), lifecycle: lifecycle,
            at: F.t0.plus(600)
        ).result(.timeUntilFull)
    }

    @Test(
        "C-04 (C_reg − N) / dN/dt over 10 min around 60 and 15 min (600 places free at the end)",
        arguments: [
            (1300, CheckStatus.ok, 60.0), (1299, .warning, 600 / 10.1), (1000, .warning, 15),
            (999, .critical, 600 / 40.1),
        ])
    func timeUntilFull(start: Int, expected: CheckStatus, minutes: Double) throws {
        let result = try #require(Self.timeUntilFull(start: start, end: 1400))
        #expect(result.status == expected)
        let value = try #require(result.value?.value)
        #expect(abs(value - minutes) < 1e-9)
        #expect(result.value?.unit == "min")
    }

    @Test("C-04 is unknown until 10 min of history, ok without a value when not filling, 0 min when full")
    func timeUntilFullEdges() throws {
        var assessment = Assessment(record: F.record())
        let lifecycle = LifecycleStatus(state: .activated)
        let first = try #require(
            assessment.evaluate(F.snapshot(occupancy: 1000), lifecycle: lifecycle, at: F.t0).result(.timeUntilFull))
        #expect(first.status == .unknown)
        #expect(first.reason == .missingInput)
        let early = try #require(
            assessment.evaluate(
                F.snapshot(at: F.t0.plus(599), occupancy: 1500), lifecycle: lifecycle,
                at: F.t0.plus(599)
            ).result(.timeUntilFull))
        #expect(early.status == .unknown)
        let leaving = try #require(Self.timeUntilFull(start: 1400, end: 1300))
        #expect(leaving.status == .ok)
        #expect(leaving.value == nil)
        let full = try #require(Self.timeUntilFull(start: 1900, end: 2000))
        #expect(full.status == .critical)
        #expect(full.value?.value == 0)
    }

    @Test("C-21 warns only after more than max(50, 5 % of C_reg) persons for 10 min in standby, step by step")
    func unexpectedOccupancy() throws {
        var assessment = Assessment(record: F.record())
        let standby = LifecycleStatus(state: .standby)
        func step(_ seconds: Double, _ persons: Int) -> CheckResult? {
            assessment.evaluate(
                F.snapshot(at: F.t0.plus(seconds), occupancy: persons), lifecycle: standby,
                at: F.t0.plus(seconds)
            ).result(.unexpectedOccupancy)
        }
        #expect(step(0, 101)?.status == .ok)
        #expect(step(0, 101)?.threshold?.warning == 100)
        #expect(step(599, 150)?.status == .ok)
        #expect(step(600, 150)?.status == .warning)
        #expect(step(660, 100)?.status == .ok)  // back to the threshold: condition ends
        #expect(step(700, 120)?.status == .ok)  // starts over
        #expect(step(1299, 120)?.status == .ok)
        #expect(step(1300, 120)?.status == .warning)
    }

    @Test(
        "C-21 threshold is max(50, 0.05·C_reg)",
        arguments: [(500, 50, CheckStatus.ok), (500, 51, .warning), (4000, 200, .ok), (4000, 201, .warning)])
    func unexpectedOccupancyThreshold(capacity: Int, persons: Int, expected: CheckStatus) throws {
        var assessment = Assessment(record: F.record(capacity: capacity))
        let standby = LifecycleStatus(state: .standby)
        _ = assessment.evaluate(F.snapshot(occupancy: persons), lifecycle: standby, at: F.t0)
        let later = F.t0.plus(600)
        let result = try #require(
            assessment.evaluate(F.snapshot(at: later, occupancy: persons), lifecycle: standby, at: later)
                .result(.unexpectedOccupancy))
        #expect(result.status == expected)
    }

    @Test("C-21 does not run in a drill or once activated")
    func unexpectedOccupancyNotInDrill() {
        var assessment = Assessment(record: F.record())
        for minute in 0...11 {
            let at = F.t0.plus(Double(minute) * 60)
            let results = assessment.evaluate(
                F.snapshot(at: at, occupancy: 500), lifecycle: LifecycleStatus(state: .standby, isDrill: true), at: at)
            #expect(results.result(.unexpectedOccupancy) == nil)
        }
        #expect(F.evaluate(F.snapshot(occupancy: 500), state: .activated).result(.unexpectedOccupancy) == nil)
    }
}

@Suite("Per-state thresholds")
struct StateThresholdTests {
    @Test("a per-state override beats the site-wide one only in its state")
    func perState() throws {
        let configuration = AssessmentConfiguration(
            thresholds: [.occupancy: ThresholdOverride(warning: 0.8)],
            stateThresholds: [.alerted: [.occupancy: ThresholdOverride(warning: 0.7)]])
        let snapshot = ShelterFixture.snapshot(occupancy: 1500)  // 0.75
        let alerted = try #require(
            ShelterFixture.evaluate(snapshot, state: .alerted, configuration: configuration).result(.occupancy))
        #expect(alerted.status == .warning)
        #expect(alerted.threshold?.warning == 0.7)
        let activated = try #require(
            ShelterFixture.evaluate(snapshot, state: .activated, configuration: configuration).result(.occupancy))
        #expect(activated.status == .ok)
        #expect(activated.threshold?.warning == 0.8)
        #expect(activated.threshold?.critical == 1)
    }
}
