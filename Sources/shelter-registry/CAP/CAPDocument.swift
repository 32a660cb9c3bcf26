import Foundation
import ShelterCore

/// An alert event as an OASIS CAP 1.2 `alert` (http://docs.oasis-open.org/emergency/cap/v1.2/), the form the
/// national early-warning system and every alert consumer read (issue 14 item 4).
///
/// - `identifier` = eventId, `sender` = gateway id (ids have no spaces or commas: `RegistryAPI.isValidIdentifier`).
/// - `sent` and `onset` as `YYYY-MM-DDThh:mm:ss+08:00` (China Standard Time; no `Z`, no fraction: the
///   schema's pattern refuses both).
/// - `status` Actual or Exercise; `msgType` Alert, Update or Cancel; on Update and Cancel, `references`
///   lists `sender,identifier,sent` of every earlier event of the same alert that the registry holds (the
///   first of them is the Alert), plus any the event names itself.
/// - `scope` Restricted with a `restriction`: the bureau and the departments it forwards to.
/// - One `info` per language the event carries (`texts`: zh-CN first, then en-US, issue 16); an event without
///   `texts` (an older gateway) gets one en-US `info` from its own fields. Each `info` has
///   `parameter`s for the check id, status, value, threshold and the threshold's source, and an `area`: the
///   shelter's address, its GB/T 2260 division code as `geocode` and a `circle` at its coordinates.
/// - `audience` names the department article 24 makes responsible (`ResponsibleDepartment`) in the info's
///   language, and the `responsibleDepartment` parameter its code (issue 15 item 3).
struct CAPDocument {
    /// The event.
    var event: AlertEvent
    /// The shelter it concerns (address, coordinates, division code); `nil` when unknown.
    var shelter: StoredShelter?
    /// Earlier events of the same alert, arrival order.
    var earlier: [AlertEvent]

    /// `application/cap+xml`.
    static let contentType = "application/cap+xml"
    /// Radius of the area's circle around the shelter, km.
    static let circleRadiusKilometres = 0.5
    /// The time zone every CAP time is written in: UTC+08:00.
    static let utcOffsetSeconds = 8 * 3600
    static let restriction = "For the emergency management bureau and the departments it forwards alerts to."

    /// The texts of each `info`, primary first: the event's `texts` with zh-CN first, or its own fields as en-US.
    var infos: [AlertEventText] {
        guard let texts = event.texts, !texts.isEmpty else {
            return [
                AlertEventText(
                    language: "en-US", event: event.event, headline: event.headline, description: event.description,
                    instruction: event.instruction)
            ]
        }
        return texts.filter { $0.language == "zh-CN" } + texts.filter { $0.language != "zh-CN" }
    }

    /// The document, UTF-8.
    func xml() -> String {
        var out = XMLText()
        out.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        out.open("alert", attributes: [("xmlns", "urn:oasis:names:tc:emergency:cap:1.2")])
        out.element("identifier", event.eventId)
        out.element("sender", event.gatewayId)
        out.element("sent", Self.time(event.sent))
        out.element("status", event.status.rawValue)
        out.element("msgType", event.msgType.rawValue)
        out.element("scope", "Restricted")
        out.element("restriction", Self.restriction)
        if event.msgType != .alert, !references.isEmpty {
            out.element("references", references.joined(separator: " "))
        }
        for text in infos { info(text, into: &out) }
        out.close("alert")
        return out.text
    }

    /// `sender,identifier,sent` of the earlier events, each once, oldest first.
    var references: [String] {
        var seen: Set<String> = []
        var result: [String] = []
        for earlierEvent in earlier where earlierEvent.eventId != event.eventId {
            let reference = "\(earlierEvent.gatewayId),\(earlierEvent.eventId),\(Self.time(earlierEvent.sent))"
            if seen.insert(earlierEvent.eventId).inserted { result.append(reference) }
        }
        return result
    }

    private func info(_ text: AlertEventText, into out: inout XMLText) {
        out.open("info")
        out.element("language", text.language)
        out.element("category", event.category.rawValue)
        out.element("event", text.event)
        out.element("urgency", event.urgency.rawValue)
        out.element("severity", event.severity.rawValue)
        out.element("certainty", event.certainty.rawValue)
        out.element("audience", department.name(in: text.language.hasPrefix("zh") ? .zhCN : .en))
        out.element("onset", Self.time(event.onset))
        out.element("senderName", shelter?.record?.name ?? event.shelterId)
        out.element("headline", text.headline)
        out.element("description", text.description)
        if !text.instruction.isEmpty { out.element("instruction", text.instruction) }
        for (name, value) in parameters {
            out.open("parameter")
            out.element("valueName", name)
            out.element("value", value)
            out.close("parameter")
        }
        out.open("area")
        let address = shelter?.record?.location.address ?? ""
        out.element("areaDesc", address.isEmpty ? "Shelter \(event.shelterId)" : address)
        if let location = shelter?.record?.location, let latitude = location.latitude,
            let longitude = location.longitude,
            (-90...90).contains(latitude), (-180...180).contains(longitude)
        {
            out.element("circle", "\(Self.decimal(latitude)),\(Self.decimal(longitude)) \(Self.circleRadiusKilometres)")
        }
        if let code = Self.divisionCode(of: shelter) {
            out.open("geocode")
            out.element("valueName", "GB/T 2260")
            out.element("value", code)
            out.close("geocode")
        }
        out.close("area")
        out.close("info")
    }

    /// The department article 24 makes responsible (`audience`, and the `responsibleDepartment` parameter).
    var department: ResponsibleDepartment { ResponsibleDepartment(event) }

    /// The shelter's GB/T 2260 code: the registry's (`--config` `divisionCode`), else the filed record's
    /// (`[record.location] division_code`); `nil` when neither gives one.
    static func divisionCode(of shelter: StoredShelter?) -> String? {
        if let code = shelter?.divisionCode, !code.isEmpty { return code }
        if let code = shelter?.record?.location.divisionCode, !code.isEmpty { return code }
        return nil
    }

    /// `(valueName, value)` pairs: what was checked, against what, and by whose rule.
    var parameters: [(String, String)] {
        let p = event.parameters
        var list: [(String, String)] = [
            ("alertId", event.alertId), ("shelterId", event.shelterId), ("checkId", p.checkId.rawValue),
            ("checkStatus", p.checkStatus.rawValue),
        ]
        if !p.subject.isEmpty { list.append(("subject", p.subject)) }
        if let value = p.value {
            list.append(("value", Self.decimal(value.value)))
            list.append(("unit", value.unit))
        }
        if let threshold = p.threshold { list.append(("threshold", Self.decimal(threshold))) }
        if let origin = p.thresholdOrigin { list.append(("thresholdSource", origin.rawValue)) }
        if let occupancy = p.occupancy { list.append(("occupancy", String(occupancy))) }
        list.append(("capacity", String(p.capacity)))
        list.append(("responsibleDepartment", department.rawValue))
        return list
    }

    /// `YYYY-MM-DDThh:mm:ss+08:00`, whole seconds (truncated), as `ZonedTime` writes local times.
    static func time(_ date: Date) -> String {
        ZonedTime(instant: date, utcOffsetMinutes: utcOffsetSeconds / 60).local
    }

    /// A number without exponent or trailing noise (`0.92`, `2000`).
    static func decimal(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.6f", value).replacingOccurrences(of: "0+$", with: "", options: .regularExpression)
    }
}
