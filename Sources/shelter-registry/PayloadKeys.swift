import Foundation

/// The object keys the OpenAPI document defines for a status report and an alert event, nested as the
/// payloads nest. `JSONArrayScanner` checks each stored element against them: `JSONDecoder` ignores a key the
/// payload type does not define, so an element holding one is stored in its canonical encoding (without the
/// key, as the registry always stored it) rather than as sent; a reader of the admin API never sees a key the
/// document's `additionalProperties: false` rules out.
struct PayloadKeys: Sendable {
    /// `components.schemas.StatusReport`.
    let statusReport: KeyTree
    /// `components.schemas.AlertEvent`.
    let alertEvent: KeyTree

    /// Reads the schemas from the OpenAPI document's bytes.
    ///
    /// - Throws: `RegistryStartError` when the document is not JSON or lacks either schema.
    init(openAPIDocument: [UInt8]) throws {
        guard let document = try JSONSerialization.jsonObject(with: Data(openAPIDocument)) as? [String: Any],
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any],
            let report = schemas["StatusReport"] as? [String: Any], let alert = schemas["AlertEvent"] as? [String: Any]
        else { throw RegistryStartError("openapi.json has no StatusReport and AlertEvent schemas") }
        statusReport = KeyTree(schema: report, schemas: schemas)
        alertEvent = KeyTree(schema: alert, schemas: schemas)
    }
}

/// One schema's keys: an object's members with their own trees, or an array's items. Immutable.
final class KeyTree: Sendable {
    /// The members of an object schema with `additionalProperties: false`; `nil` for any other schema (every
    /// key found in such an object counts as undefined).
    let members: [Member]?
    /// The items of an array schema.
    let items: KeyTree?

    /// One defined key.
    struct Member: Sendable {
        let name: String
        let utf8: [UInt8]
        let tree: KeyTree
    }

    init(members: [Member]?, items: KeyTree?) {
        self.members = members
        self.items = items
    }

    /// The tree of a JSON Schema object (`$ref`, `allOf`, `properties`, `items`), refs read from `schemas`.
    convenience init(schema: [String: Any], schemas: [String: Any], depth: Int = 0) {
        var schema = schema
        if depth < 32, let ref = schema["$ref"] as? String,
            let target = schemas[String(ref.split(separator: "/").last ?? "")] as? [String: Any]
        {
            schema = target
        }
        if depth < 32, let parts = schema["allOf"] as? [[String: Any]] {
            let trees = parts.map { KeyTree(schema: $0, schemas: schemas, depth: depth + 1) }
            if let tree = trees.first(where: { $0.members != nil || $0.items != nil }) {
                self.init(members: tree.members, items: tree.items)
                return
            }
        }
        var members: [Member]? = nil
        if let properties = schema["properties"] as? [String: Any], schema["additionalProperties"] as? Bool == false,
            depth < 32
        {
            members = properties.sorted { $0.key < $1.key }.map { name, value in
                Member(
                    name: name, utf8: Array(name.utf8),
                    tree: KeyTree(schema: value as? [String: Any] ?? [:], schemas: schemas, depth: depth + 1))
            }
        }
        let items = (schema["items"] as? [String: Any]).flatMap {
            depth < 32 ? KeyTree(schema: $0, schemas: schemas, depth: depth + 1) : nil
        }
        self.init(members: members, items: items)
    }
}
