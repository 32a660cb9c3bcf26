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
    /// Items evicted over the byte or age bounds since the database was created.
    public var evictedCount: Int
    /// Status reports dropped from the in-memory hand-off because the store thread fell behind, since start.
    public var droppedCount: Int

    /// Queued items of all kinds.
    public var depth: Int { alertCount + statusCount }

    /// Age of the oldest queued item at `now`; `nil` when empty.
    public func oldestAge(now: Date) -> Duration? {
        oldestCreatedAt.map { .milliseconds(Int64((now.timeIntervalSince(max($0, .distantPast)) * 1000).rounded())) }
    }
}
