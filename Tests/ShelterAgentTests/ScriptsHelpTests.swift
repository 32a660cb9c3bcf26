import Foundation
import Testing

/// Every program in `Scripts/` answers `--help` with its usage on stdout and exit 0, and does nothing else
/// (new-user trial: `Scripts/pki --help` made a directory named `--help`; `Scripts/test --help` started the test
/// run and `Scripts/bootstrap --help` the install). Each runs in an empty directory, killed after 30 s.
@Suite("Scripts/*: --help")
struct ScriptsHelpTests {
    static let root = BuiltExecutable.repositoryRoot

    /// The executable files directly in `Scripts/` (not `lib/`, `cap/`, …).
    static var programs: [String] {
        let scripts = root.appendingPathComponent("Scripts")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: scripts.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            let path = scripts.appendingPathComponent(name).path
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && FileManager.default.isExecutableFile(atPath: path)
        }.sorted()
    }

    @Test("there are programs to ask")
    func found() {
        #expect(Self.programs.contains("pki"))
        #expect(Self.programs.count >= 20)
    }

    @Test("--help prints the usage, exits 0 and leaves the working directory empty", arguments: Self.programs)
    func help(program: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("help-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("../help-\(UUID().uuidString).out").standardizedFileURL
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = Self.root.appendingPathComponent("Scripts/\(program)")
        process.arguments = ["--help"]
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            kill(-process.processIdentifier, SIGKILL)
            process.terminate()
        }
        process.waitUntilExit()
        let text = try String(contentsOf: output, encoding: .utf8)
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(program): \(text)")
        #expect(text.split(separator: "\n").first.map { $0.count > 20 } == true, "\(program) printed: \(text)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "\(program)")
    }

    @Test("Scripts/pki with an option where the directory goes says so (exit 64) and makes nothing")
    func pkiOptionFirst() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for arguments in [["--gateway", "gw-x"], ["--bogus"]] {
            let process = Process()
            process.executableURL = Self.root.appendingPathComponent("Scripts/pki")
            process.arguments = arguments
            process.currentDirectoryURL = directory
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 64, "\(arguments)")
            #expect(text.hasPrefix("pki: give the output directory first"), "\(text)")
            #expect(!text.contains("set -euo pipefail"), "\(text)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
    }
}
