import ArgumentParser
import FoundationEssentials
import Logging
import ShelterCore
import ShelterRuntime

/// `shelter-agent outbox list|show|retry`: the dead letters in the agent's outbox file (issue 11 item 2,
/// issue 12 item 3), and whether the outbox is held by a configuration fault.
///
/// Opens `<state-dir>/outbox.sqlite` as a second connection: SQLite's WAL lets it read and write while the
/// agent runs, and the agent's forwarder picks a retried item up within 30 s.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "List, show and re-send the dead letters of the agent's outbox.",
        discussion: """
            A dead letter is an alert event or status report the registry refused as wrong (HTTP 400, 413 or \
            422): it is kept, not sent again, until you re-send it with `outbox retry`. A refusal a person can \
            fix (a redirect, 401, 403, 404, a certificate naming another gateway) never makes dead letters: it \
            holds the whole outbox, which `list` and `status` show. Works while the agent runs. Exits 1 when \
            there is no outbox file or no such dead letter.
            """,
        subcommands: [OutboxListCommand.self, OutboxShowCommand.self, OutboxRetryCommand.self],
        defaultSubcommand: OutboxListCommand.self)
}

/// The `--state-dir` option every `outbox` subcommand takes.
struct OutboxLocation: ParsableArguments {
    @Option(name: .customLong("state-dir"), help: "The agent's state directory (gateway.state_directory).")
    var stateDirectory: String = "/var/lib/shelter-agent"

    var path: String { stateDirectory + "/outbox.sqlite" }

    /// Opens the outbox file; never creates one.
    func open() async throws -> SQLiteOutboxStore {
        do {
            return try await SQLiteOutboxStore.open(
                path: path, logger: Logger(label: "shelter-agent.outbox"), createsFile: false)
        } catch {
            throw CLIError(
                "cannot open the outbox \(path): \(error.message); is --state-dir the agent's state directory?")
        }
    }
}

/// `shelter-agent outbox list`.
struct OutboxListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show the queue, the hold if any, and one line per dead letter.")

    @OptionGroup var location: OutboxLocation

    func run() async throws {
        let store = try await location.open()
        let statistics = try await store.statistics()
        let letters = try await store.deadLetters()
        await store.close()
        print(OutboxText.list(statistics: statistics, letters: letters, path: location.path, now: Date()))
    }
}

/// `shelter-agent outbox show ID`.
struct OutboxShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one dead letter: why the registry refused it, and its payload.")

    @Argument(help: "The dead letter's id (its eventId or reportId, as `outbox list` shows it).")
    var id: String

    @OptionGroup var location: OutboxLocation

    func run() async throws {
        let store = try await location.open()
        let letter = try await store.deadLetter(id: id)
        await store.close()
        guard let letter else {
            throw CLIError("no dead letter \(id) in \(location.path) (see `shelter-agent outbox list`)")
        }
        print(OutboxText.show(letter))
    }
}

/// `shelter-agent outbox retry ID|--all`.
struct OutboxRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Put dead letters back in the queue, to be sent again.",
        discussion: """
            The item goes to the end of its queue with its attempts reset; a running agent sends it within \
            30 s. Re-send after the cause is fixed (the registry's error names it), or it comes back as a dead \
            letter.
            """)

    @Argument(help: "The dead letter's id.")
    var id: String?

    @Flag(help: "Re-send every dead letter.")
    var all = false

    @OptionGroup var location: OutboxLocation

    func validate() throws {
        if all == (id != nil) { throw ValidationError("give a dead letter's id or --all, not both or neither") }
    }

    func run() async throws {
        let store = try await location.open()
        let ids = try await store.retryDeadLetters(id: all ? nil : id)
        await store.close()
        if ids.isEmpty {
            if all {
                print("no dead letters in \(location.path)")
                return
            }
            throw CLIError("no dead letter \(id ?? "") in \(location.path) (see `shelter-agent outbox list`)")
        }
        print(
            "queued again: \(ids.joined(separator: ", ")); a running agent sends \(ids.count == 1 ? "it" : "them") within 30 s"
        )
    }
}

/// Text of the `outbox` subcommands, apart from the I/O so tests can read it.
enum OutboxText {
    static func list(
        statistics: OutboxStatistics, letters: [SQLiteOutboxStore.DeadLetter], path: String, now: Date
    ) -> String {
        var lines = [
            "outbox \(path): \(statistics.depth) waiting (\(statistics.alertCount) alerts, "
                + "\(statistics.statusCount) status reports), \(letters.count) dead letter\(letters.count == 1 ? "" : "s")"
        ]
        if let hold = statistics.hold {
            lines.append("HELD since \(stamp(hold.since)), nothing is sent until this is fixed: \(hold.message)")
        }
        if statistics.expiredDeadLetterCount > 0 {
            lines.append("\(statistics.expiredDeadLetterCount) dead letters removed past their age or the size bound")
        }
        for letter in letters {
            lines.append(
                "\(letter.id)  \(letter.kind.rawValue)  HTTP \(letter.statusCode.map(String.init) ?? "-")  "
                    + "dead since \(stamp(letter.deadAt))  \(letter.reason)")
        }
        if !letters.isEmpty {
            lines.append("show one: shelter-agent outbox show ID · re-send: shelter-agent outbox retry ID|--all")
        }
        return lines.joined(separator: "\n")
    }

    static func show(_ letter: SQLiteOutboxStore.DeadLetter) -> String {
        [
            "id         \(letter.id)",
            "kind       \(letter.kind.rawValue)",
            "queued     \(stamp(letter.createdAt))",
            "dead since \(stamp(letter.deadAt)) after \(letter.attempts) failed attempt\(letter.attempts == 1 ? "" : "s")",
            "reason     \(letter.reason)",
            "payload    \(letter.byteCount) bytes",
            String(decoding: letter.payload, as: UTF8.self),
        ].joined(separator: "\n")
    }

    /// `2026-12-04T16:00:00Z`: the time as the registry protocol writes it.
    static func stamp(_ date: Date) -> String {
        let encoded = (try? RegistryJSON.makeEncoder().encode([date])).map { String(decoding: $0, as: UTF8.self) }
        return encoded.map { String($0.dropFirst(2).dropLast(2)) } ?? "\(date)"
    }
}
