/// What an alert event does to its alert's standing, committed with the event (`SQLiteOutboxStore.enqueueAlert`).
public enum StandingAlertChange: Sendable, Hashable {
    /// The event (an Alert or an Update) is the alert's latest: the alert stands, with it.
    case stands(alertID: String)
    /// The event (a Cancel) closes the alert: it no longer stands.
    case closes(alertID: String)
}
