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

/// One schema's keys, stored flat so the scanner walks it without reference counting: node 0 is the schema's,
/// an object node lists its members (a name and the member's node), an array node names its items' node.
/// Immutable once built.
struct KeyTree: Sendable {
    /// One schema in the tree.
    struct Node: Sendable {
        /// The range in `members` of an object schema with `additionalProperties: false`; `nil` for any other
        /// schema (every key found in such an object counts as undefined).
        var members: Range<Int>?
        /// The node of an array schema's items.
        var items: Int?
    }

    /// One defined key.
    struct Member: Sendable {
        /// The key's UTF-8 bytes, a range of `names`.
        var name: Range<Int>
        /// The member's node.
        var node: Int
    }

    private(set) var nodes: [Node] = []
    private(set) var members: [Member] = []
    private(set) var names: [UInt8] = []

    /// The tree of a JSON Schema object (`$ref`, `allOf`, `properties`, `items`), refs read from `schemas`.
    init(schema: [String: Any], schemas: [String: Any]) {
        _ = add(schema, schemas: schemas, depth: 0)
    }

    /// Appends the node of `schema` (and those under it) and returns its index.
    private mutating func add(_ schema: [String: Any], schemas: [String: Any], depth: Int) -> Int {
        let index = nodes.count
        nodes.append(Node(members: nil, items: nil))
        guard depth < 32 else { return index }
        var schema = schema
        if let ref = schema["$ref"] as? String,
            let target = schemas[String(ref.split(separator: "/").last ?? "")] as? [String: Any]
        {
            schema = target
        }
        if let parts = schema["allOf"] as? [[String: Any]],
            let part = parts.first(where: { $0["$ref"] != nil || $0["properties"] != nil || $0["items"] != nil })
        {
            let node = add(part, schemas: schemas, depth: depth + 1)
            nodes[index] = nodes[node]
            return index
        }
        if let properties = schema["properties"] as? [String: Any], schema["additionalProperties"] as? Bool == false {
            let children = properties.sorted { $0.key < $1.key }.map { name, value in
                (name, add(value as? [String: Any] ?? [:], schemas: schemas, depth: depth + 1))
            }
            let first = members.count
            for (name, node) in children {
                members.append(Member(name: names.count..<(names.count + name.utf8.count), node: node))
                names += name.utf8
            }
            nodes[index].members = first..<members.count
        }
        if let items = schema["items"] as? [String: Any] {
            let node = add(items, schemas: schemas, depth: depth + 1)
            nodes[index].items = node
        }
        return index
    }
}

extension KeyTree {
    /// The node of the member named by the UTF-8 bytes `name` among `range` of `members`; `nil` when none is.
    func member(named name: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> Int? {
        members.withUnsafeBufferPointer { members in
            names.withUnsafeBufferPointer { names in Self.member(named: name, in: range, members: members, names: names)
            }
        }
    }

    /// The same lookup over the tree's storage, for a walker that holds it as buffers (`JSONArrayScanner`).
    static func member(
        named name: UnsafeBufferPointer<UInt8>, in range: Range<Int>, members: UnsafeBufferPointer<Member>,
        names: UnsafeBufferPointer<UInt8>
    ) -> Int? {
        for member in members[range] where member.name.count == name.count {
            if name.isEmpty || memcmp(names.baseAddress! + member.name.lowerBound, name.baseAddress!, name.count) == 0 {
                return member.node
            }
        }
        return nil
    }

    /// A tree of one node that defines nothing (the scanner's placeholder when keys are not checked).
    static let none = KeyTree(schema: [:], schemas: [:])
}
