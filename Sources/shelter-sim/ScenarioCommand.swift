import ArgumentParser
import Dispatch
import ScenarioKit
import ShelterCore

#if canImport(Glibc)
    import Glibc
#endif

/// `shelter-sim scenario`: hardware-in-the-loop scenarios (files under `Firmware-Config/scenarios/`).
struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Run or check hardware-in-the-loop scenarios.",
        subcommands: [ScenarioRunCommand.self, ScenarioCheckCommand.self]
    )
}

/// `shelter-sim scenario run FILE [--junit OUT.xml] [--bus NAME=/dev/ttyUSB0]…`
struct ScenarioRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario against the reference registry, the simulator and the agent.",
        discussion: """
            Starts shelter-registry, shelter-sim serve and shelter-agent run (the binaries next to this one) with \
            a fresh development PKI and a temp state directory, plays the scenario's timeline, checks its \
            expectations against what the registry received, prints PASS/FAIL per expectation, stops every \
            process it started, and exits 0 only if every expectation passed.

            With --bus NAME=DEVICE, bus NAME is a real serial port with real devices: the agent polls DEVICE \
            and the simulator serves only the other buses (steps must not act on devices of a real bus).

            Exit status: 0 passed, 1 an expectation failed or a process failed, 65 the scenario file is \
            invalid, 130 interrupted.
            """
    )

    @Argument(help: "The scenario file (TOML).")
    var file: String

    @Option(name: .long, help: "Write a JUnit XML report to this file.")
    var junit: String?

    @Option(name: .long, help: "NAME=DEVICE: bus NAME is real hardware on serial DEVICE (repeatable).")
    var bus: [String] = []

    @Option(name: .long, help: "Directory of shelter-registry and shelter-agent (default: next to this binary).")
    var binaries: String?

    @Option(name: .long, help: "The development PKI script (default: Scripts/pki of the repository).")
    var pkiScript: String?

    @Flag(name: .long, help: "Keep the run's temp directory (logs, patched site files, agent state).")
    var keep = false

    func run() throws {
        var realBuses: [String: String] = [:]
        for entry in bus {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].hasPrefix("/") else {
                throw ValidationError("--bus must be NAME=/dev/DEVICE, got \(entry)")
            }
            realBuses[parts[0]] = parts[1]
        }
        guard let binaryDirectory = binaries ?? ScenarioRunOptions.executableDirectory else {
            throw ValidationError("cannot tell where the binaries are: give --binaries DIR")
        }
        // A missing script is reported by the run (as a setup error in the JUnit report too).
        let pki = pkiScript ?? ScenarioRunOptions.locatePKIScript(near: binaryDirectory) ?? ""
        let scenario: Scenario
        do {
            scenario = try Scenario.load(path: file)
        } catch {
            print(error)
            throw ExitCode((error.code == .unreadable ? ExitStatus.noInput : .dataError).rawValue)
        }
        let options = ScenarioRunOptions(
            binaryDirectory: binaryDirectory, pkiScript: pki, realBuses: realBuses, keepsWorkDirectory: keep,
            progress: { line in
                print("  \(line)")
                fflush(nil)  // progress must show as it happens, also through a pipe (CI logs)
            })
        let result = Self.wait { await ScenarioRunner.run(scenario, options: options) }
        print(result.summaryText())
        if let junit {
            do {
                try JUnitReport(suites: [result.junitSuite()]).write(to: junit)
                print("JUnit report: \(junit)")
            } catch {
                print(error)
            }
        }
        if result.setupError?.code == .interrupted { throw ExitCode(ExitStatus.interrupted.rawValue) }
        if result.setupError?.code == .invalid { throw ExitCode(ExitStatus.dataError.rawValue) }
        if !result.isPassed { throw ExitCode(ExitStatus.failure.rawValue) }
    }

    /// Runs async work to completion from this synchronous command (the root command is synchronous).
    private static func wait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        Task {
            box.value = await body()
            done.signal()
        }
        done.wait()
        guard let value = box.value else { preconditionFailure("task finished without a value") }
        return value
    }
}

/// Carries a value out of a task; written once before the semaphore is signalled, read after.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

/// `shelter-sim scenario check FILE…`: validates scenario files without running them.
struct ScenarioCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate scenario files: every problem with its key path. Exit 65 if any.")

    @Argument(help: "Scenario files (TOML).")
    var files: [String]

    func run() throws {
        var bad = 0
        for file in files {
            do {
                let scenario = try Scenario.load(path: file)
                print(
                    "\(file): ok (\(scenario.steps.count) steps, \(scenario.expectations.count) expectations, "
                        + "\(scenario.duration.secondsText) s)")
            } catch {
                bad += 1
                print(error)
            }
        }
        if bad > 0 { throw ExitCode(ExitStatus.dataError.rawValue) }
    }
}
