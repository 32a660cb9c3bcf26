/// What retention deletes (`--retention-days`), as SQL both engines run in one transaction with the cutoff
/// (seconds since 1970) bound as the one parameter. Nothing an open alert refers to is deleted: its events
/// stay, and so do its shelter's reports since it was raised; a cancelled alert and its events go once the
/// cancellation is older than the cutoff. Heartbeats go by age alone.
enum RegistryRetention {
    /// `(sql, counter)` pairs; `cutoff` is the engine's placeholder for parameter 1 (`?1` or `$1`).
    static func statements(cutoff: String) -> [(sql: String, counter: WritableKeyPath<PruneCounts, Int>)] {
        [
            ("DELETE FROM heartbeats WHERE received_at < \(cutoff)", \.heartbeats),
            (
                """
                DELETE FROM reports WHERE received_at < \(cutoff) AND NOT EXISTS (
                    SELECT 1 FROM alerts a WHERE a.shelter_id = reports.shelter_id AND a.phase <> 'cancelled'
                    AND a.raised_at <= reports.received_at)
                """, \.reports
            ),
            (
                """
                DELETE FROM alert_events WHERE received_at < \(cutoff) AND EXISTS (
                    SELECT 1 FROM alerts a WHERE a.gateway_id = alert_events.gateway_id
                    AND a.alert_id = alert_events.alert_id AND a.phase = 'cancelled' AND a.cancelled_at < \(cutoff))
                """, \.alertEvents
            ),
            (
                """
                DELETE FROM alerts WHERE phase = 'cancelled' AND cancelled_at < \(cutoff) AND NOT EXISTS (
                    SELECT 1 FROM alert_events e WHERE e.gateway_id = alerts.gateway_id AND e.alert_id = alerts.alert_id)
                """, \.alerts
            ),
        ]
    }
}
