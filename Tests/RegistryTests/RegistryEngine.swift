import Foundation
import HTTPTestSupport
import ShelterTesting
import Testing

/// The registry's two store engines, as test arguments: the registry suite runs on each.
///
/// PostgreSQL is the server `SHELTER_TEST_POSTGRES_URL` names (`Scripts/test` starts one with
/// `Scripts/postgres`); every fixture gets a new database on it. Without the variable the PostgreSQL runs are
/// left out locally, but under CI (`CI=true`) they run and fail, so CI can never pass without them.
enum RegistryEngine: String, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static let serverURL = ProcessInfo.processInfo.environment["SHELTER_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// The engines this run covers.
    static var available: [RegistryEngine] {
        serverURL != nil || ProcessInfo.processInfo.environment["CI"] == "true" ? [.sqlite, .postgres] : [.sqlite]
    }

    /// A new, empty database: a SQLite file, or a new database on the PostgreSQL server.
    func makeDatabase() async throws -> String {
        switch self {
        case .sqlite:
            return try makeTemporaryDirectory(prefix: "registry-db") + "/registry.sqlite"
        case .postgres:
            guard let server = Self.serverURL else {
                throw TestFailure(
                    "SHELTER_TEST_POSTGRES_URL is not set: start a server with Scripts/postgres start (Scripts/test does)"
                )
            }
            let name = "registry_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let psql = try ChildProcess(
                executable: "/usr/bin/env",
                arguments: ["psql", server, "-v", "ON_ERROR_STOP=1", "-qc", "CREATE DATABASE \(name)"])
            let status = await psql.waitForExit()
            guard status == 0 else {
                throw TestFailure("psql CREATE DATABASE failed (\(status)): \(psql.output.joined(separator: "\n"))")
            }
            guard let slash = server.lastIndex(of: "/") else { throw TestFailure("bad server URL \(server)") }
            return server[..<slash] + "/" + name
        }
    }
}
