internal import CSQLite

/// An error reported by SQLite: the primary and extended result codes, SQLite's message and the SQL text
/// that failed.
///
/// Bound values are never included: they may hold payloads or tokens (GRDB's `publicStatementArguments`
/// lesson). `catch SQLiteError.busy` matches on the primary code, whatever the extended code.
public struct SQLiteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The extended result code (for example 2067, `SQLITE_CONSTRAINT_UNIQUE`). Its low byte is the primary code.
    public var extendedCode: Int32
    /// SQLite's message (`sqlite3_errmsg`), or `sqlite3_errstr` of the code when no connection is at hand.
    public var message: String
    /// The SQL text of the statement that failed, if any. Never contains bound values.
    public var sql: String?

    /// The primary result code (for example 19, `SQLITE_CONSTRAINT`).
    public var primaryCode: Int32 { extendedCode & 0xFF }

    /// Creates an error from an extended result code, a message and the SQL text.
    public init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    /// A matcher for a primary code only (`catch SQLiteError.busy`).
    private init(primary code: Int32) {
        self.init(extendedCode: code, message: String(cString: sqlite3_errstr(code)))
    }

    /// Generic error. The corresponding C code is `SQLITE_ERROR`.
    public static var error: SQLiteError { SQLiteError(primary: SQLITE_ERROR) }
    /// The database file is locked by another connection. The corresponding C code is `SQLITE_BUSY`.
    public static var busy: SQLiteError { SQLiteError(primary: SQLITE_BUSY) }
    /// A table is locked within this connection. The corresponding C code is `SQLITE_LOCKED`.
    public static var locked: SQLiteError { SQLiteError(primary: SQLITE_LOCKED) }
    /// Disk I/O error. The corresponding C code is `SQLITE_IOERR`.
    public static var ioError: SQLiteError { SQLiteError(primary: SQLITE_IOERR) }
    /// The database disk image is malformed. The corresponding C code is `SQLITE_CORRUPT`.
    public static var corrupt: SQLiteError { SQLiteError(primary: SQLITE_CORRUPT) }
    /// The database or disk is full. The corresponding C code is `SQLITE_FULL`.
    public static var full: SQLiteError { SQLiteError(primary: SQLITE_FULL) }
    /// The database file cannot be opened. The corresponding C code is `SQLITE_CANTOPEN`.
    public static var cannotOpen: SQLiteError { SQLiteError(primary: SQLITE_CANTOPEN) }
    /// A constraint (UNIQUE, NOT NULL, CHECK, …) was violated. The corresponding C code is `SQLITE_CONSTRAINT`.
    public static var constraint: SQLiteError { SQLiteError(primary: SQLITE_CONSTRAINT) }
    /// Data type mismatch. The corresponding C code is `SQLITE_MISMATCH`.
    public static var mismatch: SQLiteError { SQLiteError(primary: SQLITE_MISMATCH) }
    /// The library was used incorrectly (for example a closed statement). The corresponding C code is
    /// `SQLITE_MISUSE`.
    public static var misuse: SQLiteError { SQLiteError(primary: SQLITE_MISUSE) }
    /// A parameter index is out of range. The corresponding C code is `SQLITE_RANGE`.
    public static var range: SQLiteError { SQLiteError(primary: SQLITE_RANGE) }
    /// The file is not a database. The corresponding C code is `SQLITE_NOTADB`.
    public static var notADatabase: SQLiteError { SQLiteError(primary: SQLITE_NOTADB) }

    /// Matches on the primary code, so `catch SQLiteError.constraint` catches every constraint violation.
    public static func ~= (pattern: SQLiteError, value: any Error) -> Bool {
        guard let value = value as? SQLiteError else { return false }
        return value.primaryCode == pattern.primaryCode
    }

    public var description: String {
        var text = "SQLite error \(extendedCode): \(message)"
        if let sql { text += " (while executing `\(sql)`)" }
        return text
    }
}

extension SQLiteError {
    /// The error for `code` as the connection reports it, read right after the failing call.
    init(code: Int32, connection: OpaquePointer?, sql: String?) {
        let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
        // sqlite3_errmsg describes the most recent failure on this connection; fall back to the code's text.
        let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        self.init(extendedCode: (extended & 0xFF) == (code & 0xFF) ? extended : code, message: message, sql: sql)
    }
}
