import FoundationEssentials
import Testing

@testable import ShelterCore

@Suite("Water, sanitation and power checks C-05, C-06, C-11, C-12, C-13, C-16, C-19")
struct SupplyChecksTests {
    typealias F = ShelterFixture

    static func snapshot(water: Double, occupancy: Int = 1000) -> SiteSnapshot {
        var s = F.snapshot(occupancy: occupancy)
        s.usableWater = .known(water, observedAt: F.t0)
        s.usableWaterByTank = ["t1": .known(water, observedAt: F.t0)]
        return s
    }

    @Test(
        "C-05 V / (N·q) around 3 and 1 days (1000 persons, 15 L)",
        arguments: [(45_000.0, CheckStatus.ok), (44_999, .warning), (15_000, .warning), (14_999, .critical)])
    func waterDays(water: Double, expected: CheckStatus) throws {
        let result = try #require(F.evaluate(Self.snapshot(water: water)).result(.waterDays))
        #expect(result.status == expected)
        #expect(result.value?.value == water / 15_000)
    }

    @Test("C-05 uses the record's ration; nobody present is ok; if full uses C_reg")
    func waterDaysRecordRation() throws {
        var record = F.record()
        record.waterRationPerPersonPerDay = 20
        let results = F.evaluate(Self.snapshot(water: 45_000), record: record)
        #expect(results.result(.waterDays)?.status == .warning)  // 45 000 / 20 000 = 2.25 days
        #expect(results.result(.waterDays)?.value?.value == 2.25)
        #expect(results.result(.waterDays, "if_full")?.value?.value == 45_000.0 / 40_000)
        let empty = F.evaluate(Self.snapshot(water: 45_000, occupancy: 0))
        #expect(empty.result(.waterDays)?.status == .ok)
        #expect(empty.result(.waterDays)?.value == nil)
        #expect(empty.result(.waterDays, "if_full")?.status == .warning)  // 45 000 / 30 000 = 1.5 days
    }

    @Test(
        "C-06 V / (C_reg·q·T_reg) around 0.9 and 0.5 in standby (90 000 L required)",
        arguments: [(81_000.0, CheckStatus.ok), (80_999, .warning), (45_000, .warning), (44_999, .critical)])
    func waterReserve(water: Double, expected: CheckStatus) throws {
        let results = F.evaluate(Self.snapshot(water: water, occupancy: 0), state: .standby)
        let result = try #require(results.result(.waterReserve))
        #expect(result.status == expected)
        #expect(result.value?.value == water / 90_000)
        #expect(results.result(.waterDays) == nil)  // C-05 does not run in standby
    }

    @Test(
        "C-19 sewage level around 80 and 95 %",
        arguments: [(79.9, CheckStatus.ok), (80, .warning), (94.9, .warning), (95, .critical)])
    func sewageLevel(level: Double, expected: CheckStatus) throws {
        var snapshot = F.snapshot()
        snapshot.sewageLevel = .known(level, observedAt: F.t0)
        let result = try #require(F.evaluate(snapshot).result(.sewageLevel))
        #expect(result.status == expected)
        #expect(result.value == MeasuredValue(level, unit: "%"))
    }

    @Test("C-19 gives the time to full from the inflow; no sewage tank, no check")
    func sewageTimeToFull() throws {
        var snapshot = F.snapshot()
        snapshot.sewageLevel = .known(80, observedAt: F.t0)
        snapshot.sewageInflow = .known(500, observedAt: F.t0)
        let result = try #require(F.evaluate(snapshot).result(.sewageLevel))
        #expect(result.summary.hasSuffix("full in 4 h at 500 L/h"))  // (10 000 − 8000) / 500
        var record = F.record()
        record.facilities.sewageTankCapacity = 0
        #expect(F.evaluate(snapshot, record: record).result(.sewageLevel) == nil)
    }

