import ShelterCore
import ShelterRuntime
import Testing

/// Issue 3: a config with ten different mistakes yields ten messages, each naming its key path.
@Test func tenMistakesGiveTenMessagesWithTheirKeyPaths() {
    let result = SiteConfigurationLoader(checksFiles: false).load(
        siteFile: FixturePaths.configs + "/ten-mistakes/site.toml")
    guard case .failure(let error) = result else {
        Issue.record("the ten-mistakes site loaded")
        return
    }
    #expect(error.issues.count == 10)
    #expect(
        Set(error.issues.map(\.keyPath)) == [
            "gateway.registry_url", "buses[1].parity", "buses[1].stop_bits", "devices[0].respone_timeout_milliseconds",
            "devices[1].profile", "devices[2].unit_id", "devices[2].poll_interval_seconds", "record.capacity_persons",
            "record.water_tanks[0].capacity_litres", "bindings[0].point",
        ])
    for issue in error.issues {
        #expect(issue.description.contains(issue.keyPath))
        #expect(!issue.fix.isEmpty, "\(issue.keyPath) has no fix hint")
    }
}

/// Sites and profiles given as text (for the simulator and runtime tests) validate like files.
@Test func sitesCanBeLoadedFromText() throws {
    let site = FileHelpers.read(FixturePaths.configs + "/plan-bridges-gaps/site.toml") ?? ""
    let profile = FileHelpers.read(FixturePaths.configs + "/profiles/test-meter.toml") ?? ""
    let loader = SiteConfigurationLoader(checksFiles: false)
    let configuration = try loader.load(siteText: site, file: "text.toml", profileTexts: ["test-meter": profile]).get()
    #expect(configuration.devices.map(\.name) == ["meter", "plc"])
    guard case .failure(let error) = loader.load(siteText: site, file: "text.toml", profileTexts: [:]) else {
        Issue.record("a missing profile must be an issue")
        return
    }
    #expect(error.issues.map(\.keyPath) == ["devices[0].profile"])
}
