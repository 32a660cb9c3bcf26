import Crypto
import Foundation
import ShelterCore

/// A filed record's version, derived from its content: the first 48 bits of the SHA-256 of the record's
/// JSON (sorted keys, `recordVersion` set to 0), as a positive integer (below 2^53, so every JSON reader
/// keeps it exact). Two registries that hold the same record give it the same version, and two different
/// records practically never share one, unlike a counter that every registry starts at 1 (issue 11 item 1).
enum RecordVersion {
    /// The version of `record`'s content; ≥ 1.
    static func of(_ record: ShelterRecord) throws -> Int {
        var content = record
        content.recordVersion = 0
        let digest = SHA256.hash(data: try RegistryJSON.makeEncoder().encode(content))
        var value = 0
        for byte in digest.prefix(6) { value = value << 8 | Int(byte) }
        return max(1, value)
    }

    /// `record` with its `recordVersion` set from its content.
    static func stamped(_ record: ShelterRecord) throws -> ShelterRecord {
        var stamped = record
        stamped.recordVersion = try of(record)
        return stamped
    }

    /// The `ETag` for a record version: `"v<version>"`.
    static func etag(_ version: Int) -> String { "\"v\(version)\"" }
}
