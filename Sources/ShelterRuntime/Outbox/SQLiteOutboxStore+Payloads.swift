import FoundationEssentials
public import ShelterCore

extension SQLiteOutboxStore {
    /// Encodes an alert event as registry JSON and queues it durably (see `enqueueAlert(id:payload:createdAt:)`).
    ///
    /// The entry's id is the event's `eventId`; its creation time the event's `sent` time.
    /// - Throws: `OutboxStoreError` when the event cannot be encoded or the commit fails; then it is not queued.
    public func enqueue(_ event: AlertEvent) throws(OutboxStoreError) {
        try enqueueAlert(id: event.eventId, payload: encode(event), createdAt: event.sent)
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
