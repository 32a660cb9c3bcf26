import FoundationEssentials
import Testing

@testable import ShelterCore

@Suite("StatusReportBuilder")
struct StatusReportBuilderTests {
    typealias F = ShelterFixture

    @Test("the worked example becomes a report: capacity, resources, checks, devices, local time")
    func workedExample() throws {
        var snapshot = F.snapshot(occupancy: 1840)
        snapshot.usableWater = .known(9000, observedAt: F.t0)
        snapshot.occupancyNotes = ["door2 entering counter wrapped (4294967290 → 5)"]
        snapshot.links["water"] = .degraded
        let lifecycle = LifecycleStatus(state: .activated, isDrill: true)
        let checks = F.evaluate(snapshot)
        let readings = [
            ReadingStatus(
                device: "water", point: "level", quantity: .waterTankLevel, reading: .value(.double(2.1)),
                unit: "m", observedAt: F.t0, now: F.t0, maximumAge: .seconds(300)),
            ReadingStatus(
                device: "power", point: "mains", quantity: .mainsPresent, reading: .value(.bool(true)),
                unit: nil, observedAt: F.t0.plus(-400), now: F.t0, maximumAge: .seconds(300)),
            ReadingStatus(
                device: "counter", point: "in", quantity: .occupancyCountIn,
                reading: .noSample(.init(.timeout)), unit: nil, observedAt: nil, now: F.t0,
                maximumAge: .seconds(300)),
        ]
        let report = StatusReportBuilder.makeReport(
            reportId: "r-1", sequence: 42, gatewayId: "gw-1", record: F.record(), snapshot: snapshot,
            lifecycle: lifecycle, checks: checks, readings: readings, utcOffsetMinutes: 480)
        #expect(report.shelterId == "SMX-HB-0007")
        #expect(report.recordVersion == 3)
        #expect(report.capacity == CapacityStatus(registered: 2000, occupied: 1840, notes: snapshot.occupancyNotes))
        #expect(report.capacity.available == 160)
        #expect(
            report.resources
                == ResourceStatus(
                    power: .adequate, water: .insufficient, sanitation: .adequate,
                    comms: .insufficient))
        #expect(report.lifecycle.isDrill)
        #expect(report.checks == checks)
        #expect(report.devices.map(\.device) == ["counter", "power", "water"])
        #expect(report.readings.map(\.quality) == [.good, .stale, .bad])
        #expect(report.readings[2].reason == .timeout)
        #expect(report.readings[1].value == 1)
        #expect(report.lastUpdate.local == "2026-12-02T22:55:38+08:00")
        let json = String(decoding: try RegistryJSON.makeEncoder().encode(report), as: UTF8.self)
        #expect(json.contains(#""water":"insufficient""#))
    }

    @Test("unknown occupancy is reported as unknown, not 0, and resources without checks are unknown")
    func unknownOccupancy() {
        let snapshot = SiteSnapshot(takenAt: F.t0)
        let report = StatusReportBuilder.makeReport(
            reportId: "r-2", sequence: 1, gatewayId: "gw-1", record: F.record(), snapshot: snapshot,
            lifecycle: .init(state: .standby), checks: [], readings: [], utcOffsetMinutes: 0)
        #expect(report.capacity.occupied == nil)
        #expect(report.capacity.available == nil)
        #expect(report.capacity.notes == ["occupancy unknown: not_yet_read"])
        #expect(
            report.resources == ResourceStatus(power: .unknown, water: .unknown, sanitation: .unknown, comms: .unknown))
    }
}
