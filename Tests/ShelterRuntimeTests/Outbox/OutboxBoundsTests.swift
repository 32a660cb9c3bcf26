import FoundationEssentials
import Logging
import SQLite
import ShelterCore
import ShelterRuntime
import ShelterTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 12 item 7 on real SQLite files: the file shrinks after a drain, dead letters count and expire, a file
/// from the previous version is converted, and the hold and dead letters are kept where a person can see them.
@Suite("SQLiteOutboxStore bounds, hold and dead letters")
struct OutboxBoundsTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let logger = Logger(label: "test")

    /// Bytes of the database file and its WAL.
    static func fileBytes(_ path: String) -> Int {
        [path, path + "-wal"].reduce(0) { total, file in
            var info = stat()
            return total + (stat(file, &info) == 0 ? Int(info.st_size) : 0)
        }
    }

    static func batch(_ ids: [String], _ kind: OutboxKind = .status) -> OutboxBatch {
        OutboxBatch(kind: kind, entries: ids.map { OutboxEntry(id: $0, kind: kind, createdAt: .init(), byteCount: 1) })
    }

    @Test("after a drain the file gives its pages back: 20 MiB of reports queued, then delivered, leave under 2 MiB")
    func fileShrinksAfterDrain() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("o.sqlite")
        let store = try await SQLiteOutboxStore.open(path: path, logger: logger)
        let ids = (1...2000).map { "r\($0)" }
        for id in ids { store.enqueueStatus(id: id, payload: TestPayload.status(id, filler: 10_000), createdAt: t0) }
        try await store.flush()
        let full = Self.fileBytes(path)
        #expect(full > 20_000_000)
        for start in stride(from: 0, to: ids.count, by: 100) {
            try await store.apply(.acknowledge(Self.batch(Array(ids[start..<start + 100]))), now: t0)
        }
        while try await store.reclaimSpace() {}
        let drained = Self.fileBytes(path)
        print("outbox file: \(full) bytes with 2000 reports queued, \(drained) bytes after the drain")
        #expect(drained < 2 << 20)
        let reader = try SQLiteConnection(path: path, mode: .readOnly)
        #expect(try reader.scalarInt64("PRAGMA auto_vacuum") == 2)
    }

    @Test("a file of schema version 1 is converted to incremental auto-vacuum and keeps its items")
    func convertsVersionOne() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("o.sqlite")
        try Self.makeOldFile(
            at: path,
            """
            \(Self.itemsTable);
            INSERT INTO items (id, kind, priority, payload, byte_count, created_at) VALUES ('e1', 'alert', 0, x'7b7d', 2, 0);
            PRAGMA user_version = 1;
            """)
        let store = try await SQLiteOutboxStore.open(path: path, logger: logger)
        #expect(try await store.snapshot(headLimit: 5).alerts.head.map(\.id) == ["e1"])
        let reader = try SQLiteConnection(path: path, mode: .readOnly)
        #expect(try reader.scalarInt64("PRAGMA auto_vacuum") == 2)
        #expect(try reader.scalarInt64("PRAGMA user_version") == 4)
    }

    @Test("a file of schema version 2 gets items without AUTOINCREMENT and one covering index, its rows and order kept")
    func convertsVersionTwo() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("o.sqlite")
        try Self.makeOldFile(
            at: path, pageSize: 1024,
            """
            \(Self.itemsTable);
            CREATE INDEX items_by_kind_seq ON items (kind, seq);
            CREATE INDEX items_by_kind_age ON items (kind, created_at, byte_count);
            INSERT INTO items (seq, id, kind, priority, payload, byte_count, created_at)
                VALUES (7, 'r7', 'status', 1, x'7b7d', 2, 0), (9, 'e9', 'alert', 0, x'7b7d', 2, 0),
                       (12, 'r12', 'status', 1, x'7b7d', 2, 0);
            PRAGMA user_version = 2;
            """)
        let store = try await SQLiteOutboxStore.open(path: path, logger: logger)
        store.enqueueStatus(id: "r13", payload: TestPayload.status("r13"), createdAt: t0)
        try await store.flush()
        #expect(try await store.snapshot(headLimit: 5).status.head.map(\.id) == ["r7", "r12", "r13"])
        #expect(try await store.snapshot(headLimit: 5).alerts.head.map(\.id) == ["e9"])
        let reader = try SQLiteConnection(path: path, mode: .readOnly)
        #expect(try reader.scalarInt64("PRAGMA user_version") == 4)
        #expect(try reader.scalarInt64("SELECT seq FROM items WHERE id = 'r13'") == 13)
        let table = try #require(try reader.scalarText("SELECT sql FROM sqlite_schema WHERE name = 'items'"))
        #expect(!table.uppercased().contains("AUTOINCREMENT"))
        #expect(
            try reader.scalarText(
                "SELECT group_concat(name) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'items' AND sql IS NOT NULL"
            ) == "items_by_kind")
        // The oldest, the eviction scan and the totals when counted read the index alone, never a payload's
        // overflow pages; the oldest stops at the first entry.
        for query in [
            "SELECT created_at FROM items WHERE kind = 'status' ORDER BY seq LIMIT 1",
            "SELECT seq, byte_count FROM items WHERE kind = 'status' ORDER BY seq",
            "SELECT count(*), total(byte_count) FROM items WHERE kind = 'status'",
        ] {
            let explain = try reader.prepare("EXPLAIN QUERY PLAN \(query)")
            var plan: [String] = []
            while try explain.step() { plan.append(explain.text(at: 3) ?? "") }
            #expect(plan == ["SEARCH items USING COVERING INDEX items_by_kind (kind=?)"], "\(query)")
        }
    }

    @Test("a file of schema version 3 gets queue totals counted from its items, and they follow from there")
    func convertsVersionThree() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("o.sqlite")
        try Self.makeOldFile(
            at: path, pageSize: 1024,
            """
            CREATE TABLE items (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, priority INTEGER
                NOT NULL, payload BLOB NOT NULL, byte_count INTEGER NOT NULL, created_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER);
            CREATE INDEX items_by_kind ON items (kind, seq, created_at, byte_count);
            INSERT INTO items (id, kind, priority, payload, byte_count, created_at)
                VALUES ('r1', 'status', 1, x'7b7d', 2, 5000), ('e1', 'alert', 0, x'7b7d7d', 3, 6000),
                       ('r2', 'status', 1, x'7b7d', 7, 4000);
            PRAGMA user_version = 3;
            """)
        let store = try await SQLiteOutboxStore.open(path: path, logger: logger)
        var snapshot = try await store.snapshot(headLimit: 0)
        #expect(snapshot.status.count == 2 && snapshot.status.byteCount == 9 && snapshot.alerts.count == 1)
        // The first in queue order, though r2 carries the earlier time (a clock set back between the two).
        #expect(snapshot.status.oldestCreatedAt == Date(timeIntervalSince1970: 5))
        // The forwarder's snapshot takes it from the head it reads: the same time.
        #expect(try await store.snapshot(headLimit: 5).status.oldestCreatedAt == Date(timeIntervalSince1970: 5))
        try await store.apply(.acknowledge(Self.batch(["r1"])), now: t0)
        snapshot = try await store.snapshot(headLimit: 0)
        #expect(snapshot.status.count == 1 && snapshot.status.byteCount == 7)
        #expect(snapshot.status.oldestCreatedAt == Date(timeIntervalSince1970: 4))
        let reader = try SQLiteConnection(path: path, mode: .readOnly)
        #expect(try reader.scalarInt64("PRAGMA user_version") == 4)
    }

    @Test("the queue totals follow every write, from any connection, and are counted again on opening")
    func queueTotalsFollowEveryWrite() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("o.sqlite")
        var store: SQLiteOutboxStore? = try await SQLiteOutboxStore.open(path: path, logger: logger)
        let reader = try SQLiteConnection(path: path)
        // The totals the snapshot gives, against a count of `items` itself.
        func expectCounted(_ note: Comment, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let snapshot = try #require(try await store?.snapshot(headLimit: 0))
            for kind in [OutboxKind.alert, .status] {
                let counted = try reader.prepare(
                    "SELECT count(*), total(byte_count) FROM items WHERE kind = '\(kind.rawValue)'")
                _ = try counted.step()
                #expect(
                    snapshot[kind].count == Int(counted.int64(at: 0))
                        && snapshot[kind].byteCount == Int(counted.double(at: 1)),
                    "\(note): \(kind)", sourceLocation: sourceLocation)
            }
        }
        for index in 1...6 {
            store?.enqueueStatus(
                id: "r\(index)", payload: TestPayload.status("r\(index)", filler: 10 * index),
                createdAt: t0 + Double(index))
        }
        store?.enqueueStatus(id: "r2", payload: TestPayload.status("r2"), createdAt: t0)  // ignored: queued already
        try await store?.flush()
        try await store?.enqueueAlert(id: "e1", payload: TestPayload.alert("e1"), createdAt: t0)
        try await store?.enqueueAlert(id: "e2", payload: TestPayload.alert("e2"), createdAt: t0)
        try await expectCounted("queued")
        #expect(try await store?.snapshot(headLimit: 0).status.count == 6)
        #expect(try await store?.snapshot(headLimit: 0).status.oldestCreatedAt == t0 + 1)

        try await store?.apply(.acknowledge(Self.batch(["r1", "r2"])), now: t0)
        try await store?.apply(.acknowledge(Self.batch(["e1"], .alert)), now: t0)
        try await expectCounted("acknowledged")
        #expect(try await store?.snapshot(headLimit: 0).status.oldestCreatedAt == t0 + 3)
        try await store?.apply(.deadLetter(Self.batch(["r3"]), reason: .init(rejectedWith: 422)), now: t0)
        try await expectCounted("dead-lettered")
        #expect(try await store?.retryDeadLetters(id: "r3") == ["r3"])
        try await expectCounted("put back")
        #expect(try await store?.evict(OutboxEviction(kind: .status, bytesToFree: 1)) == 1)
        try await expectCounted("evicted over the byte bound")
        // r5 and r3 (put back at the end of the queue, its creation time kept) are older than r6.
        #expect(try await store?.evict(OutboxEviction(kind: .status, createdBefore: t0 + 6)) == 2)
        try await expectCounted("evicted over the age bound")

        // Another connection writes, as `shelter-agent outbox` does: the triggers count it too.
        try reader.execute(
            """
            INSERT INTO items (id, kind, priority, payload, byte_count, created_at) VALUES ('r9', 'status', 1, x'7b7d', 2, 0);
            UPDATE items SET byte_count = 5 WHERE id = 'r9';
            DELETE FROM items WHERE id = 'e2';
            """)
        try await expectCounted("written by another connection")
        #expect(try await store?.snapshot(headLimit: 0).alerts.oldestCreatedAt == nil)

        // Totals left wrong (by a file written without the triggers) are counted again when the file opens.
        try reader.execute("UPDATE queue_totals SET item_count = 999, byte_count = 999")
        store = nil
        store = try await SQLiteOutboxStore.open(path: path, logger: logger)
        try await expectCounted("reopened")
        #expect(try await store?.snapshot(headLimit: 0).status.count == 2)
    }

    /// Makes a file as an older agent left it: `pageSize` and incremental auto-vacuum when given (schema 2),
    /// WAL, then `sql` (its tables, rows and `user_version`).
    static func makeOldFile(at path: String, pageSize: Int? = nil, _ sql: String) throws {
        let old = try SQLiteConnection(path: path)
        if let pageSize { try old.execute("PRAGMA page_size = \(pageSize); PRAGMA auto_vacuum = INCREMENTAL") }
        _ = try old.setJournalMode(.wal)
        try old.execute(sql)
    }

    /// The `items` table as schema versions 1 and 2 have it.
    static let itemsTable = """
        CREATE TABLE items (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
            priority INTEGER NOT NULL, payload BLOB NOT NULL, byte_count INTEGER NOT NULL,
            created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER)
        """

    @Test("a file made with 4 KiB pages is rewritten with 1 KiB pages on open, its items kept, back in WAL")
    func convertsPageSize() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("o.sqlite")
        try Self.makeOldFile(
            at: path, pageSize: 4096,
            """
            \(Self.itemsTable);
            INSERT INTO items (id, kind, priority, payload, byte_count, created_at) VALUES ('e1', 'alert', 0, x'7b7d', 2, 0);
            PRAGMA user_version = 2;
            """)
        #expect(try SQLiteConnection(path: path, mode: .readOnly).scalarInt64("PRAGMA page_size") == 4096)
        let store = try await SQLiteOutboxStore.open(path: path, logger: logger)
        #expect(try await store.snapshot(headLimit: 5).alerts.head.map(\.id) == ["e1"])
        let reader = try SQLiteConnection(path: path, mode: .readOnly)
        #expect(try reader.scalarInt64("PRAGMA page_size") == 1024)
        #expect(try reader.scalarText("PRAGMA journal_mode") == "wal")
        #expect(try reader.scalarInt64("PRAGMA auto_vacuum") == 2)
    }

    @Test("while another connection has an old file open, it opens with its page size kept, and is converted later")
    func pageSizeConversionWaitsForReaders() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("o.sqlite")
        var old: SQLiteConnection? = try SQLiteConnection(path: path)
        try old?.execute("PRAGMA page_size = 4096; PRAGMA auto_vacuum = INCREMENTAL")
        _ = try old?.setJournalMode(.wal)
        try old?.execute("\(Self.itemsTable); PRAGMA user_version = 2;")
        do {
            let store = try await SQLiteOutboxStore.open(path: path, logger: logger)
            try await store.enqueueAlert(id: "e1", payload: TestPayload.alert("e1"), createdAt: t0)
            #expect(try old?.scalarInt64("PRAGMA page_size") == 4096)
            #expect(try old?.scalarText("PRAGMA journal_mode") == "wal")
            await store.close()
        }
        old = nil  // closes it
        let store = try await SQLiteOutboxStore.open(path: path, logger: logger)
        #expect(try await store.snapshot(headLimit: 5).alerts.head.map(\.id) == ["e1"])
        let reader = try SQLiteConnection(path: path, mode: .readOnly)
        #expect(try reader.scalarInt64("PRAGMA page_size") == 1024)
    }

    @Test("a hold keeps every item, is in the statistics, ends on delivery, and a restart releases it")
    func holdIsKeptAndReleased() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        try await store.enqueueAlert(id: "e1", payload: TestPayload.alert("e1"), createdAt: t0)
        let fault = try #require(UplinkFault.classify(statusCode: 403, refusal: nil, request: "alerts upload"))
        let batch = Self.batch(["e1"], .alert)
        try await store.apply(.hold(batch, fault: fault, notBefore: t0.addingTimeInterval(60)), now: t0)
        var statistics = try await store.statistics()
        #expect(statistics.hold == OutboxHold(message: fault.message, since: t0, statusCode: 403))
        #expect(statistics.deadLetterCount == 0 && statistics.alertCount == 1)
        #expect(try await store.snapshot(headLimit: 1).alerts.head.first?.notBefore == t0.addingTimeInterval(60))

        #expect(try await store.releaseHold()?.message == fault.message)
        statistics = try await store.statistics()
        #expect(statistics.hold == nil)
        #expect(try await store.snapshot(headLimit: 1).alerts.head.first?.notBefore == nil)
        #expect(try await store.releaseHold() == nil)

        try await store.apply(.hold(batch, fault: fault, notBefore: t0), now: t0)
        try await store.apply(.acknowledge(batch), now: t0)
        #expect(try await store.statistics().hold == nil)
    }

    @Test("a dead letter keeps the registry's words and can be put back at the end of its queue")
    func deadLetterRetried() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        for id in ["r1", "r2", "r3"] { store.enqueueStatus(id: id, payload: TestPayload.status(id), createdAt: t0) }
        try await store.flush()
        let reason = DeadLetterReason(rejectedWith: 422, detail: "invalid_body: bad")
        try await store.apply(.deadLetter(Self.batch(["r1"]), reason: reason), now: t0)
        let letter = try #require(try await store.deadLetter(id: "r1"))
        #expect(letter.reason == "rejected by the registry with HTTP 422: invalid_body: bad")
        #expect(letter.statusCode == 422 && letter.deadAt == t0 && letter.payload == TestPayload.status("r1"))
        #expect(try await store.statistics().deadLetterByteCount == TestPayload.status("r1").count)

        #expect(try await store.retryDeadLetters(id: "nope").isEmpty)
        #expect(try await store.retryDeadLetters(id: "r1") == ["r1"])
        #expect(try await store.deadLetters().isEmpty)
        #expect(try await store.snapshot(headLimit: 5).status.head.map(\.id) == ["r2", "r3", "r1"])
    }

    @Test("dead letters are evicted over their age and counted")
    func deadLettersExpire() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteOutboxStore.open(path: directory.file("o.sqlite"), logger: logger)
        for id in ["r1", "r2"] { store.enqueueStatus(id: id, payload: TestPayload.status(id), createdAt: t0) }
        try await store.flush()
        try await store.apply(.deadLetter(Self.batch(["r1"]), reason: .init(rejectedWith: 400)), now: t0)
        try await store.apply(.deadLetter(Self.batch(["r2"]), reason: .init(rejectedWith: 400)), now: t0 + 10)
        #expect(try await store.snapshot(headLimit: 1).deadLetters.count == 2)
        #expect(try await store.evict(.deadLetters(createdBefore: t0 + 5)) == 1)
        let statistics = try await store.statistics()
        #expect(
            statistics.deadLetterCount == 1 && statistics.expiredDeadLetterCount == 1 && statistics.evictedCount == 1)
        #expect(try await store.evict(.deadLetters(bytesToFree: 1)) == 1)
        #expect(try await store.deadLetters().isEmpty)
    }
}

extension Date {
    fileprivate static func + (date: Date, seconds: Double) -> Date { date.addingTimeInterval(seconds) }
}
