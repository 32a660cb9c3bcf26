import FoundationEssentials
import Testing

@testable import ShelterCore

@Suite("Data checks C-22, C-23 and missing or stale data")
struct DataChecksTests {
    typealias F = ShelterFixture

    @Test(
        "C-22 worst age / poll interval around 3× and 10× (10 s interval)",
        arguments: [(30.0, CheckStatus.ok), (31, .warning), (100, .warning), (101, .critical)])
    func freshness(age: Double, expected: CheckStatus) throws {
        var snapshot = F.snapshot()
        snapshot.freshness[2].lastValueAt = F.t0.plus(-age)
        let results = F.evaluate(snapshot)
        let water = try #require(results.result(.dataFreshness, "water"))
        #expect(water.status == expected)
        #expect(water.value == MeasuredValue(age / 10, unit: "intervals"))
        #expect(results.result(.dataFreshness, "power")?.status == .ok)
    }

    @Test(
        "C-22 link state: degraded warns, down is critical, a point never read is critical",
        arguments: [(LinkState.up, CheckStatus.ok), (.unknown, .ok), (.degraded, .warning), (.down, .critical)])
    func linkState(link: LinkState, expected: CheckStatus) throws {
        var snapshot = F.snapshot()
        snapshot.links["power"] = link
        #expect(F.evaluate(snapshot).result(.dataFreshness, "power")?.status == expected)
        snapshot.freshness[1].lastValueAt = nil
        let never = try #require(F.evaluate(snapshot).result(.dataFreshness, "power"))
        #expect(never.status == .critical)
        #expect(never.value == nil)
        #expect(never.summary.contains("never read"))
    }

    @Test(
        "C-22 takes a device's worst point wherever its points are listed, not only in one run",
        arguments: [(50.0, 0.0, 5.0, "mains"), (0, 80, 8, "late")])
    func freshnessOutOfOrder(firstAge: Double, lateAge: Double, worst: Double, point: String) throws {
        var snapshot = F.snapshot()
        snapshot.freshness[1].lastValueAt = F.t0.plus(-firstAge)  // power.mains, in the device's first run
        snapshot.freshness.append(  // after the other devices' points
            PointFreshness(device: "power", point: "late", pollInterval: .seconds(10), lastValueAt: F.t0.plus(-lateAge))
        )
        let power = try #require(F.evaluate(snapshot).result(.dataFreshness, "power"))
        #expect(power.status == .warning)
        #expect(power.value == MeasuredValue(worst, unit: "intervals"))
        #expect(power.summary.contains(point))
    }

    @Test("C-23 drift: a facility with no live source, a reading beyond its rating; unknown without bindings")
    func recordDrift() throws {
        var snapshot = F.snapshot()
        #expect(F.evaluate(snapshot).result(.recordDrift)?.status == .ok)
        snapshot.generatorPower = ["gen1": .known(105, observedAt: F.t0)]  // within 5 % tolerance
        #expect(F.evaluate(snapshot).result(.recordDrift)?.status == .ok)
        snapshot.generatorPower = ["gen1": .known(106, observedAt: F.t0)]
        snapshot.boundFacilities?.remove(FacilityRef(.battery, "b1"))
        let drift = try #require(F.evaluate(snapshot).result(.recordDrift))
        #expect(drift.status == .warning)
        #expect(drift.value == MeasuredValue(2, unit: "facilities"))
        #expect(
            drift.summary
                == "differs from the record: battery b1 has no live source; generator gen1 power reads 106 kW, "
                + "registered 100 kW")
        var unbound = F.snapshot()
        unbound.boundFacilities = nil
        #expect(F.evaluate(unbound).result(.recordDrift)?.status == .unknown)
    }

    @Test("stale water data gives C-05 unknown (never ok) and a C-22 alert, not a water alert")
    func staleDataIsUnknown() throws {
        var snapshot = F.snapshot(at: F.t0.plus(400))
        snapshot.usableWater = .known(60_000, observedAt: F.t0)  // 400 s old, limit 300 s
        snapshot.usableWaterByTank = ["t1": .known(60_000, observedAt: F.t0)]
        snapshot.freshness[2].lastValueAt = F.t0
        let now = F.t0.plus(400)
        let results = F.evaluate(snapshot, at: now)
        let c05 = try #require(results.result(.waterDays))
        #expect(c05.status == .unknown)
        #expect(c05.reason == .stale)
        #expect(c05.value == nil)
        #expect(results.result(.dataFreshness, "water")?.status == .critical)
        var tracker = AlertTracker(identifiers: SequentialIdentifierGenerator(prefix: "id"))
        let events = tracker.update(
            results,
            context: AlertContext(
                shelterId: "S", gatewayId: "G", lifecycle: .init(state: .activated),
                occupancy: 1000, capacity: 2000, now: now))
        #expect(events.map(\.parameters.checkId) == [.dataFreshness])
        #expect(events.first?.parameters.subject == "water")
    }

    @Test(
        "with nothing known every check that runs is unknown, except C-22 which is critical",
        arguments: LifecycleState.allCases)
    func nothingKnown(state: LifecycleState) {
        var snapshot = SiteSnapshot(takenAt: F.t0)
        snapshot.links = ["power": .unknown]
        snapshot.freshness = [
            PointFreshness(device: "power", point: "mains", pollInterval: .seconds(10), lastValueAt: nil)
        ]
        let results = F.evaluate(snapshot, state: state)
        #expect(!results.isEmpty)
        for result in results {
            #expect(result.status == (result.checkId == .dataFreshness ? .critical : .unknown), "\(result.checkId)")
            if result.status == .unknown { #expect(result.reason != nil) }
        }
    }

    @Test("which checks run depends on the lifecycle state")
    func checksPerState() {
        func ids(_ state: LifecycleState) -> Set<CheckID> { Set(F.evaluate(F.snapshot(), state: state).map(\.checkId)) }
        #expect(
            ids(.standby) == [
                .waterReserve, .sourceRedundancy, .generatorTransfer, .fuelAutonomy,
                .batteryAutonomy, .sewageLevel, .unexpectedOccupancy, .dataFreshness, .recordDrift,
            ])
        #expect(ids(.activated).isSuperset(of: [.occupancy, .areaPerPerson, .timeUntilFull, .waterDays]))
        #expect(!ids(.activated).contains(.waterReserve))
        #expect(ids(.outOfService) == [.unexpectedOccupancy, .dataFreshness])
        let disabled = AssessmentConfiguration(thresholds: [.areaPerPerson: ThresholdOverride(isEnabled: false)])
        #expect(!Set(F.evaluate(F.snapshot(), configuration: disabled).map(\.checkId)).contains(.areaPerPerson))
    }

    @Test("every check in the catalogue documents unit, source and event text")
    func catalogue() {
        #expect(CheckDefinition.all.count == 13)
        for definition in CheckDefinition.all {
            #expect(!definition.unit.isEmpty && !definition.source.isEmpty && !definition.event.isEmpty)
            #expect(CheckDefinition.definition(of: definition.id) == definition)
        }
    }
}
