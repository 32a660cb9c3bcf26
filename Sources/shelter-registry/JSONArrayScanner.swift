import Foundation
import ShelterCore

/// Splits a batch body (a JSON array, RFC 8259) into the bytes of its elements in one pass, each without the
/// insignificant whitespace (RFC 8259 §2) outside strings, and finds every object that names a key twice.
///
/// The registry stores each report or alert event as these bytes rather than re-encoding the decoded value
/// (a third of its CPU per report). That is only sound if the bytes mean the same thing to every reader:
/// RFC 8259 §4 leaves an object with a duplicate key to each parser ("the last one", "the first one", an
/// error), so a batch with one is refused. Keys are compared as Swift `String`s, as `JSONDecoder` compares
/// them (canonical equivalence: `"K"` and `"\u212A"` are one key), with a byte comparison when both are
/// plain ASCII without escapes.
///
/// It runs on bodies `JSONDecoder` accepted, so it checks only the structure it walks (strings, nesting,
/// commas, colons); numbers and literals are kept as they stand. It answers `nil` for a body it cannot
/// walk (a UTF-16 body, a byte-order mark), and the caller stores the canonical encoding instead.
struct JSONArrayScanner {
    /// The elements' bytes, in order, and one issue per duplicate key, in document order.
    struct Scan {
        var elements: [[UInt8]] = []
        var duplicateKeys: [ErrorBody.Issue] = []
        /// Per element: whether it holds a key `keys` does not define (always `false` without `keys`).
        var hasUndefinedKeys: [Bool] = []
    }

    /// The message of a duplicate-key issue.
    static let duplicateKeyMessage = "is a duplicate key (an object names each key once)"

    /// Scans `body`; `nil` when it is not a top-level array the scanner can walk. With `keys` (the tree of
    /// one element's schema), also marks each element holding an object key the tree does not define.
    static func scan(_ body: [UInt8], keys: KeyTree? = nil) -> Scan? {
        let tree = keys ?? KeyTree.none
        return body.withUnsafeBufferPointer { bytes in
            tree.nodes.withUnsafeBufferPointer { nodes in
                tree.members.withUnsafeBufferPointer { members in
                    tree.names.withUnsafeBufferPointer { names in
                        var scanner = Walker(
                            bytes: bytes, schema: keys == nil ? nil : (nodes, members, names))
                        return scanner.array()
                    }
                }
            }
        }
    }