    @Test(
        "C-11 counts healthy power sources: mains + generators with usable fuel",
        arguments: [
            (true, 530.0, CheckStatus.ok, 2.0), (false, 530, .warning, 1), (true, 50, .warning, 1),
            (false, 50, .critical, 0),
        ])
    func powerRedundancy(mains: Bool, fuel: Double, expected: CheckStatus, count: Double) throws {
        var snapshot = F.snapshot()
        snapshot.mainsPresent = .known(mains, observedAt: F.t0)
        snapshot.fuel = ["gen1": .known(fuel, observedAt: F.t0)]
        let result = try #require(F.evaluate(snapshot).result(.sourceRedundancy, "power"))
        #expect(result.status == expected)
        #expect(result.value == MeasuredValue(count, unit: "sources"))
    }

    @Test("C-11 is unknown when an unknown source could decide it, ok when two are healthy anyway")
    func redundancyUnknown() throws {
        var snapshot = F.snapshot()
        snapshot.mainsPresent = .unknown(.init(.timeout))
        #expect(F.evaluate(snapshot).result(.sourceRedundancy, "power")?.status == .unknown)
        snapshot.waterSupplyPresent = .known(true, observedAt: F.t0)
        #expect(F.evaluate(snapshot).result(.sourceRedundancy, "water")?.status == .ok)
        snapshot.waterSupplyPresent = .unknown(.init(.linkLost))
        let water = try #require(F.evaluate(snapshot).result(.sourceRedundancy, "water"))
        #expect(water.status == .unknown)
        #expect(water.reason == .linkLost)
        #expect(water.value?.value == 1)
    }

