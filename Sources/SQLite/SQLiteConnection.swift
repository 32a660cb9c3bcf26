internal import CSQLite

/// One connection to an SQLite database file.
///
/// Not thread-safe and not `Sendable`: a connection is owned by one thread (the outbox opens it on its own
/// thread and never hands it out). The connection is opened with `SQLITE_OPEN_NOMUTEX` for that reason and
/// closed in `deinit`; statements keep their connection alive.
public final class SQLiteConnection {
    /// How to open the file.
    public struct OpenMode: Sendable, Hashable {
        let flags: Int32
        /// Read and write, creating the file if missing. The corresponding C flags are
        /// `SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE`. The default.
        public static let readWriteCreate = OpenMode(flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        /// Read and write; the file must exist. The corresponding C flag is `SQLITE_OPEN_READWRITE`.
        public static let readWrite = OpenMode(flags: SQLITE_OPEN_READWRITE)
        /// Read only; the file must exist. The corresponding C flag is `SQLITE_OPEN_READONLY`.
        public static let readOnly = OpenMode(flags: SQLITE_OPEN_READONLY)
    }

    /// The journal mode, as `PRAGMA journal_mode` names it.
    public enum JournalMode: String, Sendable {
        case delete, truncate, persist, memory, wal, off
    }

    /// When SQLite waits for the disk, as `PRAGMA synchronous` names it.
    public enum SynchronousMode: String, Sendable {
        /// No fsync at all. Not for data that matters.
        case off
        /// In WAL mode, commits are durable after the next checkpoint; a power cut may lose the last commits
        /// but never corrupts the file.
        case normal
        /// In WAL mode, every commit fsyncs the WAL before it returns: a committed transaction survives power loss.
        case full
        /// As `full`, and also fsyncs the directory after deleting a journal.
        case extra
    }

    /// How a transaction takes its locks.
    public enum TransactionKind: String, Sendable {
        /// Locks are taken on first read or write. `BEGIN DEFERRED`.
        case deferred = "DEFERRED"
        /// The write lock is taken at `BEGIN`, so busy errors come early. `BEGIN IMMEDIATE`.
        case immediate = "IMMEDIATE"
        /// As immediate; in WAL mode the same as immediate. `BEGIN EXCLUSIVE`.
        case exclusive = "EXCLUSIVE"
    }

    let handle: OpaquePointer
    /// The path the connection was opened with.
    public let path: String

    /// Opens (and with `.readWriteCreate` creates) the database file at `path`.
    ///
    /// - Parameters:
    ///   - path: file-system path; `":memory:"` opens a private in-memory database.
    ///   - mode: how to open it. The default is `.readWriteCreate`.
    /// - Throws: `SQLiteError` (`.cannotOpen` when the directory is missing or not writable,
    ///   `.notADatabase` on first use of a file that is not a database).
    ///
    /// The corresponding C function is `sqlite3_open_v2`.
    public init(path: String, mode: OpenMode = .readWriteCreate) throws(SQLiteError) {
        var db: OpaquePointer?
        let code = sqlite3_open_v2(path, &db, mode.flags | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let db else {
            let error = SQLiteError(code: code, connection: db, sql: nil)
            sqlite3_close_v2(db)
            throw error
        }
        sqlite3_extended_result_codes(db, 1)
        self.handle = db
        self.path = path
    }

    deinit {
        // close_v2 defers the close until every statement is finalized; statements retain the connection
        // so by now there are none.
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements separated by semicolons, discarding any rows.
    ///
    /// Use for schema and pragmas; use `prepare(_:)` with bound values for anything carrying data.
    /// - Throws: `SQLiteError` with the SQL text.
    ///
    /// The corresponding C function is `sqlite3_exec`.
    public func execute(_ sql: String) throws(SQLiteError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw SQLiteError(code: code, connection: handle, sql: sql) }
    }

    /// Compiles one SQL statement.
    ///
    /// - Throws: `SQLiteError` (`.error` for a syntax error, with SQLite's message and the SQL text).
    ///
    /// The corresponding C function is `sqlite3_prepare_v2`.
    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        try SQLiteStatement(connection: self, sql: sql)
    }

    /// Runs a statement that returns one row with one column and gives that column as text (for example
    /// `PRAGMA journal_mode`, `PRAGMA integrity_check`). Returns `nil` when there is no row or the value is NULL.
    public func scalarText(_ sql: String) throws(SQLiteError) -> String? {
        let statement = try prepare(sql)
        return try statement.step() ? statement.text(at: 0) : nil
    }

