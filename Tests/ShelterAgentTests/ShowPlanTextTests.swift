import Foundation
import ShelterCore
import Testing

/// `show-plan` as a site manager reads it in a terminal (issue 11 item 6). Before, the reference site's plan
/// had lines of 130 columns and said nothing of how busy each bus is. The goldens are
/// `Fixtures/plans/reference-<language>.txt`; `SHELTER_UPDATE_GOLDEN=1` rewrites them (read the diff).
@Suite("show-plan text")
struct ShowPlanTextTests {
    static let fixtures = BuiltExecutable.repositoryRoot.appendingPathComponent(
        "Tests/ShelterAgentTests/Fixtures/plans")
    static let reference = BuiltExecutable.repositoryRoot.appendingPathComponent(
        "Firmware-Config/sites/reference.toml"
    ).path

    @Test(
        "show-plan of the reference site fits in 100 columns and states each bus's utilisation",
        arguments: Language.allCases)
    func referencePlan(language: Language) throws {
        let result = try BuiltExecutable.run(
            "shelter-agent", ["show-plan", Self.reference, "--lang", language.rawValue])
        #expect(result.status == ExitStatus.ok.rawValue, "\(result.errors)")
        for line in result.lines {
            #expect(DisplayWidth.columns(of: line) <= 100, "\(DisplayWidth.columns(of: line)) columns: \(line)")
        }
        let buses = result.lines.filter { !$0.hasPrefix(" ") }
        let utilisation = result.lines.filter {
            $0.hasPrefix("  utilisation") || $0.hasPrefix("  总线占用率") || $0.contains("Modbus TCP 不估算")
        }
        #expect(buses.count == 3 && utilisation.count == 3, "\(result.output)")
        if language == .en {
            #expect(
                result.output.contains(
                    "  utilisation 9.9 %: a 495.0 ms cycle in the shortest poll interval, 5 s (5 of 11 devices)\n"))
            #expect(
                result.output.contains(
                    "  utilisation not estimated on Modbus TCP; shortest poll interval 1 s (its only device)\n"))
        }
        let golden = Self.fixtures.appendingPathComponent("reference-\(language.rawValue).txt")
        if ProcessInfo.processInfo.environment["SHELTER_UPDATE_GOLDEN"] == "1" {
            try result.output.write(to: golden, atomically: true, encoding: .utf8)
        }
        #expect(result.output == (try String(contentsOf: golden, encoding: .utf8)))
    }

    @Test("a bus whose cycle is longer than its shortest poll interval says polls run late and what to do")
    func overloadedBus() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("sites"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // The reference site with every device polled every 0.4 s: 495 ms a cycle does not fit.
        let text = try String(contentsOfFile: Self.reference, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("poll_interval_seconds") ? "poll_interval_seconds = 0.4" : String($0) }
            .joined(separator: "\n")
        let site = directory.appendingPathComponent("sites/site.toml")
        try text.write(to: site, atomically: true, encoding: .utf8)
        let profiles = BuiltExecutable.repositoryRoot.appendingPathComponent("Firmware-Config/profiles").path
        let result = try BuiltExecutable.run(
            "shelter-agent", ["show-plan", site.path, "--profiles", profiles, "--lang", "en"])
        #expect(result.status == ExitStatus.ok.rawValue, "\(result.output) \(result.errors)")
        #expect(
            result.output.contains(
                "  utilisation 123.8 %: a 495.0 ms cycle in the shortest poll interval, 0.4 s (every device)\n"
                    + "    over 100 %: polls run late; lengthen poll_interval_seconds, raise the baud rate or split the bus\n"
            ),
            "\(result.output)")
    }
}

/// What a new site manager met on the README's commissioning path (issue 11, the closing walk).
@Suite("commissioning stumbles")
struct CommissioningStumbleTests {
    @Test("status without a status file names gateway.state_directory, not a --state-dir the agent does not have")
    func statusWithoutFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("no-status-\(UUID().uuidString)")
        let result = try BuiltExecutable.run("shelter-agent", ["status", "--state-dir", directory.path])
        #expect(result.status == 1)
        #expect(
            result.errors
                == "Error: no status at \(directory.path)/status.json: the agent writes status.json in its site "
                + "file's gateway.state_directory once it runs; give that directory with --state-dir DIR\n")
    }
}
