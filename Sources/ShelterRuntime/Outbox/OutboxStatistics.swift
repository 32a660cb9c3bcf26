public import FoundationEssentials

/// Outbox figures the heartbeat reports (DESIGN §4: outbox depth and oldest age, dead-letter count).
public struct OutboxStatistics: Sendable, Hashable {
    /// Queued alert events.
    public var alertCount: Int
    /// Queued status reports, including those still in the in-memory hand-off.
    public var statusCount: Int
    /// Queued payload bytes in the database.
    public var byteCount: Int
    /// Wall-clock time the oldest queued item was created; `nil` when empty.
    public var oldestCreatedAt: Date?
    /// Items in the dead-letter table.
    public var deadLetterCount: Int
    /// Payload bytes of the dead letters (they count against the outbox's byte bound).
    public var deadLetterByteCount: Int
    /// Items evicted over the byte or age bounds since the database was created, dead letters included.
    public var evictedCount: Int
    /// Dead letters removed over their age or the byte bound since the database was created.
    public var expiredDeadLetterCount: Int
    /// Status reports dropped from the in-memory hand-off because the store thread fell behind, since start.
    public var droppedCount: Int
    /// The configuration fault holding the outbox, if any.
    public var hold: OutboxHold?

    /// Creates figures.
    public init(
        alertCount: Int, statusCount: Int, byteCount: Int, oldestCreatedAt: Date?, deadLetterCount: Int,
        deadLetterByteCount: Int = 0, evictedCount: Int, expiredDeadLetterCount: Int = 0, droppedCount: Int,
        hold: OutboxHold? = nil
    ) {
        self.alertCount = alertCount
        self.statusCount = statusCount
        self.byteCount = byteCount
        self.oldestCreatedAt = oldestCreatedAt
        self.deadLetterCount = deadLetterCount
        self.deadLetterByteCount = deadLetterByteCount
        self.evictedCount = evictedCount
        self.expiredDeadLetterCount = expiredDeadLetterCount
        self.droppedCount = droppedCount
        self.hold = hold
    }

    /// Queued items of all kinds.
    public var depth: Int { alertCount + statusCount }

    /// Age of the oldest queued item at `now`; `nil` when empty.
    public func oldestAge(now: Date) -> Duration? {
        oldestCreatedAt.map { .milliseconds(Int64((now.timeIntervalSince(max($0, .distantPast)) * 1000).rounded())) }
    }
}
