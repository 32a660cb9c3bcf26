/// A failure of the outbox store: the database could not be opened, read or written, or the store was closed.
///
/// A struct over a private code so cases can be added (STYLE §4). The message comes from SQLite and names the
/// SQL, never a payload.
public struct OutboxStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case closed, database, encoding
    }

    private let code: Code
    /// What failed, with SQLite's message and result code.
    public let message: String
    /// The database file.
    public let path: String

    /// The store was closed (or never opened).
    public static func closed(path: String) -> OutboxStoreError {
        OutboxStoreError(code: .closed, message: "the outbox store is closed", path: path)
    }

    /// The database failed; `message` gives SQLite's error.
    public static func database(_ message: String, path: String) -> OutboxStoreError {
        OutboxStoreError(code: .database, message: message, path: path)
    }

    /// A payload could not be encoded as JSON (for example a non-finite number); it was not queued.
    public static func encoding(_ message: String, path: String) -> OutboxStoreError {
        OutboxStoreError(code: .encoding, message: message, path: path)
    }

    /// Whether this is the "store closed" error.
    public var isClosed: Bool { code == .closed }

    public var description: String { "outbox \(path): \(message)" }
}
