internal import ShelterCore
internal import TOMLKit

/// A JSON-shaped copy of the parts of a TOML document that match the schema, ready for `JSONDecoder`.
enum ConfigTree: Encodable {
    case string(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case array([ConfigTree])
    case object([String: ConfigTree])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .boolean(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

/// Walks a parsed TOML table against a `ConfigSchema`: reports unknown keys and values of the wrong kind,
/// drops them, and renames known snake_case keys to the raw structs' camelCase. Internal.
struct SchemaWalker {
    let file: String
    var issues: [ConfigurationIssue] = []

    mutating func convert(_ value: any TOMLValueConvertible, schema: ConfigSchema, path: String) -> ConfigTree? {
        switch schema {
        case .string:
            if let text = value.string { return .string(text) }
        case .integer:
            if let number = value.int { return .integer(number) }
        case .number:
            if let number = value.int { return .number(Double(number)) }
            if let number = value.double {
                if number.isFinite { return .number(number) }
                // JSON has no nan or inf: report here, with the key path, and keep walking the file.
                issues.append(
                    ConfigurationIssue(
                        file: file, keyPath: path, value: Self.render(value), message: "not a finite number",
                        fix: "write a finite number (TOML's nan and inf are not allowed in configuration)"))
                return nil
            }
        case .boolean:
            if let flag = value.bool { return .boolean(flag) }
        case .array(let element):
            if let array = value.array {
                var items: [ConfigTree] = []
                for (index, item) in array.enumerated() {
                    // A wrong element drops the whole array: its indices must stay those of the file.
                    guard let converted = convert(item, schema: element, path: "\(path)[\(index)]") else { return nil }
                    items.append(converted)
                }
                return .array(items)
            }
        case .table(let keys):
            if let table = value.table {
                var object: [String: ConfigTree] = [:]
                for key in table.keys.sorted() {
                    guard let child = table[key] else { continue }
                    let childPath = path.isEmpty ? key : "\(path).\(key)"
                    guard let childSchema = keys[key] else {
                        unknownKey(key, path: childPath, known: keys.keys.sorted())
                        continue
                    }
                    if let converted = convert(child, schema: childSchema, path: childPath) {
                        object[Self.camelCase(key)] = converted
                    }
                }
                return .object(object)
            }
        case .map(let element):
            if let table = value.table {
                var object: [String: ConfigTree] = [:]
                for key in table.keys.sorted() {
                    guard let child = table[key] else { continue }
                    let childPath = path.isEmpty ? key : "\(path).\(Self.quotedKey(key))"
                    if let converted = convert(child, schema: element, path: childPath) { object[key] = converted }
                }
                return .object(object)
            }
        }
        issues.append(
            ConfigurationIssue(
                file: file, keyPath: path, value: Self.render(value),
                message: "expected \(schema.expectation), found \(Self.kindName(value))",
                fix: "write \(schema.expectation) (see Firmware-Config/README.md)"))
        return nil
    }

    private mutating func unknownKey(_ key: String, path: String, known: [String]) {
        let suggestion = known.min { Self.distance(key, $0) < Self.distance(key, $1) }
        let fix: String
        if let suggestion, Self.distance(key, suggestion) <= max(2, key.count / 3) {
            fix = "did you mean `\(suggestion)`?"
        } else {
            fix = "remove it; known keys here: \(known.joined(separator: ", "))"
        }
        issues.append(ConfigurationIssue(file: file, keyPath: path, message: "unknown key", fix: fix))
    }

    static func camelCase(_ key: String) -> String {
        var result = ""
        var upperNext = false
        for character in key {
            if character == "_" {
                upperNext = !result.isEmpty
            } else {
                result += upperNext ? character.uppercased() : String(character)
                upperNext = false
            }
        }
        return result
    }

    static func quotedKey(_ key: String) -> String {
        key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? key : "\"\(key)\""
    }

    static func kindName(_ value: any TOMLValueConvertible) -> String {
        switch value.type {
        case .table: "a table"
        case .array: "an array"
        case .string: "a string"
        case .int: "an integer"
        case .double: "a float"
        case .bool: "a boolean"
        case .date, .time, .dateTime: "a date or time"
        }
    }

    static func render(_ value: any TOMLValueConvertible) -> String {
        if let text = value.string { return "\"\(text)\"" }
        if let number = value.int { return String(number) }
        if let number = value.double { return String(number) }
        if let flag = value.bool { return String(flag) }
        if value.array != nil { return "[…]" }
        if value.table != nil { return "{…}" }
        return ""
    }

    /// Levenshtein distance, for "did you mean" hints.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
