import FoundationEssentials
import ShelterCore
import ShelterRuntime
import Testing

/// Golden cases (Telegraf `testcases/`): each folder of `Fixtures/configs` holds a `site.toml` and either the
/// exact issues `check-config` must print (`expected-issues.txt`) or the plan `show-plan --json` must print
/// (`expected-plan.json`). A regression is a new folder.
@Suite struct GoldenConfigTests {
    static var cases: [String] {
        FileHelpers.list(FixturePaths.configs).filter {
            $0 != "profiles" && FileHelpers.isDirectory(FixturePaths.configs + "/" + $0)
        }
    }

    /// Loads a case's site file with the fixture profiles; TLS files are not checked (they are a separate test).
    static func load(_ name: String) -> Result<SiteConfiguration, ConfigurationError> {
        SiteConfigurationLoader(checksFiles: false).load(siteFile: FixturePaths.configs + "/\(name)/site.toml")
    }

    @Test func everyCaseHasAnExpectation() {
        #expect(Self.cases.count >= 18)
        for name in Self.cases {
            let directory = FixturePaths.configs + "/" + name
            let hasIssues = FileHelpers.exists(directory + "/expected-issues.txt")
            let hasPlan = FileHelpers.exists(directory + "/expected-plan.json")
            #expect(hasIssues != hasPlan, "\(name) needs exactly one of expected-issues.txt, expected-plan.json")
        }
    }

    @Test(arguments: cases.filter { FileHelpers.exists(FixturePaths.configs + "/\($0)/expected-issues.txt") })
    func issues(_ name: String) throws {
        let expected = (FileHelpers.read(FixturePaths.configs + "/\(name)/expected-issues.txt") ?? "")
            .split(separator: "\n").map(String.init)
        guard case .failure(let error) = Self.load(name) else {
            Issue.record("\(name) loaded without issues")
            return
        }
        let root = FixturePaths.configs + "/"
        let actual = error.issues.map { issue in
            var line = issue.description
            if line.hasPrefix(root) { line.removeFirst(root.count) }
            return line
        }
        #expect(actual == expected)
    }

    struct ExpectedBus: Decodable, Equatable {
        var bus: String
        var requests: [ReadRequest]
        var estimate: Estimate?

        struct Estimate: Decodable, Equatable {
            var requests: Int
            var planned_milliseconds: Double
            var points: Int
            var one_per_point_milliseconds: Double
            var registers: Int
            var one_per_register_milliseconds: Double
        }
    }

    @Test(arguments: cases.filter { FileHelpers.exists(FixturePaths.configs + "/\($0)/expected-plan.json") })
    func plan(_ name: String) throws {
        let text = FileHelpers.read(FixturePaths.configs + "/\(name)/expected-plan.json") ?? ""
        let expected = try JSONDecoder().decode([ExpectedBus].self, from: Data(text.utf8))
        let site = try Self.load(name).get()
        let plans = RequestPlanner.plan(for: site)
        #expect(plans.map(\.bus) == expected.map(\.bus))
        for (plan, bus) in zip(plans, expected) {
            #expect(plan.requests == bus.requests, "bus \(bus.bus)")
            let estimate = site.wireTimeEstimate(for: plan)
            #expect((estimate == nil) == (bus.estimate == nil))
            if let estimate, let want = bus.estimate {
                #expect(estimate.requestCount == want.requests)
                #expect(estimate.pointCount == want.points)
                #expect(estimate.registerCount == want.registers)
                #expect(abs(estimate.planned.milliseconds - want.planned_milliseconds) < 0.051)
                #expect(abs(estimate.onePerPoint.milliseconds - want.one_per_point_milliseconds) < 0.051)
                #expect(abs(estimate.onePerRegister.milliseconds - want.one_per_register_milliseconds) < 0.051)
            }
        }
    }
}

extension Duration {
    /// Milliseconds, fractional.
    var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
