internal import SQLite

extension SQLiteOutboxStore {
    /// Schema version in `PRAGMA user_version`. 2 added `hold` and incremental auto-vacuum; 3 made `items.seq`
    /// a plain rowid (no `AUTOINCREMENT`) and its two indexes one (`items_by_kind`), and added
    /// `standing_alerts`; 4 added `queue_totals` and its triggers.
    static let schemaVersion: Int64 = 4

    /// Tables (times are Unix milliseconds, UTC):
    /// - `items`: queued payloads, opaque JSON bytes; `seq` is the insertion order that "oldest first" follows,
    ///   `id` the payload's own `reportId`/`eventId` (a second enqueue of the same id is ignored). `seq` is the
    ///   rowid: one more than the largest queued, so a value may come back once the items after it are gone;
    ///   it orders the queue and is never kept outside a transaction. `items_by_kind` serves both the queue
    ///   order and, covering, the totals and the eviction scans, so the payload's overflow pages are not read.
    ///   Fewer b-trees, fewer pages per insert and delete: `AUTOINCREMENT` rewrote `sqlite_sequence`, and a
    ///   second index its leaf, on every insert and delete (an alert event queued and acknowledged wrote 17
    ///   pages to the WAL, now 14; a 20 KB report 51, now 48: issue 13, quiet flash; measured with Python's
    ///   sqlite3 on both schemas).
    /// - `queue_totals`: per kind, the items queued and their bytes, kept by triggers on every insert, delete
    ///   and update of `items` (whichever connection writes: the agent, or the `outbox` command), and counted
    ///   again from `items` at every opening. The forwarder reads the totals before every batch; counting them
    ///   from `items_by_kind` each time cost time in proportion to the queue (a drain took 26, 31, 42 and 50
    ///   µs a report with 5 000, 10 000, 20 000 and 40 000 queued). One more 1 KiB page per transaction.
    /// - `dead_letters`: payloads the registry refused as wrong (400, 413, 422), with the status and its words.
    /// - `counters`: items evicted over the bounds, per kind (`evicted.status`, `evicted.alert`,
    ///   `evicted.dead_letter`).
    /// - `dropped_alerts`: alerts whose Alert event was evicted unsent; their later events are dropped too
    ///   (the registry must never get an Update or Cancel for an alert it never received; issue 11 item 2).
    /// - `hold`: at most one row, the configuration fault holding the outbox (`UplinkFault`), if any.
    /// - `standing_alerts`: each alert raised and not cancelled, with its latest event (the queued JSON), kept
    ///   after the event is delivered: what a restarted agent carries over. Written in the transaction that
    ///   queues the event, so an alert's state and the event that changes it are committed together, with one
    ///   fsync. It was `active-alerts.json`, saved after the commit with two fsyncs and a rename of its own
    ///   (issue 13, quiet flash); a file of an older schema adopts that file's alerts once
    ///   (`SQLiteOutboxStore.adoptsLegacyAlerts`).
    static let schema = """
        CREATE TABLE IF NOT EXISTS items (\(itemsColumns));
        CREATE INDEX IF NOT EXISTS items_by_kind ON items (kind, seq, created_at, byte_count);
        CREATE TABLE IF NOT EXISTS queue_totals (
            kind TEXT PRIMARY KEY,
            item_count INTEGER NOT NULL,
            byte_count INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TRIGGER IF NOT EXISTS items_counted AFTER INSERT ON items BEGIN
            UPDATE queue_totals SET item_count = item_count + 1, byte_count = byte_count + NEW.byte_count
            WHERE kind = NEW.kind;
        END;
        CREATE TRIGGER IF NOT EXISTS items_uncounted AFTER DELETE ON items BEGIN
            UPDATE queue_totals SET item_count = item_count - 1, byte_count = byte_count - OLD.byte_count
            WHERE kind = OLD.kind;
        END;
        CREATE TRIGGER IF NOT EXISTS items_recounted AFTER UPDATE OF kind, byte_count ON items BEGIN
            UPDATE queue_totals SET item_count = item_count - 1, byte_count = byte_count - OLD.byte_count
            WHERE kind = OLD.kind;
            UPDATE queue_totals SET item_count = item_count + 1, byte_count = byte_count + NEW.byte_count
            WHERE kind = NEW.kind;
        END;
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
        CREATE TABLE IF NOT EXISTS standing_alerts (
            alert_id TEXT PRIMARY KEY,
            event BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS hold (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            kind TEXT NOT NULL,
            status_code INTEGER NOT NULL,
            message TEXT NOT NULL,
            since INTEGER NOT NULL,
            last_at INTEGER NOT NULL
        );
        """

    /// The columns of `items`, in their order.
    static let itemsColumns = """
        seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('alert', 'status')),
            priority INTEGER NOT NULL,
            payload BLOB NOT NULL,
            byte_count INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER
        """

