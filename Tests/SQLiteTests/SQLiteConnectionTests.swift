import FoundationEssentials
import SQLite
import Testing
import ShelterTesting

@Suite("SQLiteConnection")
struct SQLiteConnectionTests {
    @Test("opens a new file in WAL mode with the busy timeout and synchronous mode set")
    func opensInWALMode() throws {
        let directory = try TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.file("a.sqlite"))
        #expect(try connection.setJournalMode(.wal) == .wal)
        try connection.setBusyTimeout(.milliseconds(1500))
        try connection.setSynchronous(.full)
        #expect(try connection.scalarInt64("PRAGMA synchronous") == 2)
        try connection.setSynchronous(.normal)
        #expect(try connection.scalarInt64("PRAGMA synchronous") == 1)
        #expect(try connection.scalarText("PRAGMA journal_mode") == "wal")
        #expect(SQLiteConnection.libraryVersion.hasPrefix("3."))
    }

    @Test("a missing directory fails with cannotOpen and SQLite's message")
    func missingDirectory() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: SQLiteError.cannotOpen) {
            try SQLiteConnection(path: directory.file("missing/a.sqlite"))
        }
    }

    @Test("a file that is not a database fails with notADatabase on first use")
    func notADatabase() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("junk.sqlite")
        let junk = Array(repeating: UInt8(ascii: "x"), count: 4096)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(junk)))
        let connection = try SQLiteConnection(path: path)
        let error = try #require(throws: SQLiteError.self) { try connection.execute("SELECT * FROM sqlite_master") }
        #expect(error.primaryCode == SQLiteError.notADatabase.primaryCode)
        #expect(error.sql == "SELECT * FROM sqlite_master")
    }

    @Test("a syntax error carries the SQL text and SQLite's message")
    func syntaxError() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        let error = try #require(throws: SQLiteError.self) { try connection.prepare("SELEC 1") }
        #expect(error.primaryCode == 1)
        #expect(error.message.contains("syntax error"))
        #expect(error.sql == "SELEC 1")
        #expect(error.description.contains("SELEC 1"))
    }

    @Test("a transaction commits when the body returns and rolls back when it throws")
    func transactions() throws {
        let directory = try TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.file("t.sqlite"))
        try connection.execute("CREATE TABLE t (x INTEGER NOT NULL)")
        let insert = try connection.prepare("INSERT INTO t (x) VALUES (?1)")
        try connection.transaction {
            try insert.bind(Int64(1), at: 1)
            try insert.run()
            try insert.bind(Int64(2), at: 1)
            try insert.run()
        }
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try connection.transaction {
                try insert.bind(Int64(3), at: 1)
                try insert.run()
                throw Abort()
            }
        }
        #expect(connection.isAutocommit)
        #expect(try connection.scalarInt64("SELECT count(*) FROM t") == 2)
        #expect(try connection.scalarInt64("SELECT sum(x) FROM t") == 3)
    }

    @Test("a transaction with its own synchronous mode commits in it and gives the connection back its mode")
    func transactionWithItsOwnMode() throws {
        let directory = try TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.file("s.sqlite"))
        _ = try connection.setJournalMode(.wal)
        try connection.setSynchronous(.normal)
        try connection.execute("CREATE TABLE t (x INTEGER NOT NULL)")
        let during = try connection.transaction(synchronous: .full) {
            try connection.execute("INSERT INTO t (x) VALUES (1)")
            return try connection.scalarInt64("PRAGMA synchronous")
        }
        #expect(during == 2)
        #expect(try connection.scalarInt64("PRAGMA synchronous") == 1)
        // Restored after a body that throws too, and the transaction rolled back.
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try connection.transaction(synchronous: .full) {
                try connection.execute("INSERT INTO t (x) VALUES (2)")
                throw Abort()
            }
        }
        #expect(try connection.scalarInt64("PRAGMA synchronous") == 1)
        #expect(try connection.scalarInt64("SELECT sum(x) FROM t") == 1)
    }

    @Test("a second connection waiting on a write lock fails with busy after its timeout")
    func busy() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("busy.sqlite")
        let first = try SQLiteConnection(path: path)
        try first.setJournalMode(.wal)
        try first.execute("CREATE TABLE t (x)")
        let second = try SQLiteConnection(path: path)
        try second.setBusyTimeout(.milliseconds(50))
        try first.execute("BEGIN IMMEDIATE")
        let error = try #require(throws: SQLiteError.self) { try second.execute("BEGIN IMMEDIATE") }
        #expect(error.primaryCode == SQLiteError.busy.primaryCode)
        try first.execute("COMMIT")
        try second.execute("BEGIN IMMEDIATE; COMMIT")
    }
}
