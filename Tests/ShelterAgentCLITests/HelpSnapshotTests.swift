import ArgumentParser
import Foundation
import Testing

@testable import shelter_agent

/// One help-text snapshot per command (argument-parser convention). To update after a deliberate change:
/// `COLUMNS=100 .build/debug/shelter-agent read --help > Tests/ShelterAgentCLITests/Fixtures/read-help.txt`.
@Suite("read and scan help text")
struct HelpSnapshotTests {
    static func fixture(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test("read --help")
    func read() throws {
        let help = ShelterAgentCommand.helpMessage(for: ReadCommand.self, columns: 100)
        #expect(help.trimmingCharacters(in: .whitespacesAndNewlines)
            == (try Self.fixture("read-help.txt")).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("scan --help")
    func scan() throws {
        let help = ShelterAgentCommand.helpMessage(for: ScanCommand.self, columns: 100)
        #expect(help.trimmingCharacters(in: .whitespacesAndNewlines)
            == (try Self.fixture("scan-help.txt")).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
