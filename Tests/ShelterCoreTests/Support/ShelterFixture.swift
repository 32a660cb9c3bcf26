import FoundationEssentials

@testable import ShelterCore

/// A registered shelter and a healthy, fully-known snapshot of it, for the check tests. Every figure is
/// chosen so the thresholds fall on round numbers (see each property).
enum ShelterFixture {
    /// 2026-12-02T14:55:38Z.
    static let t0 = Date(timeIntervalSince1970: 1_796_223_338)

    /// Capacity 2000 persons, 3000 m² (1.5 m²/person at capacity), ration 15 L/person/day, reserve 3 days
    /// (90 000 L); gen1 100 kW with 1000 L tank, 50 L unusable, 20 L/h at load; battery b1 100 kWh, DoD 0.8,
    /// η 0.9 (72 kWh at 100 % SOC); water tank t1 100 000 L; sewage tank 10 000 L.
    static func record(capacity: Int = 2000, effectiveArea: Double = 3000) -> ShelterRecord {
        ShelterRecord(
            id: "SMX-HB-0007", name: "Hubin Park shelter", location: .init(address: "Hubin Park", district: "Hubin"),
            effectiveArea: effectiveArea, capacity: capacity,
            facilities: .init(
                generators: [
                    .init(
                        name: "gen1", ratedPower: 100, fuelTankCapacity: 1000, unusableFuel: 50,
                        burnRateAtLoad: 20)
                ],
                batteries: [.init(name: "b1", energy: 100)],
                waterTanks: [.init(name: "t1", capacity: 100_000, height: 4)],
                toilets: 40, sewageTankCapacity: 10_000),
            recordVersion: 3)
    }

    /// Everything known and observed at `at`: 1000 persons, 60 000 L usable in t1, mains present, gen1 off
    /// load with 530 L fuel (24 h), b1 at 100 %, load 20 kW, sewage 30 %, all devices up and read just now.
    static func snapshot(at: Date = t0, occupancy: Int? = 1000) -> SiteSnapshot {
        var s = SiteSnapshot(takenAt: at)
        s.occupancy = occupancy.map { .known($0, observedAt: at) } ?? .unknown(.init(.timeout))
        s.usableWater = .known(60_000, observedAt: at)
        s.usableWaterByTank = ["t1": .known(60_000, observedAt: at)]
        s.sewageLevel = .known(30, observedAt: at)
        s.mainsPresent = .known(true, observedAt: at)
        s.generatorRunning = ["gen1": .known(false, observedAt: at)]
        s.generatorOnLoad = ["gen1": .known(false, observedAt: at)]
        s.generatorPower = ["gen1": .known(0, observedAt: at)]
        s.fuel = ["gen1": .known(530, observedAt: at)]
        s.batterySOC = ["b1": .known(100, observedAt: at)]
        s.loadPower = .known(20, observedAt: at)
        s.links = ["counter": .up, "power": .up, "water": .up]
        s.freshness = [
            PointFreshness(device: "counter", point: "in", pollInterval: .seconds(10), lastValueAt: at),
            PointFreshness(device: "power", point: "mains", pollInterval: .seconds(10), lastValueAt: at),
            PointFreshness(device: "water", point: "level", pollInterval: .seconds(10), lastValueAt: at),
        ]
        s.boundFacilities = [
            FacilityRef(.generator, "gen1"), FacilityRef(.battery, "b1"), FacilityRef(.waterTank, "t1"),
            FacilityRef(.sewageTank, "sewage"),
        ]
        return s
    }

    /// Evaluates `snapshot` once with a fresh `Assessment` in `state`.
    static func evaluate(
        _ snapshot: SiteSnapshot, record: ShelterRecord = record(), state: LifecycleState = .activated,
        isDrill: Bool = false, configuration: AssessmentConfiguration = .init(), at now: Date? = nil
    ) -> [CheckResult] {
        var assessment = Assessment(record: record, configuration: configuration)
        return assessment.evaluate(
            snapshot, lifecycle: LifecycleStatus(state: state, isDrill: isDrill), at: now ?? snapshot.takenAt)
    }
}

extension Array where Element == CheckResult {
    /// The result for `id` and `subject`, if any.
    func result(_ id: CheckID, _ subject: String = "") -> CheckResult? {
        first { $0.checkId == id && $0.subject == subject }
    }
}

extension Date {
    /// `self` plus `seconds`.
    func plus(_ seconds: Double) -> Date { addingTimeInterval(seconds) }
}