    @Test(
        "C-12 is ok once a generator is on load, however late, its value the transfer time t(on load) − t(mains lost)",
        arguments: [10.0, 15.5, 30, 30.5, 40])
    func generatorTransferTime(seconds: Double) throws {
        var assessment = Assessment(record: F.record())
        let activated = LifecycleStatus(state: .activated)
        var snapshot = F.snapshot()
        _ = assessment.evaluate(snapshot, lifecycle: activated, at: F.t0)
        snapshot.mainsPresent = .known(false, observedAt: F.t0.plus(1))
        _ = assessment.evaluate(snapshot, lifecycle: activated, at: F.t0.plus(1))
        let onLoad = F.t0.plus(1 + seconds)
        snapshot.generatorOnLoad = ["gen1": .known(true, observedAt: onLoad)]
        let result = try #require(
            assessment.evaluate(snapshot, lifecycle: activated, at: onLoad.plus(5)).result(.generatorTransfer))
        #expect(result.status == .ok)
        #expect(result.value == MeasuredValue(seconds, unit: "s"))
        #expect(result.finding == .generatorOnLoadAfter(seconds: seconds))
    }

    @Test(
        "C-12 event by event: mains lost, waiting (warning past 15 s, critical past 30 s), generator on load late, mains back"
    )
    func generatorTransferSequence() throws {
        var assessment = Assessment(record: F.record())
        let activated = LifecycleStatus(state: .activated)
        var snapshot = F.snapshot()
        func at(_ seconds: Double) -> CheckResult? {
            assessment.evaluate(snapshot, lifecycle: activated, at: F.t0.plus(seconds)).result(.generatorTransfer)
        }
        #expect(at(0)?.status == .ok)
        #expect(at(0)?.value == nil)
        snapshot.mainsPresent = .known(false, observedAt: F.t0.plus(1))
        #expect(at(1)?.value?.value == 0)
        #expect(at(16)?.status == .ok)  // 15 s: not more than 15
        #expect(at(17)?.status == .warning)
        #expect(at(31)?.status == .warning)
        #expect(at(32)?.status == .critical)
        snapshot.generatorOnLoad = ["gen1": .known(true, observedAt: F.t0.plus(41))]
        let transferred = try #require(at(42))
        #expect(transferred.status == .ok)  // the site has power again: the condition is over
        #expect(transferred.value?.value == 40)  // and the late transfer stays visible in the report
        snapshot.generatorOnLoad = ["gen1": .known(false, observedAt: F.t0.plus(50))]
        #expect(at(50)?.finding == .noGeneratorOnLoad(secondsSinceLoss: 0))  // dropped off load: a new loss
        snapshot.mainsPresent = .known(true, observedAt: F.t0.plus(600))
        #expect(at(600)?.status == .ok)
        #expect(at(600)?.value == nil)
    }

    @Test("the C-12 alert raised while no generator was on load is cancelled when one takes the load (issue 11 item 5)")
    func generatorTransferCancels() throws {
        var assessment = Assessment(record: F.record())
        var tracker = AlertTracker(
            configuration: .init(), identifiers: SequentialIdentifierGenerator(prefix: "id"))
        let activated = LifecycleStatus(state: .activated)
        var snapshot = F.snapshot()
        func events(at seconds: Double) -> [AlertEvent] {
            let now = F.t0.plus(seconds)
            let results = assessment.evaluate(snapshot, lifecycle: activated, at: now)
            let context = AlertContext(
                shelterId: "SMX-HB-0007", gatewayId: "gw-1", lifecycle: activated, occupancy: 0, capacity: 2000,
                now: now)
            return tracker.update(results, context: context).filter { $0.parameters.checkId == .generatorTransfer }
        }
        #expect(events(at: 0).isEmpty)
        snapshot.mainsPresent = .known(false, observedAt: F.t0.plus(1))
        var raised: [AlertEvent] = []
        for second in stride(from: 1.0, through: 40, by: 1) { raised += events(at: second) }
        #expect(raised.map(\.msgType) == [.alert, .update])
        #expect(raised.map(\.severity) == [.moderate, .severe])
        snapshot.generatorOnLoad = ["gen1": .known(true, observedAt: F.t0.plus(41))]
        let resolved = events(at: 41)
        #expect(resolved.map(\.msgType) == [.cancel])
        #expect(resolved.first?.alertId == raised.first?.alertId)
        #expect(events(at: 60).isEmpty)  // stays resolved while mains is still out
    }

    @Test(
        "C-13 (fuel − unusable) / burn rate around 24 and 8 h",
        arguments: [(530.0, CheckStatus.ok), (529, .warning), (210, .warning), (209, .critical), (40, .critical)])
    func fuelAutonomy(fuel: Double, expected: CheckStatus) throws {
        var snapshot = F.snapshot()
        snapshot.fuel = ["gen1": .known(fuel, observedAt: F.t0)]
        let result = try #require(F.evaluate(snapshot).result(.fuelAutonomy, "gen1"))
        #expect(result.status == expected)
        #expect(result.value?.value == max(0, fuel - 50) / 20)
    }

    @Test(
        "C-16 SOC·E·DoD·η / P_load on battery around 60 and 15 min (72 kW load)",
        arguments: [(100.0, CheckStatus.ok), (99, .warning), (25, .warning), (24, .critical)])
    func batteryAutonomy(soc: Double, expected: CheckStatus) throws {
        var snapshot = F.snapshot()
        snapshot.mainsPresent = .known(false, observedAt: F.t0)
        snapshot.loadPower = .known(72, observedAt: F.t0)
        snapshot.batterySOC = ["b1": .known(soc, observedAt: F.t0)]
        let result = try #require(F.evaluate(snapshot).result(.batteryAutonomy))
        #expect(result.status == expected)
        let minutes = try #require(result.value?.value)
        #expect(abs(minutes - soc * 0.6) < 1e-9)
    }

    @Test("C-16 reports the autonomy but stays ok while mains or a generator carries the load")
    func batteryAutonomyOffBattery() throws {
        var snapshot = F.snapshot()
        snapshot.loadPower = .known(72, observedAt: F.t0)
        snapshot.batterySOC = ["b1": .known(10, observedAt: F.t0)]
        let onMains = try #require(F.evaluate(snapshot).result(.batteryAutonomy))
        #expect(onMains.status == .ok)
        #expect(abs((onMains.value?.value ?? 0) - 6) < 1e-9)
        snapshot.mainsPresent = .known(false, observedAt: F.t0)
        snapshot.generatorOnLoad = ["gen1": .known(true, observedAt: F.t0)]
        #expect(F.evaluate(snapshot).result(.batteryAutonomy)?.status == .ok)
        snapshot.generatorOnLoad = ["gen1": .unknown(.init(.timeout))]
        #expect(F.evaluate(snapshot).result(.batteryAutonomy)?.status == .unknown)
    }
}
