import Foundation
import ShelterCore

/// The Atom feed (RFC 4287) of the alerts not yet cancelled, newest first: one entry per alert, its latest
/// event, linking to that event's CAP document (`GET /v1/cap/feed.atom`).
struct CAPFeed {
    /// Latest event of each open alert, newest first.
    var entries: [StoredAlertEvent]
    /// When the feed was made.
    var now: Date

    static let contentType = "application/atom+xml"

    func xml() -> String {
        var out = XMLText()
        out.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        out.open("feed", attributes: [("xmlns", "http://www.w3.org/2005/Atom")])
        out.element("id", "urn:shelter-registry:cap:open-alerts")
        out.element("title", "Shelter alerts not yet cancelled (CAP 1.2)")
        out.element("updated", CAPDocument.time(entries.first?.receivedAt ?? now))
        out.empty("link", attributes: [("rel", "self"), ("href", "/v1/cap/feed.atom")])
        for entry in entries {
            let event = entry.event
            out.open("entry")
            out.element("id", "urn:shelter-registry:cap:\(event.gatewayId):\(event.eventId)")
            out.element("title", event.headline)
            out.element("updated", CAPDocument.time(entry.receivedAt))
            out.open("author")
            out.element("name", event.gatewayId)
            out.close("author")
            out.element("category", "", attributes: [("term", event.status.rawValue)])
            out.element("summary", "\(event.severity.rawValue) \(event.msgType.rawValue): \(event.description)")
            out.empty(
                "link",
                attributes: [
                    ("rel", "alternate"), ("type", CAPDocument.contentType),
                    ("href", "/v1/cap/\(event.eventId).xml?sender=\(event.gatewayId)"),
                ])
            out.close("entry")
        }
        out.close("feed")
        return out.text
    }
}
