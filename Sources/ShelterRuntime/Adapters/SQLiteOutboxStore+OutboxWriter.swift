public import FoundationEssentials
public import ShelterCore

/// The SQLite outbox behind the core's `OutboxWriter` port: alerts committed with `synchronous = FULL`
/// before `enqueueAlert` returns, reports through the non-blocking hand-off.
extension SQLiteOutboxStore: OutboxWriter {
    public func enqueueAlert(_ event: AlertEvent) async throws {
        try enqueue(event)
    }

    public func standingAlerts() async throws -> [AlertEvent] {
        try standingAlertEvents()
    }

    public nonisolated func enqueueReport(_ report: StatusReport) -> Bool {
        (try? enqueue(report)) ?? false
    }

    public func health(now: Date) async throws -> OutboxHealth {
        let statistics = try statistics()
        return OutboxHealth(
            depth: statistics.depth, oldestAge: statistics.oldestAge(now: now),
            deadLetters: statistics.deadLetterCount, evicted: statistics.evictedCount,
            heldBy: statistics.hold?.message)
    }

    public func resumeSending() async {
        try? retryNow()
    }
}
