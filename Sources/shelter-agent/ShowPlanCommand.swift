import ArgumentParser

struct ShowPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show-plan", abstract: "(not yet built)")
    func run() async throws { throw ExitCode(70) }
}
