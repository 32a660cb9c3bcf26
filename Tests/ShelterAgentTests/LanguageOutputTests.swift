import Foundation
import ShelterCore
import Testing

/// The command line in the reader's language (issue 16 item 3): `check-config` compared exactly with
/// `Fixtures/check-config-<language>.txt`, `status` picking its language from `--lang`, `LC_ALL` and `LANG`.
/// `SHELTER_UPDATE_GOLDEN=1 swift test --filter LanguageOutputTests` rewrites the fixtures; read the diff as a
/// site manager would before committing it.
@Suite("Command output in zh-CN and en")
struct LanguageOutputTests {
    static let root = "/" + String(#filePath).split(separator: "/").dropLast(3).joined(separator: "/")
    static let fixtures = root + "/Tests/ShelterAgentTests/Fixtures"

    /// Runs the built `shelter-agent` in the repository root with exactly `environment` (no inherited locale).
    static func agent(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String) {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let process = Process()
        process.executableURL = directory.appendingPathComponent("shelter-agent")
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static let checkConfigArguments = [
        "check-config", "--skip-file-checks", "Firmware-Config/sites/reference.toml",
        "Tests/ShelterRuntimeTests/Fixtures/configs/ten-mistakes/site.toml",
        "Tests/ShelterRuntimeTests/Fixtures/configs/wrong-value-kind/site.toml",
        "Tests/ShelterRuntimeTests/Fixtures/configs/unknown-key/site.toml",
        "Tests/ShelterRuntimeTests/Fixtures/configs/gateway-language/site.toml",
    ]

    @Test(
        "check-config matches Fixtures/check-config-<language>.txt",
        arguments: [
            ("en", ["LANG": "en_US.UTF-8"]), ("zh-CN", ["LANG": "zh_CN.UTF-8"]),
        ])
    func checkConfigGolden(language: String, environment: [String: String]) throws {
        let result = try Self.agent(Self.checkConfigArguments, environment: environment)
        #expect(result.status == 65)
        let path = Self.fixtures + "/check-config-\(language).txt"
        if ProcessInfo.processInfo.environment["SHELTER_UPDATE_GOLDEN"] == "1" {
            try Data(result.output.utf8).write(to: URL(fileURLWithPath: path))
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(result.output == expected)
    }

    @Test(
        "--lang wins over the locale; LC_ALL wins over LANG; no locale is English",
        arguments: [
            (["--lang", "en"], ["LANG": "zh_CN.UTF-8"], "Firmware-Config/sites/reference.toml: OK: "),
            (["--lang", "zh-CN"], ["LANG": "C"], "Firmware-Config/sites/reference.toml：正确。"),
            ([], ["LC_ALL": "C", "LANG": "zh_CN.UTF-8"], "Firmware-Config/sites/reference.toml: OK: "),
            ([], ["LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"], "Firmware-Config/sites/reference.toml：正确。"),
            ([], [:], "Firmware-Config/sites/reference.toml: OK: "),
        ])
    func languageChoice(options: [String], environment: [String: String], prefix: String) throws {
        let result = try Self.agent(
            ["check-config", "--skip-file-checks"] + options + ["Firmware-Config/sites/reference.toml"],
            environment: environment)
        #expect(result.status == 0)
        #expect(result.output.hasPrefix(prefix), "\(result.output)")
    }

    @Test("status speaks the reader's language")
    func status() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lang-status-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let finding = CheckFinding.occupancy(present: 1_880, capacity: 2_000, ratio: 0.94)
        let status = AgentStatus(
            writtenAt: Date(), startedAt: Date(), agentVersion: "0.1.0", pid: 1, gatewayID: "gw-ref-01",
            shelterID: "SMX-0007", lifecycle: .init(state: "activated"),
            checks: [
                .init(
                    id: "C-01", status: "warning", summary: finding.text(in: .en), summaries: AgentStatus.texts(finding)
                )
            ])
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(status).write(to: directory.appendingPathComponent("status.json"))
        let zh = try Self.agent(["status", "--state-dir", directory.path], environment: ["LANG": "zh_CN.UTF-8"])
        let en = try Self.agent(
            ["status", "--state-dir", directory.path, "--lang", "en"], environment: ["LANG": "zh_CN.UTF-8"])
        #expect(zh.status == 0 && en.status == 0)
        let zhLines = zh.output.split(separator: "\n").map(String.init)
        let enLines = en.output.split(separator: "\n").map(String.init)
        #expect(zhLines.contains("场所状态   已启用"))
        #expect(zhLines.contains("  C-01               警告     \(finding.text(in: .zhCN))"))
        #expect(enLines.contains("lifecycle  activated"))
        #expect(enLines.contains("  C-01               warning  \(finding.text(in: .en))"))
    }
}
