internal import SQLite

extension SQLiteOutboxStore {
    /// Schema version in `PRAGMA user_version`. 2 added `hold` and incremental auto-vacuum.
    static let schemaVersion: Int64 = 2

    /// Tables (times are Unix milliseconds, UTC):
    /// - `items`: queued payloads, opaque JSON bytes; `seq` is the insertion order that "oldest first" follows,
    ///   `id` the payload's own `reportId`/`eventId` (a second enqueue of the same id is ignored).
    /// - `dead_letters`: payloads the registry refused as wrong (400, 413, 422), with the status and its words.
    /// - `counters`: items evicted over the bounds, per kind (`evicted.status`, `evicted.alert`,
    ///   `evicted.dead_letter`).
    /// - `dropped_alerts`: alerts whose Alert event was evicted unsent; their later events are dropped too
    ///   (the registry must never get an Update or Cancel for an alert it never received; issue 11 item 2).
    /// - `hold`: at most one row, the configuration fault holding the outbox (`UplinkFault`), if any.
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
        CREATE TABLE IF NOT EXISTS dropped_alerts (
            alert_id TEXT PRIMARY KEY
        );
        CREATE TABLE IF NOT EXISTS hold (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            kind TEXT NOT NULL,
            status_code INTEGER NOT NULL,
            message TEXT NOT NULL,
            since INTEGER NOT NULL,
            last_at INTEGER NOT NULL
        );
        """

    /// Largest WAL file kept after a checkpoint, bytes (`PRAGMA journal_size_limit`): the WAL is reused, and
    /// truncated to this after a checkpoint, so it never keeps the size of the largest burst. 4 MiB.
    static let walSizeLimit = 4 << 20

    /// Opens the file, turns on incremental auto-vacuum (converting a file made before it, once, with
    /// `VACUUM`), switches to WAL and creates the schema. Runs on the store's thread.
    ///
    /// - Parameter mode: `.readWrite` to refuse creating a file that is not there (the `outbox` command).
    static func openDatabase(
        path: String, busyTimeout: Duration, mode: SQLiteConnection.OpenMode = .readWriteCreate
    ) throws(SQLiteError) -> SQLiteConnection {
        let connection = try SQLiteConnection(path: path, mode: mode)
        try connection.setBusyTimeout(busyTimeout)
        // Freed pages go back to the file system only with auto-vacuum (issue 12 item 7: 113 MB with nothing
        // queued). It must be set before the first table exists; an older file needs one VACUUM to change.
        if try connection.scalarInt64("PRAGMA auto_vacuum") != 2 {
            try connection.execute("PRAGMA auto_vacuum = INCREMENTAL")
            if try connection.scalarInt64("SELECT count(*) FROM sqlite_schema") ?? 0 > 0 {
                try connection.execute("VACUUM")
            }
        }
        let journal = try connection.setJournalMode(.wal)
        guard journal == .wal else {
            throw SQLiteError(
                extendedCode: SQLiteError.cannotOpen.extendedCode,
                message: "the outbox needs WAL journal mode; SQLite kept \(journal?.rawValue ?? "unknown")")
        }
        try connection.setSynchronous(.normal)
        try connection.execute("PRAGMA foreign_keys = ON")
        try connection.execute("PRAGMA journal_size_limit = \(walSizeLimit)")
        try connection.execute("BEGIN IMMEDIATE; \(schema); PRAGMA user_version = \(schemaVersion); COMMIT")
        return connection
    }
}
