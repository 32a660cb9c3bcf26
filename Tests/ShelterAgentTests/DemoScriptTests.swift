import Foundation
import Testing

/// `Scripts/demo` explains itself (issue 11 item 7): `--help`, refusals, the storyline's steps told at the
/// times the storyline file sets, and a non-zero exit when the storyline did not complete. The full demo takes
/// three minutes; the last test runs it with a short `--deadline` on the executables built for the tests.
@Suite("Scripts/demo", .serialized)
struct DemoScriptTests {
    static let root = BuiltExecutable.repositoryRoot

    /// Runs `Scripts/demo` with `arguments` in English, waiting without blocking a concurrency-pool thread.
    static func demo(_ arguments: [String]) async throws -> ExecutableResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputFile = directory.appendingPathComponent("out")
        let errorFile = directory.appendingPathComponent("err")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let process = Process()
        process.executableURL = root.appendingPathComponent("Scripts/demo")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["LC_ALL": "C", "LANG": "C"]) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(200)) }
        return ExecutableResult(
            status: process.terminationStatus, output: try String(contentsOf: outputFile, encoding: .utf8),
            errors: try String(contentsOf: errorFile, encoding: .utf8))
    }

    @Test("demo --help says what it does, its options and exit statuses")
    func help() async throws {
        let result = try await Self.demo(["--help"])
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("Usage: Scripts/demo [--keep DIR] [--deadline SECONDS] [--bin DIR]\n"))
        #expect(result.output.contains("Exit status: 0 when the storyline completed"))
        #expect(result.errors.isEmpty)
    }

    @Test("demo --keep without a directory is refused with exit 64, before building anything")
    func keepWithoutDirectory() async throws {
        for arguments in [["--keep"], ["--keep", "--deadline", "10"]] {
            let result = try await Self.demo(arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.errors.hasPrefix("demo: --keep needs a directory, e.g. --keep /tmp/shelter-demo-logs\n"))
            #expect(!result.errors.contains("demo: building"))
        }
        let unknown = try await Self.demo(["--kep", "/tmp/x"])
        #expect(unknown.status == 64)
        #expect(unknown.errors.hasPrefix("demo: unknown argument '--kep'\n"))
    }

    /// `[section]` → key → value of the storyline's value script (a flat TOML file of tables of numbers).
    static func storylineTables() throws -> [String: [String: Double]] {
        let text = try String(
            contentsOf: root.appendingPathComponent("Firmware-Config/demo/storyline.values.toml"), encoding: .utf8)
        var tables: [String: [String: Double]] = [:]
        var section = ""
        for raw in text.split(separator: "\n") {
            let line =
                raw.split(separator: "#", maxSplits: 1).first.map(String.init)?
                .trimmingCharacters(in: .whitespaces) ?? ""
            if line.hasPrefix("[") {
                section = String(line.dropFirst().dropLast())
            } else if let eq = line.firstIndex(of: "=") {
                let key = line[..<eq].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
                if let number = Double(value) { tables[section, default: [:]][key] = number }
            }
        }
        return tables
    }

    @Test("the demo tells the storyline's steps at the times the storyline file sets")
    func storyTimes() throws {
        let script = try String(contentsOf: Self.root.appendingPathComponent("Scripts/demo"), encoding: .utf8)
        let told = script.split(separator: "\n").compactMap { line -> (Int, String)? in
            let trimmed = String(line).trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("\""), let bar = trimmed.firstIndex(of: "|"),
                let at = Int(trimmed[trimmed.index(after: trimmed.startIndex)..<bar])
            else { return nil }
            return (at, String(trimmed[trimmed.index(after: bar)...].prefix { $0 != "|" }))
        }
        let t = try Self.storylineTables()
        func step(_ device: String, _ point: String) -> Int? {
            t["devices.\(device).points.\(point)"]?["at_seconds"].map { Int($0) }
        }
        let counter = try #require(t["devices.counter-north.points.count_in"])
        let tank = try #require(t["devices.tank1-level.points.level"])
        let (from, rate, most) = (counter["from"] ?? 0, counter["per_second"] ?? 1, counter["max"] ?? 0)
        let expected: [(Int?, String)] = [
            (Int((-from / rate).rounded(.up)), "people start arriving"),
            (Int(((most - from) / rate).rounded(.up)), "arrivals stop: \(4 * Int(most)) persons inside"),
            (step("io", "mains_relay"), "MAINS FAILS"),
            (step("io", "generator_running"), "the generator starts"),
            (
                Int((((tank["from"] ?? 0) - (tank["max"] ?? 0)) / -(tank["per_second"] ?? -1)).rounded()),
                "the water tanks"
            ),
            (step("io", "generator_on_load"), "the generator takes the load"),
        ]
        #expect(step("mains-meter", "l1_voltage") == step("io", "mains_relay"))
        #expect(told.count == expected.count, "\(told)")
        for ((at, text), (want, prefix)) in zip(told, expected) {
            #expect(at == want, "\(text)")
            #expect(text.hasPrefix(prefix), "\(text)")
        }
    }

    @Test(
        "a demo whose storyline does not complete in time exits 1, saying what is missing, after telling the steps",
        .timeLimit(.minutes(2)))
    func incompleteStorylineFails() async throws {
        let bin = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
        guard FileManager.default.isExecutableFile(atPath: bin + "/shelter-registry") else {
            Issue.record("shelter-registry not built next to the tests (\(bin))")
            return
        }
        // The deadline counts from the start of the stack, the storyline from the simulator's start: 40 s leaves
        // the first progress line (15 s into the storyline) room for a start that took 12 s on a loaded CI
        // machine (at 25 s it did not show); the storyline needs three minutes, so it cannot complete.
        let result = try await Self.demo(["--bin", bin, "--deadline", "40"])
        #expect(result.status == 1, "\(result.output)\n\(result.errors)")
        #expect(result.output.contains("STORY  people start arriving at the four entrances"), "\(result.output)")
        #expect(result.output.contains("persons inside so far"), "\(result.output)")
        #expect(
            result.errors.contains(
                "demo: the storyline did not complete within 40 s: no C-12 critical, C-05 critical, C-01 at the registry"
            ),
            "\(result.errors)")
    }
}
