import ArgumentParser
import Foundation

/// What a run of a built executable printed and how it ended.
struct ExecutableResult {
    var status: Int32
    var output: String
    var errors: String

    var lines: [String] { output.split(separator: "\n").map(String.init) }
}

/// The executables `swift build` put next to the test bundle (`.build/debug`), run as a user would.
enum BuiltExecutable {
    /// The package root, found from this file's path (`Tests/ShelterAgentTests/BuiltExecutable.swift`).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `name` (`shelter-agent`, `shelter-sim`, `shelter-registry`) with `arguments` and waits for it to exit.
    /// `environment` is added to this process's environment.
    static func run(
        _ name: String, _ arguments: [String], environment: [String: String] = [:]
    ) throws -> ExecutableResult {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let process = Process()
        process.executableURL = directory.appendingPathComponent(name)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ExecutableResult(
            status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData, as: UTF8.self))
    }
}

/// How a command line is refused: the message swift-argument-parser prints after "Error: " and the exit status
/// (the `AssertParse`/`AssertExecuteCommand` checks of swift-argument-parser's own tests, in-process).
struct Refusal: Equatable, CustomStringConvertible {
    var message: String
    var exitCode: Int32

    /// `nil` when `arguments` parse (and validate) without error.
    init?<Root: ParsableCommand>(_ root: Root.Type, _ arguments: [String]) {
        do {
            _ = try root.parseAsRoot(arguments)
            return nil
        } catch {
            message = root.message(for: error)
            exitCode = root.exitCode(for: error).rawValue
        }
    }

    init(message: String, exitCode: Int32) {
        self.message = message
        self.exitCode = exitCode
    }

    var description: String { "exit \(exitCode): \(message)" }
}
