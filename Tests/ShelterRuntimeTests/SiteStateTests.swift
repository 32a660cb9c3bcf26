import FoundationEssentials
@testable import ShelterCore
import ShelterRuntime
import Testing

/// `SiteState` on the shipped reference site: samples in, the quantities the checks read out.
@Suite("Site state on the reference site")
struct SiteStateTests {
    static let referenceSite: String = {
        let parts = String(#filePath).split(separator: "/").dropLast(3)
        return "/" + parts.joined(separator: "/") + "/Firmware-Config/sites/reference.toml"
    }()

    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func makeState() throws -> SiteState {
        let configuration = try SiteConfigurationLoader(checksFiles: false).load(siteFile: Self.referenceSite).get()
        return SiteState(configuration: configuration)
    }

    func value(_ device: String, _ point: String, _ v: Double, at t: Date) -> Sample {
        Sample(device: device, point: point, reading: .value(.double(v)), observedAt: t)
    }

    @Test("nothing read yet: every quantity is unknown, never zero")
    func initial() throws {
        let snapshot = try makeState().snapshot(at: t0)
        #expect(snapshot.occupancy.value == nil)
        #expect(snapshot.usableWater.value == nil)
        #expect(snapshot.mainsPresent.value == nil)
        #expect(snapshot.fuel["gen1"]?.value == nil)
        #expect(snapshot.links.values.allSatisfy { $0 == .unknown })
        #expect(snapshot.freshness.allSatisfy { $0.lastValueAt == nil })
        #expect(snapshot.boundFacilities?.contains(FacilityRef(.generator, "gen1")) == true)
    }

    @Test(
        "usable water: level through the level-to-volume table, minus dead volume; a dead tank sensor makes the total unknown"
    )
    func water() throws {
        var state = try makeState()
        state.ingest(
            device: "tank1-level", linkState: .up, samples: [value("tank1-level", "level", 2.0, at: t0)], at: t0)
        state.ingest(
            device: "tank2-level", linkState: .up, samples: [value("tank2-level", "level", 0.25, at: t0)], at: t0)
        state.ingest(
            device: "tank3-level", linkState: .degraded,
            samples: [
                Sample(device: "tank3-level", point: "level", reading: .noSample(.init(.timeout)), observedAt: t0)
            ], at: t0)
        var snapshot = state.snapshot(at: t0)
        #expect(snapshot.usableWaterByTank["tank1"]?.value == 26_500.0)
        #expect(snapshot.usableWaterByTank["tank2"]?.value == 1_750.0)
        guard case .unknown(let reason) = snapshot.usableWater else {
            Issue.record("total must be unknown while tank3 has no sample")
            return
        }
        #expect(reason.kind == .timeout)
        #expect(reason.detail.contains("tank3"))

        state.ingest(
            device: "tank3-level", linkState: .up, samples: [value("tank3-level", "level", 3.0, at: t0)], at: t0)
        snapshot = state.snapshot(at: t0)
        // 3.0 m is above the table: clamped to the full 35 000 L.
        #expect(snapshot.usableWater.value == 61_750.0)
        #expect(snapshot.links["tank3-level"] == .up)
    }

    @Test("fuel from level %, mains from the relay, generator state from the I/O module")
    func power() throws {
        var state = try makeState()
        state.ingest(device: "genset", linkState: .up, samples: [value("genset", "fuel_level", 40, at: t0)], at: t0)
        state.ingest(
            device: "io", linkState: .up,
            samples: [
                Sample(device: "io", point: "mains_relay", reading: .value(.bool(false)), observedAt: t0),
                Sample(device: "io", point: "generator_running", reading: .value(.bool(true)), observedAt: t0),
                Sample(device: "io", point: "generator_on_load", reading: .value(.bool(false)), observedAt: t0),
            ], at: t0)
        let snapshot = state.snapshot(at: t0)
        #expect(snapshot.fuel["gen1"]?.value == 400)
        #expect(snapshot.mainsPresent.value == false)
        #expect(snapshot.generatorRunning["gen1"]?.value == true)
        #expect(snapshot.generatorOnLoad["gen1"]?.value == false)
        #expect(snapshot.batterySOC["ups1"]?.value == nil)
    }

    @Test("occupancy from the four entrances' in/out counters, counted from the first reading")
    func occupancy() throws {
        var state = try makeState()
        let counters = ["counter-north", "counter-south", "counter-east", "counter-west"]
        for c in counters {
            state.ingest(
                device: c, linkState: .up,
                samples: [value(c, "count_in", 1000, at: t0), value(c, "count_out", 900, at: t0)], at: t0)
        }
        let t1 = t0.addingTimeInterval(5)
        for (i, c) in counters.enumerated() {
            state.ingest(
                device: c, linkState: .up,
                samples: [
                    value(c, "count_in", 1000 + Double(100 * (i + 1)), at: t1), value(c, "count_out", 910, at: t1),
                ], at: t1)
        }
        // Entered 100+200+300+400 = 1000, left 4 × 10 = 40.
        #expect(state.snapshot(at: t1).occupancy.value == 960)
    }

    @Test(
        "level-to-volume interpolation",
        arguments: [(0.0, 0.0), (0.25, 3250.0), (1.25, 17250.0), (2.5, 35000.0), (-1.0, 0.0)])
    func interpolation(level: Double, litres: Double) throws {
        let tank = try #require(try makeState().configuration.record.facilities.waterTanks.first)
        #expect(SiteState.volume(of: tank, atLevel: level) == litres)
    }
}