    /// `value`, one walkable JSON value, without the whitespace outside its strings.
    static func compacted(_ value: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(value.count)
        var inString = false
        var index = 0
        while index < value.count {
            let byte = value[index]
            if inString {
                out.append(byte)
                if byte == UInt8(ascii: "\\") {
                    index += 1
                    out.append(value[index])
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else {
                switch byte {
                case 0x20, 0x09, 0x0A, 0x0D: break
                case UInt8(ascii: "\""):
                    inString = true
                    out.append(byte)
                default: out.append(byte)
                }
            }
            index += 1
        }
        return out
    }

    private struct Key {
        var range: Range<Int>
        /// ASCII without escapes: equal as a `String` exactly when equal as bytes.
        var isPlain: Bool
    }

    private enum Container {
        /// `items`: the schema node of its elements.
        case array(index: Int, items: Int?)
        /// Its keys start at `firstKey` in the walker's key stack; `lastKey` is the key whose value is open;
        /// `tree` is its schema's node.
        case object(firstKey: Int, lastKey: Key?, tree: Int?)
    }

    /// One pass over the body that records each element's range and whether it holds whitespace to drop; the
    /// bytes are copied once per element (one `memcpy` when the gateway sent it compact, as the agent does).
    private struct Walker {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0
        var scan = Scan()
        /// Containers open in the current element, outermost first (kept across elements).
        var stack: [Container] = []
        /// The keys of the objects open in `stack`, each object's after its parent's.
        var keys: [Key] = []
        /// Whether the current element holds whitespace outside its strings.
        var sawWhitespace = false
        /// The schema tree of an element (`KeyTree`, root node 0); `nil`: keys are not checked.
        let schema:
            (
                nodes: UnsafeBufferPointer<KeyTree.Node>, members: UnsafeBufferPointer<KeyTree.Member>,
                names: UnsafeBufferPointer<UInt8>
            )?
        /// The schema node of the value about to be walked.
        var valueTree: Int?
        /// Whether the current element holds a key its schema does not define.
        var sawUndefinedKey = false

        init(
            bytes: UnsafeBufferPointer<UInt8>,
            schema: (
                nodes: UnsafeBufferPointer<KeyTree.Node>, members: UnsafeBufferPointer<KeyTree.Member>,
                names: UnsafeBufferPointer<UInt8>
            )?
        ) {
            self.bytes = bytes
            self.schema = schema
        }

        mutating func array() -> Scan? {
            skipWhitespace()
            guard next == UInt8(ascii: "[") else { return nil }
            position += 1
            skipWhitespace()
            if next == UInt8(ascii: "]") {
                position += 1
            } else {
                while true {
                    skipWhitespace()
                    let start = position
                    sawWhitespace = false
                    sawUndefinedKey = false
                    valueTree = schema == nil ? nil : 0
                    guard value(index: scan.elements.count) else { return nil }
                    scan.elements.append(element(start..<position))
                    scan.hasUndefinedKeys.append(sawUndefinedKey)
                    skipWhitespace()
                    if next == UInt8(ascii: ",") {
                        position += 1
                    } else if next == UInt8(ascii: "]") {
                        position += 1
                        break
                    } else {
                        return nil
                    }
                }
            }
            skipWhitespace()
            return position == bytes.count ? scan : nil
        }

        private var next: UInt8? { position < bytes.count ? bytes[position] : nil }

        private mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D:
                    position += 1
                    sawWhitespace = true
                default: return
                }
            }
        }

        /// The element's bytes without whitespace outside its strings.
        private func element(_ range: Range<Int>) -> [UInt8] {
            let element = UnsafeBufferPointer(rebasing: bytes[range])
            return sawWhitespace ? JSONArrayScanner.compacted(element) : Array(element)
        }

        /// Walks one value (with everything nested in it); `index` is its place in the batch.
        private mutating func value(index: Int) -> Bool {
            enum Expect { case value, key, end }
            stack.removeAll(keepingCapacity: true)
            keys.removeAll(keepingCapacity: true)
            var expect = Expect.value
            while true {
                if expect == .end && stack.isEmpty { return true }
                if expect != .value || !stack.isEmpty { skipWhitespace() }
                guard let byte = next else { return false }
                switch expect {
                case .value:
                    switch byte {
                    case UInt8(ascii: "{"):
                        position += 1
                        skipWhitespace()
                        if next == UInt8(ascii: "}") {
                            position += 1
                            expect = .end
                        } else {
                            stack.append(.object(firstKey: keys.count, lastKey: nil, tree: valueTree))
                            expect = .key
                        }
                    case UInt8(ascii: "["):
                        position += 1
                        skipWhitespace()
                        if next == UInt8(ascii: "]") {
                            position += 1
                            expect = .end
                        } else {
                            let items = valueTree.flatMap { schema?.nodes[$0].items }
                            stack.append(.array(index: 0, items: items))
                            valueTree = items
                        }
                    case UInt8(ascii: "\""):
                        guard string() != nil else { return false }
                        expect = .end
                    default:
                        let start = position
                        while position < bytes.count {
                            switch bytes[position] {
                            case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D:
                                break
                            default:
                                position += 1
                                continue
                            }
                            break
                        }
                        guard position > start else { return false }
                        expect = .end
                    }
                case .key:
                    guard byte == UInt8(ascii: "\""), let key = string(),
                        case .object(let firstKey, _, let tree) = stack.last
                    else { return false }
                    for earlier in keys[firstKey...] where same(earlier, key) {
                        scan.duplicateKeys.append(
                            .init(path: path(index: index, key: key), message: duplicateKeyMessage))
                        break
                    }
                    keys.append(key)
                    stack[stack.count - 1] = .object(firstKey: firstKey, lastKey: key, tree: tree)
                    if schema != nil {
                        valueTree = member(key, of: tree)
                        if valueTree == nil { sawUndefinedKey = true }
                    }
                    skipWhitespace()
                    guard next == UInt8(ascii: ":") else { return false }
                    position += 1
                    expect = .value
                case .end:
                    guard let container = stack.last else { return false }
                    switch (byte, container) {
                    case (UInt8(ascii: ","), .array(let at, let items)):
                        stack[stack.count - 1] = .array(index: at + 1, items: items)
                        valueTree = items
                        expect = .value
                    case (UInt8(ascii: ","), .object):
                        expect = .key
                    case (UInt8(ascii: "]"), .array):
                        stack.removeLast()
                    case (UInt8(ascii: "}"), .object(let firstKey, _, _)):
                        stack.removeLast()
                        keys.removeSubrange(firstKey...)
                    default:
                        return false
                    }
                    position += 1
                }
            }
        }

