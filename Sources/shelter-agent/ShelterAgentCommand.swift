import ArgumentParser
import ShelterCore

/// The `shelter-agent` command: the site agent and its commissioning tools.
@main
struct ShelterAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shelter-agent",
        abstract: "Site agent for emergency shelters: polls Modbus devices, checks the registered record, reports.",
        version: ShelterVersion.current,
        subcommands: [
            RunCommand.self, StatusCommand.self, CheckConfigCommand.self, ShowPlanCommand.self, ShowRecordCommand.self,
            ReadCommand.self, ScanCommand.self,
            OutboxCommand.self,
        ]
    )
}
