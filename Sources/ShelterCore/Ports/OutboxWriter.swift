public import FoundationEssentials

/// The outbox as the agent's assessment and registration see it: where alert events and status reports are
/// put for the forwarder, and the figures a heartbeat reports (DESIGN §1, §7).
///
/// The runtime's `SQLiteOutboxStore` conforms; `ShelterTesting.InMemoryOutbox` is the fake.
/// Implementations are thread-safe.
public protocol OutboxWriter: Sendable {
    /// Puts an alert event in the outbox and returns once it is durable (committed to disk), together with
    /// what it does to its alert: the event stands for its alert from then on (an Alert or an Update), or
    /// closes it (a Cancel). The alert's state and the event are committed at once (`standingAlerts()`).
    ///
    /// - Important: an alert counts as raised only once this returned: a caller that gets an error keeps the
    ///   event and tries again later, in order, never drops it (`AgentStateMachine.alertCommitFailed`).
    /// - Throws: when the event could not be committed (disk full, database closed, …).
    func enqueueAlert(_ event: AlertEvent) async throws

    /// The alerts raised and not cancelled, each with its latest event committed by `enqueueAlert`, oldest
    /// onset first: what a restarted agent carries over (`AgentStateMachine.Inheritance.activeAlerts`). An
    /// entry that cannot be read back is left out.
    /// - Throws: when the outbox cannot be read.
    func standingAlerts() async throws -> [AlertEvent]

    /// Hands a status report to the outbox without waiting for the disk.
    /// - Returns: `false` when the report was dropped (the hand-off is full); reports are periodic, so a
    ///   dropped one is superseded by the next.
    func enqueueReport(_ report: StatusReport) -> Bool

    /// Depth, oldest age, dead letters and evictions, for the heartbeat.
    /// - Parameter now: the wall-clock time ages are measured at.
    func health(now: Date) async throws -> OutboxHealth

    /// Ends any back-off so what waits is sent now (the registry was found reachable again).
    func resumeSending() async
}
