import ArgumentParser
import FoundationEssentials
import ShelterCore
import ShelterRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// `shelter-agent status`: what the running agent last wrote to its state directory.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Show device links, last readings, checks, active alerts, lifecycle, outbox and registry reachability.",
        discussion: """
            Reads status.json in the state directory (under systemd a link to the copy kept in RAM, in \
            /run/shelter-agent, to spare the flash). Every 30 s a running `shelter-agent run` writes it if the \
            figures changed (values, links, checks, alerts, outbox, registry; not their times) and otherwise only \
            touches it (its modification time is the agent's sign of life), and it writes it once more when it \
            stops; `status` prints when the figures were captured, counts every age from then, and says AGENT NOT \
            RUNNING when the agent's process is gone or the file has been neither written nor touched for twice \
            that interval. Exits 1 when there is no status file (the agent has not run with that state directory).
            """)

    @Option(name: .customLong("state-dir"), help: "The agent's state directory.")
    var stateDirectory: String = "/var/lib/shelter-agent"

    @Flag(help: "Print the status file as JSON.")
    var json = false

    @OptionGroup var language: LanguageOptions

    func run() async throws {
        let path = stateDirectory + "/status.json"
        let data: Data
        do {
            data = try Data(contentsOf: URL(filePath: path))
        } catch {
            if let target = FileStateDirectory(path: stateDirectory).danglingLinkTarget(.status) {
                throw CLIError(
                    "no status at \(path): it links to \(target), which is gone (the runtime directory is emptied "
                        + "when the machine starts); the agent writes it again once it runs")
            }
            // The agent has no --state-dir: it writes where its site file's gateway.state_directory says.
            throw CLIError(
                "no status at \(path): the agent writes status.json in its site file's gateway.state_directory "
                    + "once it runs; give that directory with --state-dir DIR")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let status: AgentStatus
        do {
            status = try decoder.decode(AgentStatus.self, from: data)
        } catch {
            throw CLIError("\(path) is not a status file this version understands: \(error)")
        }
        if json {
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(
                status.text(
                    now: Date(), isProcessAlive: Self.isAlive(status.pid),
                    touchedAt: FileStateDirectory(path: stateDirectory).modifiedAt(.status),
                    language: language.resolved(environment: ProcessInfo.processInfo.environment)))
        }
    }
}

extension StatusCommand {
    /// Whether process `pid` exists: `kill(pid, 0)` succeeds, or fails with EPERM (it exists, owned by
    /// another user). `nil` for a pid that cannot be a process.
    static func isAlive(_ pid: Int32) -> Bool? {
        guard pid > 0 else { return nil }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}

/// A command-line failure with a message for the user; exits 1 (the CLI maps errors to exit codes here and in
/// ArgumentParser's `ValidationError`, exit 64).
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
