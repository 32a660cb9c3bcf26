import Foundation

/// Decodes the registry's request bodies in a fraction of `JSONDecoder`'s time, and declines every body it is
/// not sure about, so the caller decodes that one with `JSONDecoder`.
///
/// Why: during a drain the registry spent 68 % of its CPU in FoundationEssentials' `JSONDecoder` (about 70 µs
/// per status report; its keyed containers build a `[String: …]` dictionary for every JSON object), more than a
/// null HTTPS sink spends on a whole report (issue 14's drain target). No JSON decoder in the package mirror is
/// faster, so the registry protocol's hot path has its own: one pass lays the body out as a tape of tokens
/// (objects and arrays know where they end), and the `Decoder` over it finds a key by comparing bytes along
/// the object's members, without a dictionary. A `TapeReadable` type (a status report, the payload gateways
/// send by the thousand) is read straight off the tape, without `Decodable`'s containers.
///
/// The contract, which `TapeJSONDecoderTests` checks against `JSONDecoder` on every fixture and on mutations
/// of them: `decode` answers a value only when `JSONDecoder` (with `dateDecoding` as its `.custom` date
/// strategy) answers an equal one for the same bytes; otherwise `nil`. It declines
/// - anything that is not strict RFC 8259 JSON, or is nested deeper than 128;
/// - an object whose keys are not plain ASCII without escapes, or that names a key twice (RFC 8259 §4 leaves
///   which one wins to each parser; the registry refuses such a batch after `JSONDecoder` decoded it);
/// - a string with a `\u` escape or invalid UTF-8 (also in a member no type reads); an integer with a
///   fraction, an exponent or out of range for its type, or `-0`; a floating-point number that is not finite
///   once read, or that reads as zero from an exponent or from nonzero digits (`JSONDecoder` refuses `0E5`);
/// - `Float`, `Data`, `URL`, `Decimal`, `superDecoder`, `codingPath` (which `JSONDecoder` treats in ways of
///   its own), and every body on which any decoding call threw, even when the type caught the error: all
///   errors are worded by `JSONDecoder`, and a type that recovers from an error takes the path it would take
///   under `JSONDecoder`.
enum TapeJSONDecoder {
    /// Decodes `T` from `body`, or `nil` when `JSONDecoder` should (see the type's contract).
    ///
    /// - Parameter dateDecoding: How a `Date` is read: the same closure the `JSONDecoder` fallback uses as
    ///   its `.custom` strategy (`RegistryJSON.decodeDate(from:)`).
    static func decode<T: Decodable>(
        _ type: T.Type, from body: [UInt8], dateDecoding: @escaping @Sendable (any Decoder) throws -> Date
    ) -> T? {
        read(T.self, from: body, dateDecoding: dateDecoding) { value, _, _ in value }
    }

    /// Parses `body`, decodes `T` from it, and hands the value, the parser and the tape to `answer`; `nil` when
    /// the tape declines (see the type's contract).
    private static func read<T: Decodable, Answer>(
        _ type: T.Type, from body: [UInt8], dateDecoding: @escaping @Sendable (any Decoder) throws -> Date,
        _ answer: (T, Parser, Tape) -> Answer
    ) -> Answer? {
        body.withUnsafeBufferPointer { bytes in
            var parser = Parser(bytes: bytes)
            guard parser.document() else { return nil }
            let tape = Tape(bytes: bytes, tokens: parser.tokens, dateDecoding: dateDecoding)
            guard let value: T = try? tape.decode(at: 0), !tape.declined else { return nil }
            return answer(value, parser, tape)
        }
    }

    /// Decodes a batch, a JSON array of `Element`, and answers from the same pass what
    /// `JSONArrayScanner.scan(body, keys: keys)` answers for it: each element's bytes without insignificant
    /// whitespace, and whether it holds a key `keys` does not define. `nil` when `JSONDecoder` should decode the
    /// body (see the type's contract); the scanner then walks it as before.
    ///
    /// A body the tape reads has no duplicate key (the tape declines one), so the scan's `duplicateKeys` is
    /// empty. `TapeJSONDecoderTests` checks the whole scan against `JSONArrayScanner`'s on mutated batches.
    static func decodeBatch<Element: Decodable>(
        _ type: Element.Type, from body: [UInt8], keys: KeyTree,
        dateDecoding: @escaping @Sendable (any Decoder) throws -> Date
    ) -> (payloads: [Element], scan: JSONArrayScanner.Scan)? {
        read([Element].self, from: body, dateDecoding: dateDecoding) { payloads, parser, tape in
            // `[Element]` decodes only from an array, whose elements the parser recorded.
            var scan = JSONArrayScanner.Scan()
            scan.elements.reserveCapacity(payloads.count)
            scan.hasUndefinedKeys.reserveCapacity(payloads.count)
            for element in parser.elements {
                let range = UnsafeBufferPointer(rebasing: tape.bytes[element.range])
                scan.elements.append(element.hasWhitespace ? JSONArrayScanner.compacted(range) : Array(range))
                scan.hasUndefinedKeys.append(tape.holdsUndefinedKey(at: element.token, node: 0, keys: keys))
            }
            return (payloads, scan)
        }
    }

