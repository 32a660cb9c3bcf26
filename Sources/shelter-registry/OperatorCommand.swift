import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import ShelterCore

/// `shelter-registry operator add NAME --role viewer|duty|county --password-file FILE --database DB`: creates a
/// console operator in the database the registry serves, or replaces its role and password (issue 15 item 6).
struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shelter-registry operator", abstract: "Manage the console's operator accounts.",
        subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an operator, or replace its role and password (and clear a lockout).",
            discussion: """
                Roles: viewer reads every page; duty also acknowledges alerts; county also decides the lifecycle \
                (activate, mark full, close, drills; art. 22). The password is read from the first line of \
                --password-file (at least 8 characters) and kept only as a bcrypt hash.
                """)

        @Argument(help: "Sign-in name (letters, digits, '.', '_', '-').") var name: String
        @Option(help: "viewer, duty or county.") var role: String
        @Option(help: "File whose first line is the password.") var passwordFile: String
        @Option(help: "The registry's database: a SQLite file or postgres://USER[:PASSWORD]@HOST[:PORT]/DB.")
        var database: String

        func validate() throws {
            guard OperatorRole(rawValue: role) != nil else {
                throw ValidationError("--role must be viewer, duty or county, got '\(role)'")
            }
            guard RegistryAPI.isValidIdentifier(name) else {
                throw ValidationError("operator name '\(name)' must be letters, digits, '.', '_' or '-'")
            }
        }

        func run() async throws {
            let password: String
            do {
                let text = try String(contentsOfFile: passwordFile, encoding: .utf8)
                password = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
            } catch {
                throw ValidationError("cannot read --password-file \(passwordFile): \(error)")
            }
            guard password.count >= 8 else {
                throw ValidationError("the password in \(passwordFile) is shorter than 8 characters")
            }
            let account = OperatorAccount(
                name: name, role: OperatorRole(rawValue: role) ?? .viewer,
                passwordHash: try await ConsoleSecurity.hash(password))
            let logger = Logger(label: "shelter-registry")
            if let client = try PostgresRegistryStore.client(url: database, connections: 2, logger: logger) {
                let store = PostgresRegistryStore(client: client, logger: logger)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await client.run() }
                    try await store.migrate()
                    try await store.saveOperator(account)
                    group.cancelAll()
                }
            } else {
                try await SQLiteRegistryStore(path: database).saveOperator(account)
            }
            print("shelter-registry: operator \(name) (\(role)) saved in \(Self.redacted(database))")
        }

        /// The database URL without its password.
        static func redacted(_ database: String) -> String {
            guard var components = URLComponents(string: database), components.password != nil else { return database }
            components.password = "***"
            return components.string ?? database
        }
    }
}

/// The executable's entry: `shelter-registry operator …` manages accounts; anything else runs the registry.
@main
enum RegistryMain {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "operator" {
            await OperatorCommand.main(Array(arguments.dropFirst()))
        } else {
            await RegistryCommand.main(arguments)
        }
    }
}
