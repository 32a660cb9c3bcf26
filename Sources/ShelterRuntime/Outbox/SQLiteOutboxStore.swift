public import FoundationEssentials
public import Logging
internal import SQLite
public import ShelterCore
import Synchronization
internal import Platform

/// The durable outbox: alert events and status reports waiting for the registry, in an SQLite file in WAL mode.
///
/// - An alert is committed with `synchronous = FULL` before `enqueueAlert` returns: once the caller has it
///   back, the alert survives `kill -9` and power loss (DESIGN §7).
/// - Status reports go through a bounded in-memory hand-off (`enqueueStatus` never blocks and never waits for
///   the disk) and are committed in batches with `synchronous = NORMAL`. While the registry accepts batches,
///   the forwarder sends new reports straight from the hand-off (`takeReportsToSendDirectly`), and a report
///   the registry acknowledges is never written: each report through the file cost about 80 KiB of flash
///   writes (WAL frames and the `-shm` index for its insert and its delete; writeback tracepoint), and the
///   reference site wrote 0.62 MB an hour in standby and 5.5 activated, 0.37 and 0–0.8 since (`Scripts/bench`;
///   issue 13: standby ≤ 0.5 MB/h). A report not acknowledged within `directSendGrace` is committed anyway, so
///   a crash loses at most that much (site policy).
/// - Payloads are opaque JSON bytes with their own id (`reportId` / `eventId`); the store never parses them.
///
/// Every database call runs on the store's own thread (the actor's executor), never on the Swift concurrency
/// pool. Thread-safe (an actor).
public actor SQLiteOutboxStore {
    /// Knobs of the store.
    public struct Configuration: Sendable, Hashable {
        /// Most status reports held in memory before the store thread commits them; beyond it the oldest
        /// pending report is dropped (and counted) so callers never wait. The default is 10 000.
        public var handOffCapacity: Int
        /// How long a write waits for a lock held by another connection. The default is 5 seconds.
        public var busyTimeout: Duration
        /// While reports are sent directly, longest a report stays in memory only (in the hand-off or in a
        /// request not yet answered) before it is committed: what a crash or power loss may lose. The default
        /// is 5 seconds (site policy); a healthy registry answers in milliseconds.
        public var directSendGrace: Duration

        /// Creates a configuration with the defaults.
        public init(
            handOffCapacity: Int = 10_000, busyTimeout: Duration = .seconds(5), directSendGrace: Duration = .seconds(5)
        ) {
            precondition(handOffCapacity >= 1, "handOffCapacity must be positive")
            self.handOffCapacity = handOffCapacity
            self.busyTimeout = busyTimeout
            self.directSendGrace = directSendGrace
        }
    }

    /// One item the registry refused, as kept in the dead-letter table.
    public struct DeadLetter: Sendable, Hashable {
        /// The payload's id.
        public var id: String
        /// Alert event or status report.
        public var kind: OutboxKind
        /// The HTTP status the registry answered with.
        public var statusCode: Int?
        /// Why it is a dead letter: the status and the registry's own words.
        public var reason: String
        /// The payload bytes as queued.
        public var payload: [UInt8]
        /// When the agent queued it.
        public var createdAt: Date
        /// When it became a dead letter.
        public var deadAt: Date
        /// Failed attempts before it became a dead letter.
        public var attempts: Int

        /// Size of the payload, bytes.
        public var byteCount: Int { payload.count }
    }

    /// A status report held in memory: in the hand-off, or taken by the forwarder to send directly.
    public struct PendingReport: Sendable {
        /// The report's `reportId`.
        public var id: String
        /// The report as JSON bytes.
        public var payload: [UInt8]
        /// When the report was made.
        public var createdAt: Date

        /// What the outbox policy knows of it: a new status entry.
        public var entry: OutboxEntry {
            OutboxEntry(id: id, kind: .status, createdAt: createdAt, byteCount: payload.count)
        }
    }

    struct HandOff: Sendable {
        var pending: [PendingReport] = []
        var isFlushScheduled = false
        /// Whether a flush after `directSendGrace` is scheduled (sending directly).
        var isGraceFlushScheduled = false
        var droppedCount = 0
        /// Whether the forwarder sends new reports from the hand-off (`setSendsDirectly`).
        var sendsDirectly = false
        /// The reports the forwarder took to send directly, until `finishDirectSend`.
        var inFlight: [PendingReport] = []
        /// Those of `inFlight` a flush committed meanwhile (their answer was late).
        var committedInFlight: Set<String> = []

        /// Reports of `inFlight` not committed.
        var uncommittedInFlight: [PendingReport] { inFlight.filter { !committedInFlight.contains($0.id) } }
    }

    /// The file path.
    public nonisolated let path: String
    /// The knobs in force.
    public nonisolated let configuration: Configuration
    private let executor: ThreadExecutor
    private let handOff = Mutex(HandOff())
    private let wake = WakeSignal()
    private let retrySignal = WakeSignal()
    private var hasReclaimedSinceCheckpoint = false
    let logger: Logger
    private var database: OutboxDatabase?
    /// Whether this opening created the `standing_alerts` table (a new file, or one of schema 2 or older): the
    /// agent then adopts the alerts an older agent saved in the state directory (`adoptStandingAlerts`), once.
    public private(set) var adoptsLegacyAlerts = false

    /// Runs every isolated method on the store's dedicated thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private init(path: String, configuration: Configuration, logger: Logger) {
        self.path = path
        self.configuration = configuration
        self.logger = logger
        self.executor = ThreadExecutor(name: "outbox-sqlite")
    }

    deinit {
        // No job can arrive once the last reference is gone, so the thread may end here (not in `close()`).
        executor.shutdown()
    }

    /// Opens (creating if needed) the outbox database at `path` on the store's own thread.
    ///
    /// - Parameters:
    ///   - path: the database file; its directory must exist. SQLite adds `-wal` and `-shm` files next to it.
    ///   - configuration: hand-off capacity and busy timeout.
    ///   - logger: receives warnings when reports are dropped or evicted.
    /// - Throws: `OutboxStoreError` when the file cannot be opened, is not a database or cannot use WAL.
    ///   - createsFile: whether a missing file is created (the agent) or refused (`shelter-agent outbox`, which
    ///     must not leave an empty outbox behind a mistyped state directory). The default is `true`.
    public static func open(
        path: String, configuration: Configuration = Configuration(), logger: Logger, createsFile: Bool = true
    ) async throws(OutboxStoreError) -> SQLiteOutboxStore {
        let store = SQLiteOutboxStore(path: path, configuration: configuration, logger: logger)
        try await store.openDatabase(createsFile: createsFile)
        return store
    }

    private func openDatabase(createsFile: Bool) throws(OutboxStoreError) {
        do {
            let opened = try Self.openDatabase(
                path: path, busyTimeout: configuration.busyTimeout, mode: createsFile ? .readWriteCreate : .readWrite)
            database = try OutboxDatabase(connection: opened.connection)
            adoptsLegacyAlerts = opened.createdStandingAlerts
        } catch {
            throw .database(error.description, path: path)
        }
    }

    private func withDatabase<Result>(_ body: (OutboxDatabase) throws -> Result) throws(OutboxStoreError) -> Result {
        guard let database else { throw .closed(path: path) }
        do {
            return try body(database)
        } catch let error as SQLiteError {
            throw .database(error.description, path: path)
        } catch {
            throw .database("\(error)", path: path)
        }
    }

    /// Queues an alert event and returns once it is committed to disk (`synchronous = FULL`), with what it does
    /// to its alert's standing in the same transaction.
    ///
    /// - Parameters:
    ///   - id: the event's `eventId`; an id already queued is ignored (the call still succeeds).
    ///   - payload: the event as JSON bytes.
    ///   - createdAt: when the agent raised it.
    ///   - standing: the alert the event stands for from now on (its Alert or an Update), or closes (a
    ///     Cancel); `nil` (the default) leaves `standing_alerts` alone.
    /// - Throws: `OutboxStoreError` when the commit fails; then the alert is not queued.
    /// - Important: The alert is durable when this returns, so the caller may consider it raised (issue 6). An
    ///   event of an alert with an earlier event among the dead letters joins it there, and one whose alert's
    ///   Alert event was evicted is dropped: the registry never gets an Update or Cancel for an alert it never
    ///   received, nor one before its Alert (issue 11 item 2).
    public func enqueueAlert(
        id: String, payload: [UInt8], createdAt: Date, standing: StandingAlertChange? = nil
    ) throws(OutboxStoreError) {
        try withDatabase { database in
            let fate = try database.connection.transaction(synchronous: .full) {
                try database.insert(id: id, kind: .alert, payload: payload, createdAt: createdAt)
                let fate = try database.keepWithItsAlert(id: id, now: .now)
                switch standing {
                case .stands(let alertID): try database.setStanding(alertID: alertID, event: payload)
                case .closes(let alertID): try database.removeStanding(alertID: alertID)
                case nil: break
                }
                return fate
            }
            switch fate {
            case .queued: break
            case .heldBack(let first):
                logger.warning(
                    "alert event held back with an earlier event of its alert, a dead letter",
                    metadata: ["alert.event_id": "\(id)", "outbox.dead_letter": "\(first)"])
            case .dropped:
                logger.warning(
                    "alert event dropped: its alert's Alert event was evicted unsent",
                    metadata: ["alert.event_id": "\(id)"])
            }
        }
        wake.signal()
    }

    /// The latest event of every standing alert (raised and not cancelled), as queued: what a restarted agent
    /// carries over.
    /// - Throws: `OutboxStoreError` when the database cannot be read.
    public func standingAlertPayloads() throws(OutboxStoreError) -> [[UInt8]] {
        try withDatabase { database in try database.standingEvents() }
    }

    /// Takes the alerts an agent before schema 3 saved in the state directory (`active-alerts.json`) as
    /// standing, in one transaction, when this opening created `standing_alerts` (`adoptsLegacyAlerts`);
    /// otherwise does nothing (the table already says what stands).
    /// - Parameter alerts: each alert's id and its latest event as JSON bytes.
    public func adoptStandingAlerts(_ alerts: [(alertID: String, payload: [UInt8])]) throws(OutboxStoreError) {
        guard adoptsLegacyAlerts else { return }
        try withDatabase { database in
            try database.connection.transaction {
                for alert in alerts { try database.setStanding(alertID: alert.alertID, event: alert.payload) }
            }
        }
        adoptsLegacyAlerts = false
    }

    /// Hands a status report to the store without waiting: it is committed shortly after, in a batch, on the
    /// store thread.
    ///
    /// - Parameters:
    ///   - id: the report's `reportId`; an id already queued is ignored.
    ///   - payload: the report as JSON bytes.
    ///   - createdAt: when the report was made.
    /// - Returns: `false` when the hand-off was full and the oldest pending report was dropped to make room.
    /// - Important: Never blocks and never touches the disk, so polling never waits on the outbox (DESIGN §1).
    @discardableResult
    public nonisolated func enqueueStatus(id: String, payload: [UInt8], createdAt: Date) -> Bool {
        let capacity = configuration.handOffCapacity
        let (shouldSchedule, droppedSoFar, direct) = handOff.withLock { handOff -> (Bool, Int?, Bool) in
            var dropped: Int?
            if handOff.pending.count >= capacity {
                handOff.pending.removeFirst()
                handOff.droppedCount += 1
                dropped = handOff.droppedCount
            }
            handOff.pending.append(PendingReport(id: id, payload: payload, createdAt: createdAt))
            if handOff.sendsDirectly {
                defer { handOff.isGraceFlushScheduled = true }
                return (!handOff.isGraceFlushScheduled, dropped, true)
            }
            defer { handOff.isFlushScheduled = true }
            return (!handOff.isFlushScheduled, dropped, false)
        }
        // Log the first drop and then every 1000th, so a stuck disk does not also flood the log.
        if let droppedSoFar, droppedSoFar == 1 || droppedSoFar % 1000 == 0 {
            logger.warning(
                "outbox hand-off full, dropping oldest status reports",
                metadata: ["outbox.capacity": "\(capacity)", "outbox.dropped": "\(droppedSoFar)"])
        }
        if direct {
            // The forwarder takes it now; the flush commits it only if it is still unanswered after the grace.
            wake.signal()
            if shouldSchedule {
                let grace = configuration.directSendGrace
                Task {
                    try? await Task.sleep(for: grace)
                    self.handOff.withLock { $0.isGraceFlushScheduled = false }
                    await self.flushPendingReports()
                }
            }
        } else if shouldSchedule {
            Task { await self.flushPendingReports() }
        }
        return droppedSoFar == nil
    }

    /// Whether new status reports wait in memory for the forwarder to send them directly (`true`), or are
    /// committed at once (`false`, the default: nothing to send them, or the registry is not accepting).
    /// Turning it off commits what waits.
    public nonisolated func setSendsDirectly(_ sendsDirectly: Bool) {
        let flushNow = handOff.withLock { handOff -> Bool in
            defer { handOff.sendsDirectly = sendsDirectly }
            return handOff.sendsDirectly && !sendsDirectly && !handOff.pending.isEmpty
        }
        if flushNow { Task { await self.flushPendingReports() } }
    }

    /// Whether new status reports are being sent directly (`setSendsDirectly`).
    public nonisolated var sendsDirectly: Bool { handOff.withLock { $0.sendsDirectly } }

    /// Takes the oldest reports of the hand-off to send directly, at most `maximumCount` and `maximumBytes`
    /// (one larger report goes alone); empty unless sending directly, or while an earlier direct send is
    /// unfinished. Each must be given back with `finishDirectSend`. The caller takes them only when no status
    /// report is queued in the file, so the registry still gets reports oldest first.
    public nonisolated func takeReportsToSendDirectly(maximumCount: Int, maximumBytes: Int) -> [PendingReport] {
        handOff.withLock { handOff in
            guard handOff.sendsDirectly, handOff.inFlight.isEmpty else { return [] }
            var count = 0
            var bytes = 0
            for report in handOff.pending {
                guard count < maximumCount, count == 0 || bytes + report.payload.count <= maximumBytes else { break }
                count += 1
                bytes += report.payload.count
            }
            handOff.inFlight = Array(handOff.pending.prefix(count))
            handOff.pending.removeFirst(count)
            return handOff.inFlight
        }
    }

    /// Records how the direct send of the reports `takeReportsToSendDirectly` gave ended. Acknowledged: nothing
    /// is written (unless a flush committed them meanwhile: then they are deleted). Otherwise they are
    /// committed and `completion` applies to them as to any queued batch (retry with back-off, hold, dead
    /// letter, resend one by one).
    /// - Throws: `OutboxStoreError`; the reports not committed go back to the front of the hand-off.
    public func finishDirectSend(_ completion: OutboxPolicy.Completion, now: Date) throws(OutboxStoreError) {
        let (uncommitted, committed) = handOff.withLock { handOff in
            defer {
                handOff.inFlight = []
                handOff.committedInFlight = []
            }
            return (handOff.uncommittedInFlight, handOff.committedInFlight)
        }
        if case .acknowledge(let batch) = completion {
            let onDisk = batch.entries.filter { committed.contains($0.id) }
            guard !onDisk.isEmpty else { return }
            try apply(.acknowledge(OutboxBatch(kind: .status, entries: onDisk)), now: now)
            return
        }
        do {
            try commit(uncommitted)
        } catch {
            handOff.withLock { $0.pending.insert(contentsOf: uncommitted, at: 0) }
            throw error
        }
        try apply(completion, now: now)
    }

    /// Inserts `reports` in one transaction.
    private func commit(_ reports: [PendingReport]) throws(OutboxStoreError) {
        guard !reports.isEmpty else { return }
        try withDatabase { database in
            try database.connection.transaction {
                for report in reports {
                    try database.insert(
                        id: report.id, kind: .status, payload: report.payload, createdAt: report.createdAt)
                }
            }
        }
    }

    /// Commits every status report still in memory: those of a direct send not yet answered first, then the
    /// hand-off, so the file keeps them oldest first.
    ///
    /// - Throws: `OutboxStoreError`; the reports stay in memory and the next enqueue or flush retries.
    public func flush() throws(OutboxStoreError) {
        let (inFlight, pending) = handOff.withLock { handOff in
            defer {
                handOff.committedInFlight.formUnion(handOff.inFlight.map(\.id))
                handOff.pending.removeAll(keepingCapacity: true)
                handOff.isFlushScheduled = false
            }
            return (handOff.uncommittedInFlight, handOff.pending)
        }
        guard !inFlight.isEmpty || !pending.isEmpty else { return }
        do {
            try commit(inFlight + pending)
        } catch {
            handOff.withLock { handOff in
                handOff.pending.insert(contentsOf: pending, at: 0)
                handOff.committedInFlight.subtract(inFlight.map(\.id))
            }
            throw error
        }
        wake.signal()
    }

    private func flushPendingReports() {
        do {
            try flush()
        } catch {
            logger.error("outbox could not commit status reports", metadata: ["error": "\(error)"])
        }
    }

    /// The outbox as the policy needs it: per kind, count, bytes, oldest creation time and the `headLimit`
    /// oldest entries; the dead letters' count, bytes and oldest dead-letter time.
    public func snapshot(headLimit: Int) throws(OutboxStoreError) -> OutboxSnapshot {
        try withDatabase { database in
            var snapshot = OutboxSnapshot()
            for kind in OutboxKind.allCases {
                snapshot[kind] = try database.queue(kind, headLimit: headLimit)
            }
            snapshot.deadLetters = try database.deadLetterQueue()
            return snapshot
        }
    }

    /// The payloads of `batch`, in its order. An entry no longer queued is skipped.
    public func payloads(for batch: OutboxBatch) throws(OutboxStoreError) -> [[UInt8]] {
        try withDatabase { database in try batch.ids.compactMap(database.payload(id:)) }
    }

    /// Ends every item's back-off and wakes the forwarder, cutting short a request that hangs: called when the
    /// registry is known to answer again (a heartbeat got through), so queued alerts go out at once instead of
    /// at the end of a request timeout and a back-off that may have grown to minutes during the outage
    /// (issue 12 item 8).
    public func retryNow() throws(OutboxStoreError) {
        try withDatabase { database in
            try database.connection.execute("UPDATE items SET next_attempt_at = NULL WHERE next_attempt_at IS NOT NULL")
        }
        wake.signal()
        retrySignal.signal()
    }

    /// Ends a hold left by an earlier run (the agent was restarted or reloaded, perhaps with the fix): the
    /// held items may go at once. Ordinary back-off is kept. Returns the hold that was ended, if any.
    @discardableResult
    public func releaseHold() throws(OutboxStoreError) -> OutboxHold? {
        let hold = try withDatabase { database -> OutboxHold? in
            try database.connection.transaction {
                guard let hold = try database.hold() else { return nil }
                try database.connection.execute("UPDATE items SET next_attempt_at = NULL")
                try database.clearHold()
                return hold
            }
        }
        if hold != nil { wake.signal() }
        return hold
    }

    /// Waits until `retryNow()` is called (possibly since the last `resetRetryNow()`), or the task is cancelled.
    /// The forwarder races its request against it.
    public nonisolated func waitForRetryNow() async { await retrySignal.wait() }

    /// Forgets a `retryNow()` that came while nothing was in flight, so it does not cut the next request short.
    public nonisolated func resetRetryNow() { retrySignal.reset() }

    /// Carries out the policy's decision about a finished batch: delete it, record the failed attempt and the
    /// next attempt time, move it to the dead-letter table, or hold the outbox for a configuration fault.
    /// A delivered batch ends a hold.
    public func apply(_ completion: OutboxPolicy.Completion, now: Date) throws(OutboxStoreError) {
        try withDatabase { database in
            try database.connection.transaction {
                switch completion {
                case .acknowledge(let batch):
                    for id in batch.ids { try database.delete(id: id) }
                    try database.clearHold()
                case .retry(let batch, let notBefore):
                    for id in batch.ids { try database.recordFailedAttempt(id: id, notBefore: notBefore) }
                case .hold(let batch, let fault, let notBefore):
                    for id in batch.ids { try database.recordFailedAttempt(id: id, notBefore: notBefore) }
                    try database.setHold(fault, now: now)
                case .deadLetter(let batch, let reason):
                    for id in batch.ids {
                        try database.moveToDeadLetters(
                            id: id, statusCode: reason.statusCode, reason: reason.description, now: now)
                    }
                case .resendIndividually:
                    break
                }
            }
        }
    }

    /// Removes items over a bound, oldest first, and counts them.
    ///
    /// - Returns: the number of items removed.
    @discardableResult
    public func evict(_ eviction: OutboxEviction) throws(OutboxStoreError) -> Int {
        let removed = try withDatabase { database in
            try database.connection.transaction { try database.evict(eviction) }
        }
        if removed > 0 {
            logger.warning(
                eviction.isDeadLetters && eviction.createdBefore != nil
                    ? "dead letters past their age bound removed" : "outbox over its bounds, evicted oldest items",
                metadata: ["outbox.kind": "\(eviction.target)", "outbox.evicted": "\(removed)"])
        }
        return removed
    }

    /// Returns free pages to the file system, at most `maximumPages` per call (`PRAGMA incremental_vacuum`),
    /// so the file shrinks after a drain or an eviction; once none are left over the threshold, checkpoints
    /// the WAL with `TRUNCATE` so the main file is cut too. Each call is short, so an alert enqueued meanwhile
    /// waits at most one chunk.
    ///
    /// - Parameters:
    ///   - minimumFreeBytes: free space below which nothing is done (it is reused by the next inserts).
    ///     The default is 1 MiB.
    ///   - maximumPages: pages reclaimed per call. The default is 256 (256 KiB with the outbox's 1 KiB pages).
    /// - Returns: `true` when free pages over the threshold are left (call again).
    @discardableResult
    public func reclaimSpace(minimumFreeBytes: Int = 1 << 20, maximumPages: Int = 256) throws(OutboxStoreError) -> Bool
    {
        try withDatabase { database in
            let (free, pageSize) = try database.freePages()
            if free * pageSize >= minimumFreeBytes {
                try database.connection.execute("PRAGMA incremental_vacuum(\(max(1, maximumPages)))")
                hasReclaimedSinceCheckpoint = true
                let (left, _) = try database.freePages()
                if left < free && left * pageSize >= minimumFreeBytes { return true }
            }
            if hasReclaimedSinceCheckpoint {
                // Another connection reading (the `outbox` command) makes TRUNCATE give up; the next call retries.
                let busy = try database.connection.scalarInt64("PRAGMA wal_checkpoint(TRUNCATE)") ?? 1
                hasReclaimedSinceCheckpoint = busy != 0
            }
            return false
        }
    }

    /// Depth, oldest creation time, dead-letter and eviction counts and the hold, for the heartbeat and
    /// `status`.
    public func statistics() throws(OutboxStoreError) -> OutboxStatistics {
        let (pending, dropped) = handOff.withLock {
            ($0.pending.count + $0.uncommittedInFlight.count, $0.droppedCount)
        }
        return try withDatabase { database in
            let alerts = try database.queue(.alert, headLimit: 0)
            let status = try database.queue(.status, headLimit: 0)
            let dead = try database.deadLetterQueue()
            let oldest = [alerts.oldestCreatedAt, status.oldestCreatedAt].compactMap { $0 }.min()
            let evicted = try database.evictedCounts()
            return OutboxStatistics(
                alertCount: alerts.count, statusCount: status.count + pending,
                byteCount: alerts.byteCount + status.byteCount, oldestCreatedAt: oldest,
                deadLetterCount: dead.count, deadLetterByteCount: dead.byteCount,
                evictedCount: evicted.values.reduce(0, +), expiredDeadLetterCount: evicted["dead_letter"] ?? 0,
                droppedCount: dropped, hold: try database.hold())
        }
    }

    /// Every dead letter, oldest first.
    public func deadLetters() throws(OutboxStoreError) -> [DeadLetter] {
        try withDatabase { database in try database.deadLetters() }
    }

    /// The dead letter with `id`, or `nil`.
    public func deadLetter(id: String) throws(OutboxStoreError) -> DeadLetter? {
        try withDatabase { database in try database.deadLetters(id: id).first }
    }

    /// Moves a dead letter (or, with `id == nil`, every dead letter) back to the end of its queue with its
    /// attempts reset, so the forwarder sends it again (after a fix at the registry or in the payload's
    /// cause). Safe while the agent runs: the agent's forwarder sees it at its next look at the queue.
    ///
    /// - Returns: the ids queued again, oldest first; empty when there was no such dead letter.
    @discardableResult
    public func retryDeadLetters(id: String?) throws(OutboxStoreError) -> [String] {
        let ids = try withDatabase { database in
            try database.connection.transaction { try database.requeueDeadLetters(id: id) }
        }
        if !ids.isEmpty { wake.signal() }
        return ids
    }

    /// Waits until something is enqueued (possibly before the call), `timeout` passes, or the task is cancelled.
    ///
    /// - Parameter timeout: `nil` waits for an enqueue only.
    /// - Important: One waiter at a time: the forwarder.
    public nonisolated func waitForEnqueue(timeout: Duration?) async {
        if let timeout {
            await wake.wait(timeout: timeout)
        } else {
            await wake.wait()
        }
    }

    /// Commits pending reports and closes the database. Later calls throw `.closed`; the store thread ends when
    /// the store is released.
    public func close() {
        do {
            try flush()
        } catch {
            logger.error("outbox could not commit status reports at close", metadata: ["error": "\(error)"])
        }
        database = nil
    }
}