    /// Counts `queue_totals` again from `items` (one scan of `items_by_kind`): at every opening, so the totals
    /// are right whatever wrote the file before, an agent without the triggers included.
    static let queueRecount = """
        DELETE FROM queue_totals;
        INSERT INTO queue_totals (kind, item_count, byte_count)
            SELECT kinds.kind, count(items.seq), coalesce(sum(items.byte_count), 0)
            FROM (SELECT 'alert' AS kind UNION ALL SELECT 'status') AS kinds
            LEFT JOIN items ON items.kind = kinds.kind GROUP BY kinds.kind;
        """

    /// Rebuilds an `items` table of schema 2 (`AUTOINCREMENT`, two indexes) as schema 3, its rows and their
    /// `seq` kept. Part of the opening transaction; nothing to do on a new file or one of schema 3.
    static let itemsMigration = """
        CREATE TABLE items_v3 (\(itemsColumns));
        INSERT INTO items_v3 (seq, id, kind, priority, payload, byte_count, created_at, attempts, next_attempt_at)
            SELECT seq, id, kind, priority, payload, byte_count, created_at, attempts, next_attempt_at FROM items;
        DROP TABLE items;
        ALTER TABLE items_v3 RENAME TO items;
        """

    /// Largest WAL file kept after a checkpoint, bytes (`PRAGMA journal_size_limit`): the WAL is reused, and
    /// truncated to this after a checkpoint, so it never keeps the size of the largest burst. 4 MiB.
    static let walSizeLimit = 4 << 20

    /// The outbox's page size, bytes (`PRAGMA page_size`): 1 KiB, not SQLite's 4 KiB default. Every insert and
    /// delete rewrites whole pages (the table leaf, three index leaves, `sqlite_sequence`, the header and the
    /// pointer map), in the WAL and again at the checkpoint; with 1 KiB pages a 20 KB status report queued,
    /// acknowledged and checkpointed writes 58 KiB, against 92 KiB with 4 KiB pages (issue 13: flash writes in
    /// standby; measured with Python's sqlite3 on this schema, a checkpoint every 10 reports). The payloads
    /// themselves cost the same either way (overflow pages).
    static let pageSize = 1024

    /// Opens the file, turns on incremental auto-vacuum and the outbox's page size (converting a file made
    /// before them, once, with `VACUUM`), switches to WAL and creates the schema. Runs on the store's thread.
    ///
    /// - Parameter mode: `.readWrite` to refuse creating a file that is not there (the `outbox` command).
    /// - Returns: the connection, and whether this opening created the `standing_alerts` table (a new file, or
    ///   one of an older schema).
    static func openDatabase(
        path: String, busyTimeout: Duration, mode: SQLiteConnection.OpenMode = .readWriteCreate
    ) throws(SQLiteError) -> (connection: SQLiteConnection, createdStandingAlerts: Bool) {
        let connection = try SQLiteConnection(path: path, mode: mode)
        try connection.setBusyTimeout(busyTimeout)
        // Freed pages go back to the file system only with auto-vacuum (issue 12 item 7: 113 MB with nothing
        // queued). It must be set before the first table exists; an older file needs one VACUUM to change.
        if try connection.scalarInt64("PRAGMA auto_vacuum") != 2 {
            try connection.execute("PRAGMA page_size = \(pageSize)")
            try connection.execute("PRAGMA auto_vacuum = INCREMENTAL")
            if try connection.scalarInt64("SELECT count(*) FROM sqlite_schema") ?? 0 > 0 {
                try connection.execute("VACUUM")
            }
        }
        if try connection.scalarInt64("PRAGMA page_size") != Int64(pageSize) {
            convertPageSize(connection)
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
        try connection.execute("BEGIN IMMEDIATE")
        let createdStandingAlerts: Bool
        do {
            let items = try connection.scalarText(
                "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'items'")
            if let items, items.uppercased().contains("AUTOINCREMENT") { try connection.execute(itemsMigration) }
            createdStandingAlerts =
                try connection.scalarInt64("SELECT count(*) FROM sqlite_schema WHERE name = 'standing_alerts'") == 0
            try connection.execute("\(schema); \(queueRecount); PRAGMA user_version = \(schemaVersion); COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
        return (connection, createdStandingAlerts)
    }

    /// Rewrites a file made with another page size (before `pageSize` was set) with `VACUUM`, its items kept.
    /// The page size of a WAL file cannot change, so the file leaves WAL for the rewrite (the caller switches
    /// back). Best effort: when another connection has the file open (the `outbox` command reading it), SQLite
    /// refuses to leave WAL and the file keeps its page size until the next start.
    private static func convertPageSize(_ connection: SQLiteConnection) {
        do {
            guard try connection.setJournalMode(.delete) == .delete else { return }
            try connection.execute("PRAGMA page_size = \(pageSize)")
            try connection.execute("VACUUM")
        } catch {}
    }
}
