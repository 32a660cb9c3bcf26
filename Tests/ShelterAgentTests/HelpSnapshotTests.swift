import ArgumentParser
import Foundation
import Testing

@testable import shelter_agent
@testable import shelter_sim

/// One help-text snapshot per command and subcommand of `shelter-agent` and `shelter-sim`, and the top level of
/// `shelter-registry` (swift-argument-parser's `AssertHelp` convention), compared exactly at 80 columns, the
/// width of a terminal nobody resized. After a deliberate change, regenerate and review the diff:
/// `UPDATE_HELP_SNAPSHOTS=1 swift test --filter HelpSnapshotTests`.
@Suite("help text of every command")
struct HelpSnapshotTests {
    static let columns = 80
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/help")

    /// Every command path, e.g. `shelter-agent outbox retry`, with its type.
    static func commands(
        of command: any ParsableCommand.Type, path: [String] = []
    ) -> [(path: String, command: any ParsableCommand.Type)] {
        let path = path + [command.configuration.commandName ?? "\(command)"]
        return [(path.joined(separator: " "), command)]
            + command.configuration.subcommands.flatMap { commands(of: $0, path: path) }
    }

    static let agentCommands = commands(of: ShelterAgentCommand.self)
    static let simCommands = commands(of: ShelterSimCommand.self)

    /// Compares `help` with the fixture named after `path`, or writes it when `UPDATE_HELP_SNAPSHOTS` is set.
    static func check(_ help: String, path: String) throws {
        let file = fixtures.appendingPathComponent(path.replacingOccurrences(of: " ", with: "-") + ".txt")
        if ProcessInfo.processInfo.environment["UPDATE_HELP_SNAPSHOTS"] != nil {
            try FileManager.default.createDirectory(at: fixtures, withIntermediateDirectories: true)
            try help.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(help == expected, "\(path) --help differs from \(file.lastPathComponent)")
    }

    @Test("every shelter-agent command has its help snapshot", arguments: agentCommands.map(\.path))
    func agent(_ path: String) throws {
        let command = try #require(Self.agentCommands.first { $0.path == path }?.command)
        try Self.check(ShelterAgentCommand.helpMessage(for: command, columns: Self.columns), path: path)
    }

    @Test("every shelter-sim command has its help snapshot", arguments: simCommands.map(\.path))
    func sim(_ path: String) throws {
        let command = try #require(Self.simCommands.first { $0.path == path }?.command)
        try Self.check(ShelterSimCommand.helpMessage(for: command, columns: Self.columns), path: path)
    }

    /// The registry links Hummingbird, so its help comes from the built executable (`COLUMNS` sets the width).
    @Test("shelter-registry --help has its snapshot")
    func registry() throws {
        let result = try BuiltExecutable.run(
            "shelter-registry", ["--help"], environment: ["COLUMNS": "\(Self.columns)"])
        #expect(result.status == 0)
        try Self.check(result.output, path: "shelter-registry")
    }

    @Test("the snapshots cover exactly the commands there are")
    func noStaleSnapshots() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path)
            .filter { $0.hasSuffix(".txt") }.sorted()
        let expected = (Self.agentCommands.map(\.path) + Self.simCommands.map(\.path) + ["shelter-registry"])
            .map { $0.replacingOccurrences(of: " ", with: "-") + ".txt" }.sorted()
        #expect(names == expected)
    }

    /// Help text written with hard line breaks gets wrapped again by the parser at the terminal's width, which
    /// leaves ragged half-empty lines (issue 11 item 6). A prose line is wrapped twice when the next line's first
    /// word would still have fitted on it.
    @Test(
        "help text is not wrapped twice",
        arguments: agentCommands.map(\.path) + simCommands.map(\.path))
    func notWrappedTwice(_ path: String) throws {
        let command = try #require((Self.agentCommands + Self.simCommands).first { $0.path == path }?.command)
        let help =
            path.hasPrefix("shelter-sim")
            ? ShelterSimCommand.helpMessage(for: command, columns: Self.columns)
            : ShelterAgentCommand.helpMessage(for: command, columns: Self.columns)
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        for (line, next) in zip(lines, lines.dropFirst()) {
            // Prose paragraphs start at column 0; indented lines are the parser's own columns and tables.
            guard let first = line.first, !first.isWhitespace, let nextFirst = next.first, !nextFirst.isWhitespace,
                !line.hasSuffix(":"), !line.hasPrefix("USAGE:"), !line.hasPrefix("OVERVIEW:")
            else { continue }
            let word = next.prefix { !$0.isWhitespace }
            // The parser's wrap keeps a line under `columns` characters (at most `columns - 1`).
            #expect(
                line.count + 1 + word.count >= Self.columns,
                "\(path): '\(line)' has room for '\(word)' from the next line")
        }
    }
}
