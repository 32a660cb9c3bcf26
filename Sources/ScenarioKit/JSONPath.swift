/// A path into a JSON document, as a scenario's report expectation writes it.
///
/// Syntax: members joined by dots, each optionally followed by selectors in brackets:
/// - `capacity.occupied`: member `occupied` of member `capacity`;
/// - `devices[0].link`: element 0 (0-based) of the array `devices`;
/// - `checks[checkId=C-05,subject=if_full].status`: the first element of `checks` whose members equal the
///   given texts (a member compares equal when its string, or its number or boolean written as text, is the
///   same; a missing member equals the empty text).
///
/// Parsing is pure and total: a malformed path is a `ScenarioIssue`, never a crash.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of the path.
    public enum Component: Sendable, Hashable {
        /// An object member.
        case member(String)
        /// An array element, 0-based.
        case index(Int)
        /// The first array element whose members equal these texts.
        case match([Condition])
    }

    /// One `key=value` condition of a `[…]` selector.
    public struct Condition: Sendable, Hashable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// The steps, outermost first.
    public var components: [Component]
    /// The path as written.
    public var description: String

    /// Parses `text`.
    /// - Returns: the path, or `nil` when `text` is empty or malformed (an empty member, an unclosed bracket,
    ///   a selector that is neither a non-negative integer nor `key=value` pairs).
    public init?(_ text: String) {
        description = text
        components = []
        var rest = Substring(text)
        var expectMember = true
        while !rest.isEmpty || expectMember {
            if expectMember {
                let name = rest.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty, !name.contains("]") else { return nil }
                components.append(.member(String(name)))
                rest = rest.dropFirst(name.count)
                expectMember = false
            } else if rest.first == "." {
                rest = rest.dropFirst()
                expectMember = true
            } else if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                guard let selector = Self.selector(inside) else { return nil }
                components.append(selector)
                rest = rest[rest.index(after: close)...]
            } else {
                return nil
            }
        }
    }

    private static func selector(_ text: Substring) -> Component? {
        if let index = Int(text), index >= 0 { return .index(index) }
        var pairs: [Condition] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let eq = part.firstIndex(of: "=") else { return nil }
            let key = part[..<eq].trimmingSpaces
            guard !key.isEmpty else { return nil }
            pairs.append(Condition(key: key, value: String(part[part.index(after: eq)...].trimmingSpaces)))
        }
        return pairs.isEmpty ? nil : .match(pairs)
    }

    /// The value at this path in `document`, or `nil` where a step finds nothing.
    public func resolve(in document: JSONValue) -> JSONValue? {
        var current = document
        for component in components {
            switch component {
            case .member(let name):
                guard let next = current[name] else { return nil }
                current = next
            case .index(let i):
                guard let elements = current.arrayValue, i < elements.count else { return nil }
                current = elements[i]
            case .match(let pairs):
                guard let elements = current.arrayValue,
                    let hit = elements.first(where: { element in
                        pairs.allSatisfy { Self.text(of: element[$0.key]) == $0.value }
                    })
                else { return nil }
                current = hit
            }
        }
        return current
    }

    private static func text(of value: JSONValue?) -> String {
        switch value {
        case .none, .null: ""
        case .string(let s): s
        case .number(let n): JSONValue.format(n)
        case .bool(let b): b ? "true" : "false"
        case .array, .object: value?.description ?? ""
        }
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