        /// Walks the string at `position` (quotes included); its content's range, or `nil` when it does not end.
        private mutating func string() -> Key? {
            let start = position
            position += 1
            var isPlain = true
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") { break }
                if byte == UInt8(ascii: "\\") {
                    isPlain = false
                    position += 2
                } else {
                    if byte >= 0x80 { isPlain = false }
                    position += 1
                }
            }
            guard position < bytes.count else { return nil }
            position += 1
            return Key(range: (start + 1)..<(position - 1), isPlain: isPlain)
        }

        /// The node of the member `key` names in an object of node `tree`; `nil` when the schema does not
        /// define it.
        private func member(_ key: Key, of tree: Int?) -> Int? {
            guard let schema, let tree, let range = schema.nodes[tree].members else { return nil }
            if key.isPlain {
                return KeyTree.member(
                    named: UnsafeBufferPointer(rebasing: bytes[key.range]), in: range, members: schema.members,
                    names: schema.names)
            }
            let name = text(key)
            return schema.members[range].first {
                String(decoding: UnsafeBufferPointer(rebasing: schema.names[$0.name]), as: UTF8.self) == name
            }?.node
        }

        /// Whether two keys name the same member, as the decoder's `[String: …]` sees them.
        private func same(_ a: Key, _ b: Key) -> Bool {
            if a.isPlain && b.isPlain {
                return a.range.count == b.range.count
                    && memcmp(
                        bytes.baseAddress! + a.range.lowerBound, bytes.baseAddress! + b.range.lowerBound, a.range.count)
                        == 0
            }
            return text(a) == text(b)
        }

        /// The key as the decoder reads it: escapes resolved by `JSONDecoder` itself (`nil` only for a key it
        /// could not read, which it refused before the scanner ran).
        private func text(_ key: Key) -> String? {
            let quoted = UnsafeBufferPointer(rebasing: bytes[(key.range.lowerBound - 1)..<(key.range.upperBound + 1)])
            if key.isPlain || !quoted.contains(UInt8(ascii: "\\")) {
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[key.range]), as: UTF8.self)
            }
            return try? JSONDecoder().decode(String.self, from: Data(quoted))
        }

        /// `[3].readings[2].device`, the path `ErrorBody.Issue` uses, for `key` in the innermost open object.
        private func path(index: Int, key: Key) -> String {
            var path = "[\(index)]"
            for container in stack.dropLast() {
                switch container {
                case .array(let at, _): path += "[\(at)]"
                case .object(_, let lastKey, _): path += "." + (lastKey.flatMap(text) ?? "")
                }
            }
            return path + "." + (text(key) ?? "")
        }
    }
}
