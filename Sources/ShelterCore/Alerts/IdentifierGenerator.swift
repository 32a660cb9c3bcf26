/// Source of unique identifiers for alerts, events and reports, injected so the core stays deterministic
/// (no randomness or clock reads in `ShelterCore`). The runtime supplies one that is unique across restarts
/// (e.g. random UUIDs); tests use `SequentialIdentifierGenerator`.
public protocol IdentifierGenerator: Sendable {
    /// A new identifier, never returned before by this generator.
    mutating func nextIdentifier() -> String
}

/// `"<prefix>-1"`, `"<prefix>-2"`, …: deterministic identifiers. Unique across restarts only if the prefix is
/// (e.g. gateway id plus boot count).
public struct SequentialIdentifierGenerator: IdentifierGenerator, Hashable {
    /// Text before the number.
    public var prefix: String
    /// The number the next identifier gets. The default is 1.
    public var next: Int

    public init(prefix: String, next: Int = 1) {
        self.prefix = prefix
        self.next = next
    }

    public mutating func nextIdentifier() -> String {
        defer { next += 1 }
        return "\(prefix)-\(next)"
    }
}
