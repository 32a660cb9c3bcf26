import FoundationEssentials
import ShelterCore
import Testing
@testable import ShelterRuntime

/// `ConfigSchema` and the raw file structs must stay in step: every key the schema accepts must land in a
/// raw property (otherwise a documented key would be silently dropped).
@Suite struct ConfigSchemaTests {
    /// A value of the schema's shape with every key present.
    static func sample(_ schema: ConfigSchema) -> ConfigTree {
        switch schema {
        case .string: .string("x")
        case .integer: .integer(1)
        case .number: .number(1.5)
        case .boolean: .boolean(true)
        case .array(let element): .array([sample(element)])
        case .table(let keys):
            .object(Dictionary(uniqueKeysWithValues: keys.map { (SchemaWalker.camelCase($0.key), sample($0.value)) }))
        case .map(let element): .object(["C-01": sample(element)])
        }
    }

    static func roundTrip<T: Codable>(_ type: T.Type, schema: ConfigSchema) throws -> (Set<String>, Set<String>) {
        let tree = sample(schema)
        let data = try JSONEncoder().encode(tree)
        let decoded = try JSONDecoder().decode(T.self, from: data)
        let again = try JSONEncoder().encode(decoded)
        return (try paths(data), try paths(again))
    }

    static func paths(_ data: Data) throws -> Set<String> {
        // A tiny JSON object walker over the Codable tree, to avoid JSONSerialization (Foundation only).
        let node = try JSONDecoder().decode(JSONNode.self, from: data)
        return node.paths(prefix: "")
    }

    indirect enum JSONNode: Decodable {
        case object([String: JSONNode])
        case array([JSONNode])
        case scalar

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let object = try? container.decode([String: JSONNode].self) {
                self = .object(object)
            } else if let array = try? container.decode([JSONNode].self) {
                self = .array(array)
            } else {
                self = .scalar
            }
        }

        func paths(prefix: String) -> Set<String> {
            switch self {
            case .scalar: []
            case .array(let items): items.reduce(into: Set<String>()) { $0.formUnion($1.paths(prefix: prefix + "[]")) }
            case .object(let object):
                object.reduce(into: Set<String>()) { result, entry in
                    let path = prefix.isEmpty ? entry.key : "\(prefix).\(entry.key)"
                    result.insert(path)
                    result.formUnion(entry.value.paths(prefix: path))
                }
            }
        }
    }

    @Test func everySiteKeyReachesSiteFile() throws {
        let (written, kept) = try Self.roundTrip(SiteFile.self, schema: .site)
        #expect(written.count > 80)
        #expect(written.subtracting(kept).sorted() == [])
    }

    @Test func everyProfileKeyReachesProfileFile() throws {
        let (written, kept) = try Self.roundTrip(ProfileFile.self, schema: .profile)
        #expect(written.subtracting(kept).sorted() == [])
    }
}
