import FoundationEssentials
import Logging
public import ShelterCore

extension SQLiteOutboxStore {
    /// Encodes an alert event as registry JSON and queues it durably, with its alert's standing (see
    /// `enqueueAlert(id:payload:createdAt:standing:)`): a Cancel closes the alert, any other event stands for it.
    ///
    /// The entry's id is the event's `eventId`; its creation time the event's `sent` time.
    /// - Throws: `OutboxStoreError` when the event cannot be encoded or the commit fails; then it is not queued.
    public func enqueue(_ event: AlertEvent) throws(OutboxStoreError) {
        try enqueueAlert(
            id: event.eventId, payload: encode(event), createdAt: event.sent,
            standing: event.msgType == .cancel ? .closes(alertID: event.alertId) : .stands(alertID: event.alertId))
    }

    /// The standing alerts' latest events, decoded, oldest onset first; a row that does not decode is left out
    /// and logged (the agent starts without it rather than not at all).
    public func standingAlertEvents() throws(OutboxStoreError) -> [AlertEvent] {
        let decoder = RegistryJSON.makeDecoder()
        return try standingAlertPayloads().compactMap { payload in
            do {
                return try decoder.decode(AlertEvent.self, from: Data(payload))
            } catch {
                logger.warning(
                    "a standing alert in the outbox could not be read; it is not carried over",
                    metadata: ["error": "\(error)", "outbox.path": "\(path)"])
                return nil
            }
        }.sorted { $0.onset < $1.onset }
    }

    /// Adopts the alerts an older agent saved (`active-alerts.json`) as standing, when this opening created the
    /// table (`adoptStandingAlerts(_:)`).
    public func adoptStandingAlerts(_ events: [AlertEvent]) throws(OutboxStoreError) {
        guard adoptsLegacyAlerts else { return }
        try adoptStandingAlerts(events.map { event throws(OutboxStoreError) in (event.alertId, try encode(event)) })
    }

    /// Encodes a status report as registry JSON and hands it to the store without waiting (see
    /// `enqueueStatus(id:payload:createdAt:)`).
    ///
    /// The entry's id is the report's `reportId`; its creation time the report's `observedAt`.
    /// - Returns: `false` when the oldest pending report was dropped to make room.
    /// - Throws: `OutboxStoreError` when the report cannot be encoded; then it is not queued.
    @discardableResult
    public nonisolated func enqueue(_ report: StatusReport) throws(OutboxStoreError) -> Bool {
        enqueueStatus(id: report.reportId, payload: try encode(report), createdAt: report.observedAt)
    }

    private nonisolated func encode(_ payload: some Encodable) throws(OutboxStoreError) -> [UInt8] {
        do {
            return Array(try RegistryJSON.makeEncoder().encode(payload))
        } catch {
            throw .encoding("\(error)", path: path)
        }
    }
}
