import Foundation
import ShelterCore

/// Who may talk to the registry: which gateway serves which shelter, which certificate names are operators,
/// and the shelters the registry starts with. Built from the command line and an optional JSON file.
///
/// JSON file (`--config`):
/// ```json
/// { "shelters": [ { "record": { …ShelterRecord… }, "lifecycle": "standby", "isDrill": false,
///                   "gateways": ["gw-reference-01"], "grade": "II", "divisionCode": "411202" },
///                 { "id": "SMX-HB-0100", "gateways": ["gw-0100"] } ],
///   "operators": ["operator"] }
/// ```
/// A shelter given without a record (second entry, or `--shelter ID`) has no filed record: the registry
/// answers 404 for it until an operator files one (`PUT /v1/admin/shelters/{id}/record`).
struct RegistryDirectory: Sendable {
    /// Gateway id (client certificate CN) → shelter id.
    var gateways: [String: String] = [:]
    /// Client certificate CNs allowed on admin paths.
    var operators: Set<String> = []
    /// Shelters to create at start when the database does not hold them yet.
    var shelters: [ShelterSeed] = []

    struct ShelterSeed: Sendable, Decodable {
        /// Shelter id; defaults to the record's.
        var id: String
        /// The filed record, or `nil` when none is filed yet.
        var record: ShelterRecord?
        var lifecycle: LifecycleState?
        var isDrill: Bool?
        var gateways: [String]?
        /// Grade of the shelter (GB 21734: I, II, III); for the bureau's console.
        var grade: String?
        /// Administrative division code of its district (GB/T 2260, six digits), the CAP `geocode`.
        var divisionCode: String?

        init(id: String, record: ShelterRecord? = nil) {
            self.id = id
            self.record = record
        }

        private enum CodingKeys: String, CodingKey {
            case id, record, lifecycle, isDrill, gateways, grade, divisionCode
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            record = try c.decodeIfPresent(ShelterRecord.self, forKey: .record)
            guard let id = try c.decodeIfPresent(String.self, forKey: .id) ?? record?.id else {
                throw DecodingError.keyNotFound(
                    CodingKeys.id, .init(codingPath: c.codingPath, debugDescription: "give id or record"))
            }
            self.id = id
            lifecycle = try c.decodeIfPresent(LifecycleState.self, forKey: .lifecycle)
            isDrill = try c.decodeIfPresent(Bool.self, forKey: .isDrill)
            gateways = try c.decodeIfPresent([String].self, forKey: .gateways)
            grade = try c.decodeIfPresent(String.self, forKey: .grade)
            divisionCode = try c.decodeIfPresent(String.self, forKey: .divisionCode)
            if let record, record.id != id {
                throw DecodingError.dataCorruptedError(
                    forKey: .id, in: c, debugDescription: "id \(id) differs from the record's id \(record.id)")
            }
            if let divisionCode,
                !(divisionCode.count == 6 && divisionCode.allSatisfy(\.isASCII) && divisionCode.allSatisfy(\.isNumber))
            {
                throw DecodingError.dataCorruptedError(
                    forKey: .divisionCode, in: c,
                    debugDescription: "a GB/T 2260 code is six digits, got \(divisionCode)")
            }
        }
    }

    struct File: Decodable {
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
        guard RegistryAPI.isValidIdentifier(seed.id) else {
            throw RegistryStartError("shelter id '\(seed.id)' is not a valid id")
        }
        shelters.append(seed)
        for gateway in seed.gateways ?? [] { try map(gateway: gateway, to: seed.id) }
    }

    /// Maps a gateway to a shelter (`--gateway gw-reference-01=SMX-HB-0007`).
    mutating func map(gateway: String, to shelterId: String) throws {
        guard RegistryAPI.isValidIdentifier(gateway), RegistryAPI.isValidIdentifier(shelterId) else {
            throw RegistryStartError("gateway mapping '\(gateway)=\(shelterId)' has an invalid id")
        }
        gateways[gateway] = shelterId
    }
}

/// A start-up problem (bad flag value, unreadable file), printed and turned into exit code 64/66.
struct RegistryStartError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
