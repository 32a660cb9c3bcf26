import ArgumentParser

struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-config", abstract: "(not yet built)")
    func run() async throws { throw ExitCode(70) }
}
