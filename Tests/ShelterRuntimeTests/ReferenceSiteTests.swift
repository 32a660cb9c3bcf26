import DeviceSimulator
import FoundationEssentials
import ShelterCore
import ShelterRuntime
import Testing
import ShelterTesting

/// The repository root.
let repositoryRoot = RepositoryPaths.root

func loadReferenceSite() throws -> SiteConfiguration {
    let path = repositoryRoot + "/Firmware-Config/sites/reference.toml"
    return try SiteConfigurationLoader(checksFiles: false).load(siteFile: path).get()
}

@Suite("Reference site ↔ simulator ↔ SiteState", .serialized)
struct ReferenceSiteTests {
    static let script = """
        [devices.tank1-level.points.level]
        script = "constant"
        value = 1.25
        [devices.counter-north.points.count_in]
        script = "constant"
        value = 100
        [devices.counter-north.points.count_out]
        script = "constant"
        value = 40
        """

    @Test("every bus polled; usable water from the level table minus dead volume; occupancy from counters")
    func endToEnd() async throws {
        let configuration = try loadReferenceSite()
        let simulator = try SiteSimulator(configuration: configuration, script: ValueScriptFile(toml: Self.script))
        defer { simulator.stop() }
        let store = SiteStateStore(configuration: configuration)
        let sink = CollectingSink()
        #expect(configuration.buses.count == 3)
        let workers = configuration.buses.map { bus in
            BusWorker(
                bus: simulator.redirect(bus),
                devices: configuration.devices(on: bus).map { $0.polled(every: .milliseconds(300)) },
                sink: FanOutSink([store, sink]), logger: TestProfiles.logger)
        }
        workers.forEach { $0.start() }
        let names = Set(configuration.devices.map(\.name))
        await sink.wait(upTo: .seconds(30), "a value from every device") { results in
            Set(results.filter { $0.samples.contains { $0.reading.value != nil } }.map(\.device)) == names
        }
        // A second counter sample after the baseline, with 30 more persons in.
        _ = simulator.execute(line: "set counter-north count_in 130")
        let mark = sink.mark
        await sink.waitForResult(of: "counter-north", after: mark) {
            $0.value("count_in") == .uint(130)
        }
        let snapshot = store.snapshot(at: Date())
        // 1.25 m between the rows (0.5 m, 6500 L) and (2.0 m, 28000 L): 17250 L, minus 1500 L dead volume.
        #expect(snapshot.usableWaterByTank["tank1"]?.value == 15_750)
        #expect(snapshot.occupancy.value == 30)
        #expect(snapshot.links.values.allSatisfy { $0 == .up })
        #expect(snapshot.fuel["gen1"]?.value != nil)
        #expect(snapshot.mainsPresent.value != nil)
        #expect(snapshot.freshness.count == configuration.devices.reduce(0) { $0 + $1.points.count })
        for w in workers { await w.stop() }
    }

    @Test("the shipped value script fits the reference site; a script naming a missing point is refused")
    func shippedValueScript() throws {
        let configuration = try loadReferenceSite()
        let text = try String(
            decoding: Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Firmware-Config/values/reference.toml")),
            as: UTF8.self)
        let script = try ValueScriptFile(toml: text)
        // Every point has its script: a point left out holds the middle of its range, which on a standby day
        // reads as a running engine (3000 rpm) or a UPS on battery for 9 hours (new-user trial).
        for device in configuration.devices {
            let named = Set(script.scripts[device.name]?.keys.map { $0 } ?? [])
            let missing = device.points.map(\.name).filter { !named.contains($0) }
            #expect(missing.isEmpty, "values/reference.toml has no script for \(device.name): \(missing)")
        }
        let simulator = try SiteSimulator(configuration: configuration, script: script)
        #expect(simulator.execute(line: "get io mains_relay") == "ok true")
        #expect(simulator.execute(line: "get genset fuel_level") == "ok 92")
        #expect(simulator.execute(line: "get genset engine_speed") == "ok 0")
        #expect(simulator.execute(line: "get ups1 seconds_on_battery") == "ok 0")
        simulator.stop()
        let typo = try ValueScriptFile(toml: "[devices.genset.points.fuel_levle]\nscript = \"constant\"\nvalue = 1\n")
        #expect(throws: SimulatorError.self) { try SiteSimulator(configuration: configuration, script: typo) }
    }
}
