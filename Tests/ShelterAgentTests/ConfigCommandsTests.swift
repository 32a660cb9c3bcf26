import ArgumentParser
import Foundation
import ShelterCore
import Testing
@testable import shelter_agent

/// `check-config` and `show-plan`: argument parsing and the exit codes of STYLE §4 (65 when issues).
@Suite struct ConfigCommandsTests {
    static var repository: String {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) }
        return path
    }

    static var reference: String { repository + "/Firmware-Config/sites/reference.toml" }
    static var tenMistakes: String { repository + "/Tests/ShelterRuntimeTests/Fixtures/configs/ten-mistakes/site.toml" }

    @Test func parsesCheckConfig() throws {
        let command = try ShelterAgentCommand.parseAsRoot(["check-config", "a.toml", "b.toml", "--skip-file-checks"])
        let check = try #require(command as? CheckConfigCommand)
        #expect(check.files == ["a.toml", "b.toml"])
        #expect(check.skipFileChecks)
        #expect(check.profileDirectory == nil)
    }

    @Test func parsesShowPlan() throws {
        let command = try ShelterAgentCommand.parseAsRoot(["show-plan", "site.toml", "--json", "--profiles", "/p"])
        let plan = try #require(command as? ShowPlanCommand)
        #expect(plan.file == "site.toml" && plan.json && plan.profileDirectory == "/p")
    }

    @Test func checkConfigSucceedsOnTheReferenceSite() async throws {
        let command = try #require(
            try ShelterAgentCommand.parseAsRoot(["check-config", Self.reference, "--skip-file-checks"])
                as? CheckConfigCommand)
        try await command.run()
    }

    @Test func checkConfigExits65OnIssues() async throws {
        let command = try #require(
            try ShelterAgentCommand.parseAsRoot(["check-config", Self.tenMistakes, "--skip-file-checks"])
                as? CheckConfigCommand)
        await #expect(throws: ExitCode(65)) { try await command.run() }
    }

    /// Issue 12 item 2: one U+2028 inside an array made check-config abort (exit 134); now it is an issue.
    @Test func checkConfigExits65OnAnInvisibleCharacterInAnArray() async throws {
        let text = try String(contentsOfFile: Self.reference, encoding: .utf8)
            .replacingOccurrences(of: "[record]\n", with: "[record]\nother_facilities = [\"a\",\u{2028} \"b\"]\n")
        #expect(text.contains("\u{2028}"))
        let sites = FileManager.default.temporaryDirectory.appendingPathComponent("u2028-\(UUID().uuidString)/sites")
        try FileManager.default.createDirectory(at: sites, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: sites.deletingLastPathComponent()) }
        let file = sites.appendingPathComponent("site.toml").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let command = try #require(
            try ShelterAgentCommand.parseAsRoot(["check-config", file, "--skip-file-checks"]) as? CheckConfigCommand)
        await #expect(throws: ExitCode(65)) { try await command.run() }
    }

    @Test func showPlanExits65OnIssuesAndRendersTheReferencePlan() async throws {
        let bad = try #require(
            try ShelterAgentCommand.parseAsRoot(["show-plan", Self.tenMistakes]) as? ShowPlanCommand)
        await #expect(throws: ExitCode(65)) { try await bad.run() }
        let good = try #require(
            try ShelterAgentCommand.parseAsRoot(["show-plan", Self.reference, "--skip-file-checks", "--json"])
                as? ShowPlanCommand)
        try await good.run()
    }

    @Test func textPlanNamesDeviceUnitFunctionStartCountAndPoints() throws {
        let request = ReadRequest(
            device: "genset", unitID: UnitID(rawValue: 10), function: .holdingRegister, start: 1024, count: 40,
            points: ["a", "b"])
        let text = PlanText.render(
            PollPlan(bus: "rs485", requests: [request]), bus: nil, estimate: nil, utilisation: nil)
        #expect(
            text == "bus rs485: 1 request, 40 registers/bits\n  genset unit 10 fc3 holding start 1024 count 40: a, b")
    }
}
