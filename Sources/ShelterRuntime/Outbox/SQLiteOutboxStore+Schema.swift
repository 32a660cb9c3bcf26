internal import SQLite

extension SQLiteOutboxStore {
    /// Schema version in `PRAGMA user_version`.
    static let schemaVersion: Int64 = 1

    /// Tables (times are Unix milliseconds, UTC):
    /// - `items`: queued payloads, opaque JSON bytes; `seq` is the insertion order that "oldest first" follows,
    ///   `id` the payload's own `reportId`/`eventId` (a second enqueue of the same id is ignored).
    /// - `dead_letters`: payloads the registry refused (a 4xx other than 408/429), with the status.
    /// - `counters`: items evicted over the bounds, per kind.
    static let schema = """
        CREATE TABLE IF NOT EXISTS items (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('alert', 'status')),
            priority INTEGER NOT NULL,
            payload BLOB NOT NULL,
            byte_count INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER
        );
        CREATE INDEX IF NOT EXISTS items_by_kind_seq ON items (kind, seq);
        CREATE INDEX IF NOT EXISTS items_by_kind_age ON items (kind, created_at, byte_count);
        CREATE TABLE IF NOT EXISTS dead_letters (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL,
            kind TEXT NOT NULL,
            payload BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            status_code INTEGER,
            reason TEXT NOT NULL,
            dead_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS counters (
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        );
        """

    /// Opens the file, switches to WAL and creates the schema. Runs on the store's thread.
    static func openDatabase(path: String, busyTimeout: Duration) throws(SQLiteError) -> SQLiteConnection {
        let connection = try SQLiteConnection(path: path)
        try connection.setBusyTimeout(busyTimeout)
        let mode = try connection.setJournalMode(.wal)
        guard mode == .wal else {
            throw SQLiteError(
                extendedCode: SQLiteError.cannotOpen.extendedCode,
                message: "the outbox needs WAL journal mode; SQLite kept \(mode?.rawValue ?? "unknown")")
        }
        try connection.setSynchronous(.normal)
        try connection.execute("PRAGMA foreign_keys = ON")
        try connection.execute("BEGIN IMMEDIATE; \(schema); PRAGMA user_version = \(schemaVersion); COMMIT")
        return connection
    }
}
