import Foundation
import ShelterCore
import Testing

/// What the built executables promise a shell script: `--version` from one place, exit statuses from
/// `ExitStatus`, and `show-plan --json` printing exactly the plan goldens of `ShelterRuntimeTests`.
@Suite("the built executables: version, exit statuses, show-plan --json")
struct ExecutableContractTests {
    static let configs = BuiltExecutable.repositoryRoot.appendingPathComponent(
        "Tests/ShelterRuntimeTests/Fixtures/configs")

    /// The plan golden cases: folders `plan-*` holding `site.toml` and `expected-plan.json`.
    static var planCases: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: configs.path)) ?? []
        return names.filter {
            FileManager.default.fileExists(atPath: configs.appendingPathComponent("\($0)/expected-plan.json").path)
        }.sorted()
    }

    @Test("ShelterVersion.current is the VERSION file")
    func versionFile() throws {
        let text = try String(
            contentsOf: BuiltExecutable.repositoryRoot.appendingPathComponent("VERSION"), encoding: .utf8)
        #expect(text == ShelterVersion.current + "\n")
        #expect(ShelterVersion.current.split(separator: ".").compactMap { Int($0) }.count == 3)
    }

    @Test("--version on all three executables", arguments: ["shelter-agent", "shelter-sim", "shelter-registry"])
    func version(_ executable: String) throws {
        let result = try BuiltExecutable.run(executable, ["--version"])
        #expect(result.status == ExitStatus.ok.rawValue)
        #expect(result.output == ShelterVersion.current + "\n")
    }

    @Test("the exit statuses are the sysexits.h numbers")
    func exitStatuses() {
        #expect(ExitStatus.usage.rawValue == 64)
        #expect(ExitStatus.dataError.rawValue == 65)
        #expect(ExitStatus.noInput.rawValue == 66)
        #expect(ExitStatus.unavailable.rawValue == 69)
        #expect(ExitStatus.software.rawValue == 70)
        #expect(ExitStatus.temporaryFailure.rawValue == 75)
        #expect(ExitStatus.protocolError.rawValue == 76)
        #expect(Set(ExitStatus.allCases.map(\.rawValue)).count == ExitStatus.allCases.count)
    }

    @Test("bad usage exits 64 with the message on stderr; a bad site file exits 65")
    func usageAndDataErrors() throws {
        let usage = try BuiltExecutable.run("shelter-agent", ["read", "--tcp", "h", "--unit", "1"])
        #expect(usage.status == ExitStatus.usage.rawValue)
        #expect(usage.errors.hasPrefix("Error: Missing expected argument '--function <function>'\n"))
        let site = Self.configs.appendingPathComponent("duplicate-names/site.toml").path
        let data = try BuiltExecutable.run("shelter-agent", ["show-plan", site])
        #expect(data.status == ExitStatus.dataError.rawValue)
        #expect(!data.output.isEmpty)
    }

    @Test("the plan goldens through show-plan --json of the built shelter-agent", arguments: planCases)
    func showPlanJSON(_ name: String) throws {
        #expect(Self.planCases.count >= 3)
        let expected = try String(
            contentsOf: Self.configs.appendingPathComponent("\(name)/expected-plan.json"), encoding: .utf8)
        let site = Self.configs.appendingPathComponent("\(name)/site.toml").path
        let result = try BuiltExecutable.run("shelter-agent", ["show-plan", site, "--json"])
        #expect(result.status == ExitStatus.ok.rawValue, "\(result.errors)")
        #expect(result.output == expected)
    }
}