    // MARK: The tape

    /// One token of the tape. A container's `a` is its count of elements (members for an object) and `b` the
    /// index of the token after its last one; a string's or number's `a..<b` is its bytes (without quotes).
    struct Token {
        enum Kind: UInt8 { case object, array, string, number, `true`, `false`, null }
        var kind: Kind
        /// A string: `Token.escaped` and `Token.nonASCII`; a number: `Token.integer` (no fraction, no exponent).
        var flags: UInt8
        var a: Int32
        var b: Int32

        static let escaped: UInt8 = 1
        static let nonASCII: UInt8 = 2
        static let integer: UInt8 = 1
    }

    /// Lays strict RFC 8259 JSON out as tokens, in document order; an object's members follow it as key,
    /// value, key, value.
    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0
        var tokens: [Token] = []
        /// The elements of a top-level array: their bytes, first token, and whether whitespace stands between
        /// their tokens.
        var elements: [(range: Range<Int>, token: Int, hasWhitespace: Bool)] = []
        /// Bytes of whitespace skipped so far.
        private var whitespace = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            tokens.reserveCapacity(bytes.count / 8)
        }

        /// One value and nothing after it but whitespace; `false` for anything else.
        mutating func document() -> Bool {
            guard bytes.count < Int(Int32.max) else { return false }
            skipWhitespace()
            guard value(depth: 0) else { return false }
            skipWhitespace()
            return position == bytes.count
        }

        private var next: UInt8? { position < bytes.count ? bytes[position] : nil }

        private mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D:
                    position += 1
                    whitespace += 1
                default: return
                }
            }
        }

        private mutating func value(depth: Int) -> Bool {
            guard let byte = next, depth <= 128 else { return false }
            switch byte {
            case UInt8(ascii: "{"): return container(.object, depth: depth)
            case UInt8(ascii: "["): return container(.array, depth: depth)
            case UInt8(ascii: "\""): return string(isKey: false)
            case UInt8(ascii: "t"): return literal("true", .true)
            case UInt8(ascii: "f"): return literal("false", .false)
            case UInt8(ascii: "n"): return literal("null", .null)
            default: return number()
            }
        }

        /// An object or an array: its elements (an object's as key, value), then its count and end.
        private mutating func container(_ kind: Token.Kind, depth: Int) -> Bool {
            let at = tokens.count
            let close = kind == .object ? UInt8(ascii: "}") : UInt8(ascii: "]")
            tokens.append(Token(kind: kind, flags: 0, a: 0, b: 0))
            position += 1
            skipWhitespace()
            var count: Int32 = 0
            var last: Token?  // the object's previous key
            var ordered = true
            if next == close {
                position += 1
            } else {
                while true {
                    skipWhitespace()
                    if kind == .object {
                        // A plain key that no earlier key equals. Keys in strictly increasing order (the agent
                        // sorts them) are all different without a search.
                        guard next == UInt8(ascii: "\""), string(isKey: true) else { return false }
                        let key = tokens[tokens.count - 1]
                        if let last, !(ordered && precedes(last, key)) {
                            ordered = false
                            guard isNew(key, in: at) else { return false }
                        }
                        last = key
                        skipWhitespace()
                        guard next == UInt8(ascii: ":") else { return false }
                        position += 1
                        skipWhitespace()
                    }
                    let start = (position: position, token: tokens.count, whitespace: whitespace)
                    guard value(depth: depth + 1) else { return false }
                    if depth == 0 && kind == .array {
                        elements.append((start.position..<position, start.token, whitespace != start.whitespace))
                    }
                    count += 1
                    skipWhitespace()
                    guard let byte = next else { return false }
                    position += 1
                    if byte == close { break }
                    guard byte == UInt8(ascii: ",") else { return false }
                }
            }
            tokens[at].a = count
            tokens[at].b = Int32(tokens.count)
            return true
        }

        /// Whether the key at the end of the tape differs from every earlier key of the object at `object`.
        private func isNew(_ key: Token, in object: Int) -> Bool {
            var earlier = object + 1  // the members before it, complete
            while earlier < tokens.count - 1 {
                if same(tokens[earlier], key) { return false }
                let value = tokens[earlier + 1]
                earlier = value.kind == .object || value.kind == .array ? Int(value.b) : earlier + 2
            }
            return true
        }

        /// Whether `a`'s bytes sort strictly before `b`'s.
        private func precedes(_ a: Token, _ b: Token) -> Bool {
            let countA = Int(a.b - a.a)
            let countB = Int(b.b - b.a)
            let order = memcmp(bytes.baseAddress! + Int(a.a), bytes.baseAddress! + Int(b.a), min(countA, countB))
            return order < 0 || (order == 0 && countA < countB)
        }

        private func same(_ a: Token, _ b: Token) -> Bool {
            let count = Int(a.b - a.a)
            guard count == Int(b.b - b.a) else { return false }
            guard count > 0 else { return true }
            guard bytes[Int(a.a)] == bytes[Int(b.a)], bytes[Int(a.b) - 1] == bytes[Int(b.b) - 1] else { return false }
            return memcmp(bytes.baseAddress! + Int(a.a), bytes.baseAddress! + Int(b.a), count) == 0
        }

        /// A string; a key must be plain ASCII without escapes (a `String` equal to another exactly when its
        /// bytes are). Escapes other than `\u` are kept for `Tape.string(at:)` to resolve.
        private mutating func string(isKey: Bool) -> Bool {
            position += 1
            let start = position
            var flags: UInt8 = 0
            while position < bytes.count {
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    // Checked once here, so `Tape.string(at:)` need not: a string no type reads is checked too,
                    // which only declines bodies JSONDecoder would accept (it does not check those).
                    if flags & Token.nonASCII != 0 {
                        let content = UnsafeBufferPointer(rebasing: bytes[start..<position])
                        guard String(decoding: content, as: UTF8.self).utf8.elementsEqual(content) else { return false }
                    }
                    tokens.append(Token(kind: .string, flags: flags, a: Int32(start), b: Int32(position)))
                    position += 1
                    return true
                case UInt8(ascii: "\\"):
                    guard !isKey, position + 1 < bytes.count else { return false }
                    switch bytes[position + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                        UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        flags |= Token.escaped
                        position += 2
                    default: return false
                    }
                case 0..<0x20: return false
                case 0x80...:
                    guard !isKey else { return false }
                    flags |= Token.nonASCII
                    position += 1
                default: position += 1
                }
            }
            return false
        }

        private mutating func literal(_ word: StaticString, _ kind: Token.Kind) -> Bool {
            let count = word.utf8CodeUnitCount
            guard position + count <= bytes.count,
                memcmp(bytes.baseAddress! + position, word.utf8Start, count) == 0
            else { return false }
            tokens.append(Token(kind: kind, flags: 0, a: Int32(position), b: Int32(position + count)))
            position += count
            return true
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
        private mutating func number() -> Bool {
            let start = position
            var isInteger = true
            if next == UInt8(ascii: "-") { position += 1 }
            guard let first = next, isDigit(first) else { return false }
            position += 1
            if first != UInt8(ascii: "0") { skipDigits() }
            if next == UInt8(ascii: ".") {
                isInteger = false
                position += 1
                guard let digit = next, isDigit(digit) else { return false }
                skipDigits()
            }
            if next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
                isInteger = false
                position += 1
                if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") { position += 1 }
                guard let digit = next, isDigit(digit) else { return false }
                skipDigits()
            }
            tokens.append(
                Token(kind: .number, flags: isInteger ? Token.integer : 0, a: Int32(start), b: Int32(position)))
            return true
        }

        private func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
        private mutating func skipDigits() { while let byte = next, isDigit(byte) { position += 1 } }
    }

    /// The parsed body and the decoding state every container shares.
    final class Tape {
        let bytes: UnsafeBufferPointer<UInt8>
        let tokens: [Token]
        let dateDecoding: @Sendable (any Decoder) throws -> Date
        /// Set by every refusal, so a body on which a type caught an error is still handed to `JSONDecoder`.
        var declined = false

        init(
            bytes: UnsafeBufferPointer<UInt8>, tokens: [Token],
            dateDecoding: @escaping @Sendable (any Decoder) throws -> Date
        ) {
            self.bytes = bytes
            self.tokens = tokens
            self.dateDecoding = dateDecoding
        }

        struct Declined: Error {}

        func decline() -> Declined {
            declined = true
            return Declined()
        }

        /// The token after the value at `index` (and everything nested in it).
        func skip(_ index: Int) -> Int {
            let token = tokens[index]
            return token.kind == .object || token.kind == .array ? Int(token.b) : index + 1
        }

        func isNull(at index: Int) -> Bool { tokens[index].kind == .null }

        func bool(at index: Int) throws -> Bool {
            switch tokens[index].kind {
            case .true: return true
            case .false: return false
            default: throw decline()
            }
        }

        func string(at index: Int) throws -> String {
            let token = tokens[index]
            guard token.kind == .string else { throw decline() }
            let raw = UnsafeBufferPointer(rebasing: bytes[Int(token.a)..<Int(token.b)])
            // The parser checked the bytes are UTF-8 (`String(validating:)` would check again, and costs more than
            // the rest of the decoding of a string: it is not specialized); an escape stands for an ASCII byte.
            if token.flags & Token.escaped == 0 { return String(decoding: raw, as: UTF8.self) }
            var unescaped: [UInt8] = []
            unescaped.reserveCapacity(raw.count)
            var index = 0
            while index < raw.count {
                var byte = raw[index]
                if byte == UInt8(ascii: "\\") {
                    index += 1
                    switch raw[index] {
                    case UInt8(ascii: "b"): byte = 0x08
                    case UInt8(ascii: "f"): byte = 0x0C
                    case UInt8(ascii: "n"): byte = 0x0A
                    case UInt8(ascii: "r"): byte = 0x0D
                    case UInt8(ascii: "t"): byte = 0x09
                    default: byte = raw[index]  // " \ /
                    }
                }
                unescaped.append(byte)
                index += 1
            }
            return String(decoding: unescaped, as: UTF8.self)
        }

        func integer<I: FixedWidthInteger>(at index: Int, as: I.Type = I.self) throws -> I {
            let token = tokens[index]
            guard token.kind == .number, token.flags == Token.integer else { throw decline() }
            var position = Int(token.a)
            let negative = bytes[position] == UInt8(ascii: "-")
            if negative {
                guard I.isSigned, bytes[position + 1] != UInt8(ascii: "0") else { throw decline() }
                position += 1
            }
            var value: I = 0
            while position < Int(token.b) {
                let digit = I(bytes[position] &- 0x30)
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (next, overflow2) =
                    negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
                guard !overflow1, !overflow2 else { throw decline() }
                value = next
                position += 1
            }
            return value
        }

        func double(at index: Int) throws -> Double {
            let token = tokens[index]
            guard token.kind == .number else { throw decline() }
            let raw = UnsafeBufferPointer(rebasing: bytes[Int(token.a)..<Int(token.b)])
            guard let value = Double(String(decoding: raw, as: UTF8.self)), value.isFinite else { throw decline() }
            if value == 0 {
                // JSONDecoder refuses an underflow to zero and, as a Double, `0e1` and `0E5` (but reads `0E+5`
                // and `-0e1`): zero is read here only when written without an exponent. Checked against
                // JSONDecoder on a million random JSON numbers, exponents near both ends of Double's range
                // included: with this rule no number read here reads otherwise there.
                for byte in raw
                where byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || (0x31...0x39).contains(byte) {
                    throw decline()
                }
            }
            return value
        }

        func decode<T: Decodable>(at index: Int, as type: T.Type = T.self) throws -> T {
            if T.self == String.self { return try string(at: index) as! T }
            if T.self == Int.self { return try integer(at: index, as: Int.self) as! T }
            if T.self == Double.self { return try double(at: index) as! T }
            if T.self == Bool.self { return try bool(at: index) as! T }
            if T.self == Date.self {
                do {
                    return try dateDecoding(ValueDecoder(tape: self, index: index)) as! T
                } catch {
                    throw decline()
                }
            }
            if T.self == Data.self || T.self == URL.self || T.self == Decimal.self || T.self == Float.self {
                throw decline()
            }
            if let readable = T.self as? any TapeReadable.Type { return try readable.read(from: self, at: index) as! T }
            do {
                return try T(from: ValueDecoder(tape: self, index: index))
            } catch {
                throw decline()
            }
        }

        /// Whether the value at token `index` holds an object key that `keys` does not define at `node`, as
        /// `JSONArrayScanner` marks it: any key of an object whose schema node lists no members (or has no node).
        func holdsUndefinedKey(at index: Int, node: Int?, keys: KeyTree) -> Bool {
            let token = tokens[index]
            switch token.kind {
            case .object:
                guard token.a > 0 else { return false }
                guard let node, let members = keys.nodes[node].members else { return true }
                var key = index + 1
                while key < Int(token.b) {
                    let name = UnsafeBufferPointer(rebasing: bytes[Int(tokens[key].a)..<Int(tokens[key].b)])
                    guard let member = keys.member(named: name, in: members),
                        !holdsUndefinedKey(at: key + 1, node: member, keys: keys)
                    else { return true }
                    key = skip(key + 1)
                }
                return false
            case .array:
                let items = node.flatMap { keys.nodes[$0].items }
                var element = index + 1
                while element < Int(token.b) {
                    if holdsUndefinedKey(at: element, node: items, keys: keys) { return true }
                    element = skip(element)
                }
                return false
            default:
                return false
            }
        }

        /// The value of the member named `key` in the object at `object`, or `nil`.
        func member(_ key: String, in object: Int) -> Int? {
            var name = key
            return name.withUTF8 { name -> Int? in
                var index = object + 1
                let end = Int(tokens[object].b)
                while index < end {
                    let token = tokens[index]
                    let count = Int(token.b - token.a)
                    if count == name.count
                        && (count == 0
                            || (bytes[Int(token.a)] == name[0]
                                && memcmp(bytes.baseAddress! + Int(token.a), name.baseAddress!, count) == 0))
                    {
                        return index + 1
                    }
                    index = skip(index + 1)
                }
                return nil
            }
        }
    }

    // MARK: Decoder and containers

    struct ValueDecoder: Decoder {
        let tape: Tape
        let index: Int

        var codingPath: [any CodingKey] {
            tape.declined = true
            return []
        }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            guard tape.tokens[index].kind == .object else { throw tape.decline() }
            return KeyedDecodingContainer(KeyedContainer<Key>(tape: tape, object: index))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            guard tape.tokens[index].kind == .array else { throw tape.decline() }
            return UnkeyedContainer(tape: tape, array: index)
        }

        func singleValueContainer() throws -> any SingleValueDecodingContainer {
            SingleValueContainer(tape: tape, index: index)
        }
    }

    struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let tape: Tape
        let object: Int

        var codingPath: [any CodingKey] {
            tape.declined = true
            return []
        }

        var allKeys: [Key] {
            var keys: [Key] = []
            var index = object + 1
            let end = Int(tape.tokens[object].b)
            while index < end {
                let token = tape.tokens[index]
                let name = String(
                    decoding: UnsafeBufferPointer(rebasing: tape.bytes[Int(token.a)..<Int(token.b)]), as: UTF8.self)
                if let key = Key(stringValue: name) { keys.append(key) }
                index = tape.skip(index + 1)
            }
            return keys
        }

        func contains(_ key: Key) -> Bool { tape.member(key.stringValue, in: object) != nil }

        private func value(_ key: Key) throws -> Int {
            guard let index = tape.member(key.stringValue, in: object) else { throw tape.decline() }
            return index
        }

        func decodeNil(forKey key: Key) throws -> Bool { tape.isNull(at: try value(key)) }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try tape.bool(at: value(key)) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try tape.string(at: value(key)) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try tape.double(at: value(key)) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { throw tape.decline() }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try tape.integer(at: value(key)) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try tape.integer(at: value(key)) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try tape.integer(at: value(key)) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try tape.integer(at: value(key)) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try tape.integer(at: value(key)) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try tape.integer(at: value(key)) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try tape.integer(at: value(key)) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try tape.integer(at: value(key)) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try tape.integer(at: value(key)) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try tape.integer(at: value(key)) }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try tape.decode(at: value(key)) }

        // One search for the member, where the protocol's defaults search three times (contains, decodeNil,
        // decode): most members of a reading are optional.
        private func present(_ key: Key) -> Int? {
            guard let index = tape.member(key.stringValue, in: object), !tape.isNull(at: index) else { return nil }
            return index
        }

        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
            guard let index = present(key) else { return nil }
            return try tape.bool(at: index)
        }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
            guard let index = present(key) else { return nil }
            return try tape.string(at: index)
        }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
            guard let index = present(key) else { return nil }
            return try tape.double(at: index)
        }
        func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { throw tape.decline() }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try integer(key) }
        func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try integer(key) }
        func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try integer(key) }
        func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try integer(key) }
        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try integer(key) }
        func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try integer(key) }
        func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try integer(key) }
        func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try integer(key) }
        func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try integer(key) }
        func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try integer(key) }
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            guard let index = present(key) else { return nil }
            return try tape.decode(at: index)
        }

        private func integer<I: FixedWidthInteger>(_ key: Key) throws -> I? {
            guard let index = present(key) else { return nil }
            return try tape.integer(at: index)
        }

        func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type, forKey key: Key
        ) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            try ValueDecoder(tape: tape, index: value(key)).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try ValueDecoder(tape: tape, index: value(key)).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder { throw tape.decline() }
        func superDecoder(forKey key: Key) throws -> any Decoder { throw tape.decline() }
    }

    struct UnkeyedContainer: UnkeyedDecodingContainer {
        let tape: Tape
        /// The array's count of elements.
        let elements: Int
        var count: Int? { elements }
        private(set) var currentIndex = 0
        /// The token of the element at `currentIndex`.
        private var cursor: Int

        init(tape: Tape, array: Int) {
            self.tape = tape
            self.elements = Int(tape.tokens[array].a)
            self.cursor = array + 1
        }

        var codingPath: [any CodingKey] {
            tape.declined = true
            return []
        }

        var isAtEnd: Bool { currentIndex >= elements }

        /// The current element's token, moving past it.
        private mutating func take() throws -> Int {
            guard !isAtEnd else { throw tape.decline() }
            let index = cursor
            cursor = tape.skip(index)
            currentIndex += 1
            return index
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd else { throw tape.decline() }
            guard tape.isNull(at: cursor) else { return false }
            _ = try take()
            return true
        }

        mutating func decode(_ type: Bool.Type) throws -> Bool { try tape.bool(at: take()) }
        mutating func decode(_ type: String.Type) throws -> String { try tape.string(at: take()) }
        mutating func decode(_ type: Double.Type) throws -> Double { try tape.double(at: take()) }
        mutating func decode(_ type: Float.Type) throws -> Float { throw tape.decline() }
        mutating func decode(_ type: Int.Type) throws -> Int { try tape.integer(at: take()) }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { try tape.integer(at: take()) }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { try tape.integer(at: take()) }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { try tape.integer(at: take()) }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try tape.integer(at: take()) }
        mutating func decode(_ type: UInt.Type) throws -> UInt { try tape.integer(at: take()) }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try tape.integer(at: take()) }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try tape.integer(at: take()) }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try tape.integer(at: take()) }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try tape.integer(at: take()) }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try tape.decode(at: take()) }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type
        ) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            try ValueDecoder(tape: tape, index: take()).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            try ValueDecoder(tape: tape, index: take()).unkeyedContainer()
        }

        mutating func superDecoder() throws -> any Decoder { throw tape.decline() }
    }

    struct SingleValueContainer: SingleValueDecodingContainer {
        let tape: Tape
        let index: Int

        var codingPath: [any CodingKey] {
            tape.declined = true
            return []
        }

        func decodeNil() -> Bool { tape.isNull(at: index) }
        func decode(_ type: Bool.Type) throws -> Bool { try tape.bool(at: index) }
        func decode(_ type: String.Type) throws -> String { try tape.string(at: index) }
        func decode(_ type: Double.Type) throws -> Double { try tape.double(at: index) }
        func decode(_ type: Float.Type) throws -> Float { throw tape.decline() }
        func decode(_ type: Int.Type) throws -> Int { try tape.integer(at: index) }
        func decode(_ type: Int8.Type) throws -> Int8 { try tape.integer(at: index) }
        func decode(_ type: Int16.Type) throws -> Int16 { try tape.integer(at: index) }
        func decode(_ type: Int32.Type) throws -> Int32 { try tape.integer(at: index) }
        func decode(_ type: Int64.Type) throws -> Int64 { try tape.integer(at: index) }
        func decode(_ type: UInt.Type) throws -> UInt { try tape.integer(at: index) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try tape.integer(at: index) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try tape.integer(at: index) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try tape.integer(at: index) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try tape.integer(at: index) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try tape.decode(at: index) }
    }
}
