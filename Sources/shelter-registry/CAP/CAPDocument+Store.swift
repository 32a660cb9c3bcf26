import Foundation
import ShelterCore

extension CAPDocument {
    /// The CAP document of the event `eventId` sent by `sender`, with the shelter and the alert's earlier
    /// events from `store`; `nil` when the store holds no such event.
    static func load(eventId: String, sender: String, from store: any RegistryStore) async throws -> CAPDocument? {
        guard let match = try await store.alertEvents(eventId: eventId).first(where: { $0.event.gatewayId == sender })
        else { return nil }
        let history = try await store.alertHistory(gatewayId: sender, alertId: match.event.alertId).map(\.event)
        return CAPDocument(
            event: match.event, shelter: try await store.shelter(match.event.shelterId),
            earlier: Array(history.prefix { $0.eventId != eventId }))
    }
}
