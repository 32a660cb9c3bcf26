import Foundation
import ShelterCore

/// Who may talk to the registry: which gateway serves which shelter, which certificate names are operators,
/// and the shelters the registry starts with. Built from the command line and an optional JSON file.
///
/// JSON file (`--config`):
/// ```json
/// { "shelters": [ { "record": { …ShelterRecord… }, "lifecycle": "standby", "isDrill": false,
///                   "gateways": ["gw-reference-01"] } ],
///   "operators": ["operator"] }
/// ```
struct RegistryDirectory: Sendable {
    /// Gateway id (client certificate CN) → shelter id.
    var gateways: [String: String] = [:]
    /// Client certificate CNs allowed on admin paths.
    var operators: Set<String> = []
    /// Shelters to create at start when the database does not hold them yet.
    var shelters: [ShelterSeed] = []

    struct ShelterSeed: Sendable, Codable {
        var record: ShelterRecord
        var lifecycle: LifecycleState?
        var isDrill: Bool?
        var gateways: [String]?
    }

    struct File: Codable {
        var shelters: [ShelterSeed]?
        var operators: [String]?
    }

    /// Reads a `--config` file and merges it in.
    mutating func load(configPath: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: configPath))
        let file = try RegistryJSON.makeDecoder().decode(File.self, from: data)
        for seed in file.shelters ?? [] {
            try add(seed)
        }
        operators.formUnion(file.operators ?? [])
    }

    /// Adds a shelter and maps its gateways to it.
    mutating func add(_ seed: ShelterSeed) throws {
        guard RegistryAPI.isValidIdentifier(seed.record.id) else {
            throw RegistryStartError("shelter id '\(seed.record.id)' is not a valid id")
        }
        shelters.append(seed)
        for gateway in seed.gateways ?? [] { try map(gateway: gateway, to: seed.record.id) }
    }

    /// Maps a gateway to a shelter (`--gateway gw-reference-01=SMX-HB-0007`).
    mutating func map(gateway: String, to shelterId: String) throws {
        guard RegistryAPI.isValidIdentifier(gateway), RegistryAPI.isValidIdentifier(shelterId) else {
            throw RegistryStartError("gateway mapping '\(gateway)=\(shelterId)' has an invalid id")
        }
        gateways[gateway] = shelterId
    }

    /// A minimal record for a shelter named only on the command line (`--shelter ID`), for demos and tests.
    static func placeholderRecord(id: String) -> ShelterRecord {
        ShelterRecord(
            id: id, name: "Shelter \(id)", location: .init(address: "unregistered address"), effectiveArea: 3000,
            capacity: 2000, recordVersion: 1)
    }
}

/// A start-up problem (bad flag value, unreadable file), printed and turned into exit code 64/66.
struct RegistryStartError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
