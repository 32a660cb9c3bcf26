import ArgumentParser

/// The `shelter-agent` command: the site agent and its commissioning tools.
@main
struct ShelterAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shelter-agent",
        abstract: "Site agent for emergency shelters: polls Modbus devices, checks the registered record, reports.",
        subcommands: [
            ReadCommand.self, ScanCommand.self, CheckConfigCommand.self, ShowPlanCommand.self, StatusCommand.self,
        ]
    )
}
