import SQLite
import Testing

@Suite("SQLiteStatement")
struct SQLiteStatementTests {
    private func makeTable() throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE v (i INTEGER, d REAL, t TEXT, b BLOB, n)")
        return connection
    }

    @Test("binds and reads back Int64, Double, Text, Blob and Null with their storage classes")
    func roundTrip() throws {
        let connection = try makeTable()
        let insert = try connection.prepare("INSERT INTO v VALUES (?1, ?2, ?3, ?4, ?5)")
        try insert.bind(Int64.min, at: 1)
        try insert.bind(-1.5e300, at: 2)
        try insert.bind("Zürich 🚨 \u{0}tail", at: 3)
        try insert.bind(blob: [0, 1, 0xFE, 0xFF, 0], at: 4)
        try insert.bindNull(at: 5)
        try insert.run()
        #expect(connection.changes == 1)
        #expect(connection.lastInsertRowID == 1)

        let select = try connection.prepare("SELECT i, d, t, b, n FROM v")
        #expect(try select.step())
        #expect(select.columnCount == 5)
        #expect(select.columnType(at: 0) == .integer)
        #expect(select.columnType(at: 1) == .double)
        #expect(select.columnType(at: 2) == .text)
        #expect(select.columnType(at: 3) == .blob)
        #expect(select.columnType(at: 4) == .null)
        #expect(select.int64(at: 0) == Int64.min)
        #expect(select.double(at: 1) == -1.5e300)
        #expect(select.text(at: 2) == "Zürich 🚨 \u{0}tail")
        #expect(select.blob(at: 3) == [0, 1, 0xFE, 0xFF, 0])
        #expect(select.isNull(at: 4))
        #expect(select.text(at: 4) == nil)
        #expect(try select.step() == false)
    }

    @Test("an empty blob is a zero-length BLOB, not NULL")
    func emptyBlob() throws {
        let connection = try makeTable()
        let insert = try connection.prepare("INSERT INTO v (b) VALUES (?1)")
        try insert.bind(blob: [], at: 1)
        try insert.run()
        #expect(try connection.scalarText("SELECT typeof(b) FROM v") == "blob")
        #expect(try connection.scalarInt64("SELECT length(b) FROM v") == 0)
    }

    @Test("reset reruns a statement with its bindings; clearBindings sets them to NULL")
    func resetAndClear() throws {
        let connection = try makeTable()
        let insert = try connection.prepare("INSERT INTO v (i) VALUES (?1)")
        try insert.bind(Int64(7), at: 1)
        try insert.run()
        try insert.run()
        try insert.clearBindings()
        try insert.run()
        #expect(try connection.scalarInt64("SELECT count(*) FROM v WHERE i = 7") == 2)
        #expect(try connection.scalarInt64("SELECT count(*) FROM v WHERE i IS NULL") == 1)

        let select = try connection.prepare("SELECT count(*) FROM v WHERE i = ?1")
        try select.bind(Int64(7), at: 1)
        #expect(try select.step())
        #expect(select.int64(at: 0) == 2)
        try select.reset()
        #expect(try select.step())
        #expect(select.int64(at: 0) == 2)
    }

    @Test("a constraint violation is matched by SQLiteError.constraint, carries the extended code and no bound value")
    func constraintError() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE u (k TEXT UNIQUE)")
        let insert = try connection.prepare("INSERT INTO u (k) VALUES (?1)")
        try insert.bind("secret-token-123", at: 1)
        try insert.run()
        let error = try #require(throws: SQLiteError.self) { try insert.run() }
        #expect(error.primaryCode == 19)
        #expect(error.extendedCode == 2067)  // SQLITE_CONSTRAINT_UNIQUE
        #expect(error.sql == "INSERT INTO u (k) VALUES (?1)")
        #expect(!error.description.contains("secret-token-123"))
        do {
            try insert.run()
            Issue.record("expected a constraint error")
        } catch SQLiteError.constraint {
            // matched by primary code
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("binding an out-of-range parameter index fails with range")
    func rangeError() throws {
        let connection = try makeTable()
        let insert = try connection.prepare("INSERT INTO v (i) VALUES (?1)")
        let error = try #require(throws: SQLiteError.self) { try insert.bind(Int64(1), at: 2) }
        #expect(error.primaryCode == SQLiteError.range.primaryCode)
    }
}