    /// Runs a statement that returns one row with one integer column. Returns `nil` when there is no row or
    /// the value is NULL.
    public func scalarInt64(_ sql: String) throws(SQLiteError) -> Int64? {
        let statement = try prepare(sql)
        return try statement.step() && !statement.isNull(at: 0) ? statement.int64(at: 0) : nil
    }

    /// Sets how long a statement retries while another connection holds a lock before failing with `.busy`.
    ///
    /// - Parameter timeout: 0 fails at once; rounded down to whole milliseconds. SQLite's default is 0.
    ///
    /// The corresponding C function is `sqlite3_busy_timeout`.
    public func setBusyTimeout(_ timeout: Duration) throws(SQLiteError) {
        let (seconds, attoseconds) = timeout.components
        let milliseconds = max(0, min(Int64(Int32.max), seconds * 1000 + attoseconds / 1_000_000_000_000_000))
        let code = sqlite3_busy_timeout(handle, Int32(milliseconds))
        guard code == SQLITE_OK else { throw SQLiteError(code: code, connection: handle, sql: nil) }
    }

    /// Sets the journal mode and returns the mode now in effect (SQLite keeps the old mode when it cannot
    /// switch, for example `.wal` on `:memory:`).
    ///
    /// The corresponding statement is `PRAGMA journal_mode = …`.
    @discardableResult
    public func setJournalMode(_ mode: JournalMode) throws(SQLiteError) -> JournalMode? {
        try scalarText("PRAGMA journal_mode = \(mode.rawValue)").flatMap { JournalMode(rawValue: $0.lowercased()) }
    }

    /// Sets when commits wait for the disk. Takes effect for the next transaction; must not be called inside
    /// a transaction.
    ///
    /// The corresponding statement is `PRAGMA synchronous = …`.
    public func setSynchronous(_ mode: SynchronousMode) throws(SQLiteError) {
        try execute("PRAGMA synchronous = \(mode.rawValue)")
    }

    /// Runs `body` inside a transaction: commits when it returns, rolls back when it throws.
    ///
    /// - Parameters:
    ///   - kind: lock behaviour. The default is `.immediate`, so a busy database fails at `BEGIN`.
    ///   - body: the work; may throw any error, which is rethrown after the rollback.
    /// - Throws: `SQLiteError` from `BEGIN`/`COMMIT`, or the error `body` threw.
    public func transaction<Result>(
        _ kind: TransactionKind = .immediate, _ body: () throws -> Result
    ) throws -> Result {
        try execute("BEGIN \(kind.rawValue)")
        let result: Result
        do {
            result = try body()
            try execute("COMMIT")
        } catch {
            if !isAutocommit { try? execute("ROLLBACK") }
            throw error
        }
        return result
    }

    /// Runs `body` inside a transaction whose commit waits for the disk as `synchronous` says, then gives the
    /// connection back its own mode: for the one kind of write that needs other durability than the rest (an
    /// alert in an outbox that is otherwise `normal`; a heartbeat in a registry that is otherwise `full`).
    ///
    /// - Throws: as `transaction(_:_:)`; also `SQLiteError` when the mode cannot be read or set. When only the
    ///   restore fails, the transaction has committed.
    public func transaction<Result>(
        _ kind: TransactionKind = .immediate, synchronous: SynchronousMode, _ body: () throws -> Result
    ) throws -> Result {
        // PRAGMA synchronous answers 0 off, 1 normal, 2 full, 3 extra; anything else is restored as full, the
        // safe side.
        let modes: [SynchronousMode] = [.off, .normal, .full, .extra]
        let answer = try scalarInt64("PRAGMA synchronous").map(Int.init) ?? -1
        let own = modes.indices.contains(answer) ? modes[answer] : .full
        guard own != synchronous else { return try transaction(kind, body) }
        try setSynchronous(synchronous)
        let result = Swift.Result { try transaction(kind, body) }
        try setSynchronous(own)
        return try result.get()
    }

    /// Whether no transaction is open. The corresponding C function is `sqlite3_get_autocommit`.
    public var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE. The corresponding C function is `sqlite3_changes`.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Rowid of the most recent successful INSERT. The corresponding C function is `sqlite3_last_insert_rowid`.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The SQLite library version, for example "3.40.1". The corresponding C function is `sqlite3_libversion`.
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }
}
