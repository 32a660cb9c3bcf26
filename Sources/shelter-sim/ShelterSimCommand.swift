import ArgumentParser
import ShelterCore

/// The `shelter-sim` command: simulated Modbus devices for tests, demos and hardware-in-the-loop runs.
@main
struct ShelterSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shelter-sim",
        abstract: "Simulated Modbus devices with scripted values and declared faults.",
        version: ShelterVersion.current,
        subcommands: [ServeCommand.self, ScenarioCommand.self]
    )
}
