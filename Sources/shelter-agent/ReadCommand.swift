import ArgumentParser

struct ReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "read", abstract: "(not yet built)")
    func run() async throws { throw ExitCode(70) }
}
