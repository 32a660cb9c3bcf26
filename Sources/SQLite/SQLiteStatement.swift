internal import CSQLite

/// A compiled SQL statement: bind values, step through rows, read columns, reset and run again.
///
/// Not thread-safe and not `Sendable`; used on its connection's thread. Holds its connection alive and is
/// finalized in `deinit`. Parameter and column indexes follow SQLite: parameters count from 1, columns from 0.
public final class SQLiteStatement {
    /// The storage class of a column value, as `sqlite3_column_type` reports it.
    public enum ColumnType: Sendable, Hashable {
        case integer, double, text, blob, null
    }

    let handle: OpaquePointer
    let connection: SQLiteConnection
    /// The SQL text this statement was compiled from (no bound values).
    public let sql: String

    init(connection: SQLiteConnection, sql: String) throws(SQLiteError) {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection.handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw SQLiteError(
                code: code == SQLITE_OK ? SQLITE_MISUSE : code, connection: connection.handle, sql: sql)
        }
        self.handle = statement
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    private func check(_ code: Int32) throws(SQLiteError) {
        guard code == SQLITE_OK else { throw SQLiteError(code: code, connection: connection.handle, sql: sql) }
    }

    /// Binds a 64-bit integer to parameter `index` (1-based). The corresponding C function is `sqlite3_bind_int64`.
    public func bind(_ value: Int64, at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    /// Binds a double to parameter `index` (1-based). The corresponding C function is `sqlite3_bind_double`.
    public func bind(_ value: Double, at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_double(handle, index, value))
    }

    /// Binds UTF-8 text to parameter `index` (1-based); SQLite copies it. The corresponding C function is
    /// `sqlite3_bind_text` with `SQLITE_TRANSIENT`.
    public func bind(_ value: String, at index: Int32) throws(SQLiteError) {
        let code = value.utf8CString.withUnsafeBufferPointer { buffer in
            sqlite3_bind_text(handle, index, buffer.baseAddress, Int32(buffer.count - 1), sqliteTransient)
        }
        try check(code)
    }

    /// Binds bytes as a BLOB to parameter `index` (1-based); SQLite copies them. An empty array binds a
    /// zero-length BLOB, not NULL. The corresponding C function is `sqlite3_bind_blob` with `SQLITE_TRANSIENT`.
    public func bind(blob value: [UInt8], at index: Int32) throws(SQLiteError) {
        let code = value.withUnsafeBytes { bytes in
            bytes.baseAddress.map { sqlite3_bind_blob(handle, index, $0, Int32(bytes.count), sqliteTransient) }
                ?? sqlite3_bind_zeroblob(handle, index, 0)
        }
        try check(code)
    }

    /// Binds NULL to parameter `index` (1-based). The corresponding C function is `sqlite3_bind_null`.
    public func bindNull(at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_null(handle, index))
    }

    /// Evaluates the statement one step.
    ///
    /// - Returns: `true` when a row is available to read, `false` when the statement has finished.
    /// - Throws: `SQLiteError` (`.busy`, `.constraint`, …) with the SQL text.
    ///
    /// The corresponding C function is `sqlite3_step`.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw SQLiteError(code: code, connection: connection.handle, sql: sql)
        }
    }

    /// Steps until done, ignoring rows: for INSERT, UPDATE, DELETE. Then resets, keeping the bindings.
    public func run() throws(SQLiteError) {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    /// Rewinds the statement so it can run again; bindings are kept. The corresponding C function is
    /// `sqlite3_reset`.
    public func reset() throws(SQLiteError) {
        try check(sqlite3_reset(handle))
    }

    /// Sets every parameter back to NULL. The corresponding C function is `sqlite3_clear_bindings`.
    public func clearBindings() throws(SQLiteError) {
        try check(sqlite3_clear_bindings(handle))
    }

    /// Number of columns in a result row. The corresponding C function is `sqlite3_column_count`.
    public var columnCount: Int32 { sqlite3_column_count(handle) }

    /// The storage class of column `index` (0-based) in the current row. The corresponding C function is
    /// `sqlite3_column_type`.
    public func columnType(at index: Int32) -> ColumnType {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: .integer
        case SQLITE_FLOAT: .double
        case SQLITE_TEXT: .text
        case SQLITE_BLOB: .blob
        default: .null
        }
    }

    /// Whether column `index` (0-based) is NULL in the current row.
    public func isNull(at index: Int32) -> Bool { columnType(at: index) == .null }

    /// Column `index` (0-based) as a 64-bit integer (NULL reads as 0: check `isNull` first where it matters).
    /// The corresponding C function is `sqlite3_column_int64`.
    public func int64(at index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// Column `index` (0-based) as a double. The corresponding C function is `sqlite3_column_double`.
    public func double(at index: Int32) -> Double { sqlite3_column_double(handle, index) }

    /// Column `index` (0-based) as UTF-8 text, or `nil` when NULL. The corresponding C function is
    /// `sqlite3_column_text`.
    public func text(at index: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, index) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Column `index` (0-based) as bytes; NULL and a zero-length BLOB both read as `[]`. The corresponding C
    /// function is `sqlite3_column_blob`.
    public func blob(at index: Int32) -> [UInt8] {
        guard let pointer = sqlite3_column_blob(handle, index) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, index))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies the bound value before the bind call returns.
private let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
