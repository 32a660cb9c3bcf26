import FoundationEssentials
import ShelterCore
import Testing

@testable import ScenarioKit

/// Every scenario shipped under `Firmware-Config/scenarios/` validates, names devices its site has, and
/// stays inside the CI budget; together they cover what issue 7 asks for.
@Suite("Shipped scenarios")
struct ShippedScenarioTests {
    static let directory = "\(SitePatchTests.repositoryRoot)/Firmware-Config/scenarios"

    static let files: [String] = {
        guard let listing = FileSystem.listing(of: directory) else { return [] }
        return listing.filter { $0.hasSuffix(".toml") }.sorted().map { "\(directory)/\($0)" }
    }()

    static func load(_ file: String) throws -> Scenario {
        try Scenario.load(path: file)
    }

    @Test("every scenario file validates against its site", arguments: files)
    func validates(file: String) throws {
        let scenario = try Self.load(file)
        let siteText = try #require(FileSystem.read(scenario.sitePath), "site file \(scenario.sitePath)")
        let site = try SiteSummary(text: siteText, subject: scenario.sitePath)
        #expect(scenario.issues(againstDevices: Set(site.devices.keys)).isEmpty)
        if let values = scenario.valuesPath { #expect(FileSystem.exists(values), "values file \(values)") }
        #expect(file.hasSuffix("/\(scenario.name).toml"), "file name matches the scenario name")
    }

    @Test("the required scenarios are shipped, and all but the outage stay short")
    func coverage() throws {
        let scenarios = try Self.files.map(Self.load)
        #expect(scenarios.count >= 7)
        func alerts(_ s: Scenario) -> [AlertMatcher] {
            s.expectations.compactMap { if case .alertReceived(let m, _) = $0 { m } else { nil } }
        }
        for check in ["C-01", "C-05", "C-12", "C-13", "C-22"] {
            #expect(
                scenarios.contains { s in alerts(s).contains { $0.check?.rawValue == check } },
                "a scenario for \(check)")
        }
        #expect(
            scenarios.contains { s in
                alerts(s).contains { $0.status == .exercise }
                    && s.expectations.contains(.alertAbsent(AlertMatcher(status: .actual)))
            }, "a drill: Exercise alerts expected, Actual forbidden")
        let outage = try #require(
            scenarios.first { s in
                s.steps.contains { if case .uplinkDown = $0.action { true } else { false } }
                    && s.expectations.contains {
                        if case .delivery(let d) = $0 { d.onceEach && d.inOrder } else { false }
                    }
            })
        let down = try #require(outage.steps.first { if case .uplinkDown = $0.action { true } else { false } })
        let up = try #require(outage.steps.first { $0.action == .uplinkUp })
        #expect(up.at - down.at >= .seconds(600), "a 10-minute outage")
        #expect(
            outage.expectations.contains { if case .alertReceived(let m, _) = $0 { m.sentAfter != nil } else { false } }
        )
        for s in scenarios where s.name != outage.name {
            #expect(s.duration <= .seconds(90), "\(s.name) runs ≤ 90 s")
        }
    }
}
