public import FoundationEssentials
public import ShelterCore
import Synchronization

/// An outbox in memory behind the `OutboxWriter` port, which can be told to fail: the fake for
/// commit-before-count. Thread-safe.
public final class InMemoryOutbox: OutboxWriter {
    /// Why the fake refused an alert.
    public struct Refused: Error, Equatable {
        public var eventId: String
    }

    private struct State {
        var alerts: [AlertEvent] = []
        var standing: [String: AlertEvent] = [:]
        var reports: [StatusReport] = []
        var failuresLeft = 0
        var resumed = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Alert events committed, in order.
    public var alerts: [AlertEvent] { state.withLock { $0.alerts } }
    /// Status reports handed over, in order.
    public var reports: [StatusReport] { state.withLock { $0.reports } }
    /// How many times `resumeSending` was called.
    public var resumeCount: Int { state.withLock { $0.resumed } }

    /// Makes the next `count` `enqueueAlert` calls fail (a full disk, a closed database).
    public func failNextAlerts(_ count: Int) { state.withLock { $0.failuresLeft = count } }

    public func enqueueAlert(_ event: AlertEvent) async throws {
        try state.withLock { (s: inout State) throws(Refused) in
            if s.failuresLeft > 0 {
                s.failuresLeft -= 1
                throw Refused(eventId: event.eventId)
            }
            s.alerts.append(event)
            s.standing[event.alertId] = event.msgType == .cancel ? nil : event
        }
    }

    public func standingAlerts() async throws -> [AlertEvent] { standing }

    /// The alerts standing, oldest onset first (what `standingAlerts()` answers), for a test's restart.
    public var standing: [AlertEvent] { state.withLock { $0.standing.values.sorted { $0.onset < $1.onset } } }

    public func enqueueReport(_ report: StatusReport) -> Bool {
        state.withLock { $0.reports.append(report) }
        return true
    }

    public func health(now: Date) async throws -> OutboxHealth {
        OutboxHealth(depth: state.withLock { $0.alerts.count + $0.reports.count }, oldestAge: nil, deadLetters: 0)
    }

    public func resumeSending() async { state.withLock { $0.resumed += 1 } }
}
