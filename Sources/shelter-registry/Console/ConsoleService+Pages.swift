import Foundation
import Hummingbird
import ShelterCore

/// The three pages: what each shows and how it is filtered and sorted. Unknown is shown as unknown, never 0.
extension ConsoleService {
    /// A report older than this is stale while the shelter is open (activated gateways report every minute).
    static let staleWhenOpen: TimeInterval = 3 * 60
    /// … and in every other state (standby gateways report every 15 minutes).
    static let staleOtherwise: TimeInterval = 45 * 60
    /// A gateway with no heartbeat for this long is silent (it sends one every 30 s).
    static let silentAfter: TimeInterval = 90

    static func isOpen(_ state: LifecycleState) -> Bool { state == .activated || state == .full }

    // MARK: Overview

    func overview(_ request: Request, _ viewer: Viewer) async throws -> Response {
        let language = viewer.language
        let at = now()
        let shelters = try await store.allShelters()
        let latest = Dictionary(
            try await store.latestReports().map { ($0.report.shelterId, $0) }, uniquingKeysWith: { a, _ in a })
        let links = Dictionary(grouping: try await store.gatewayLinks(), by: \.shelterId)
        let critical = Set(
            try await store.alertListing(openOnly: true, limit: 5000).filter {
                $0.latest.event.parameters.checkStatus == .critical
            }.map(\.state.shelterId))
        let query = request.uri.queryParameters
        let stateFilter = query.get("state").flatMap(LifecycleState.init(rawValue:))
        let districtFilter = query.get("district").flatMap { $0.isEmpty ? nil : $0 }
        let minAvailable = query.get("available").flatMap { Int($0) }
        let sort = query.get("sort") ?? "name"
        let descending = query.get("dir") == "desc"

        var rows: [OverviewRow] = shelters.map { shelter in
            OverviewRow(
                shelter: shelter, latest: latest[shelter.id], links: links[shelter.id] ?? [],
                hasCritical: critical.contains(shelter.id), now: at)
        }
        let counts: [String: Int] = [
            "open": rows.filter { Self.isOpen($0.shelter.lifecycle) }.count,
            "full": rows.filter(\.isFull).count,
            "critical": rows.filter(\.hasCritical).count,
            "silent": rows.filter(\.isSilent).count,
        ]
        let districts = Set(rows.map(\.district).filter { !$0.isEmpty }).sorted()
        rows = rows.filter { row in
            (stateFilter.map { row.shelter.lifecycle == $0 } ?? true)
                && (districtFilter.map { row.district == $0 } ?? true)
                && (minAvailable.map { minimum in row.available.map { $0 >= minimum } ?? false } ?? true)
        }
        rows.sort { a, b in
            let (x, y) = descending ? (b, a) : (a, b)
            switch OverviewRow.compare(x, y, by: sort) {
            case .some(let ascending): return ascending
            case nil: return x.shelter.id < y.shelter.id
            }
        }
        var values = base(language: language, path: request.uri.description, viewer: viewer)
        values["isOverview"] = true
        values["counts"] = counts
        values["anyCritical"] = (counts["critical"] ?? 0) > 0
        values["anySilent"] = (counts["silent"] ?? 0) > 0
        values["rows"] = rows.map { $0.values(language) }
        values["total"] = rows.count
        values["states"] = LifecycleState.allCases.map { state in
            [
                "value": state.rawValue, "label": StatusText.lifecycle(state).text(in: language),
                "selected": state == stateFilter,
            ] as [String: Any]
        }
        values["districts"] = districts.map { ["value": $0, "selected": $0 == districtFilter] as [String: Any] }
        values["available"] = minAvailable.map(String.init) ?? ""
        values["columns"] = OverviewRow.columns.map { column in
            var parameters = query.map { (String($0.key), String($0.value)) }.filter { $0.0 != "sort" && $0.0 != "dir" }
            parameters.append(("sort", column.key))
            parameters.append(("dir", sort == column.key && !descending ? "desc" : "asc"))
            let href = "/?" + parameters.map { "\($0.0)=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
            let mark = sort == column.key ? (descending ? " ▼" : " ▲") : ""
            return [
                "label": ConsoleText.label(column.label).text(in: language) + mark, "href": href,
                "sorted": sort == column.key ? (descending ? "descending" : "ascending") : "none",
            ]
        }
        return try render("overview", values)
    }

    // MARK: Alerts

    func alerts(_ request: Request, _ viewer: Viewer) async throws -> Response {
        let language = viewer.language
        let query = request.uri.queryParameters
        let isHistory = query.get("view") == "history"
        let department = query.get("department").flatMap(ResponsibleDepartment.init(rawValue:))
        let severity = query.get("severity").flatMap(CAPSeverity.init(rawValue:))
        let status = query.get("status").flatMap(CAPStatus.init(rawValue:))
        let shelterFilter = query.get("shelter").flatMap { $0.isEmpty ? nil : $0 }
        let names = Dictionary(
            try await store.allShelters().map { ($0.id, $0.record?.name ?? $0.id) }, uniquingKeysWith: { a, _ in a })
        var listed = try await store.alertListing(openOnly: !isHistory, limit: isHistory ? 500 : 5000).filter { item in
            let event = item.latest.event
            return (department.map { ResponsibleDepartment(event) == $0 } ?? true)
                && (severity.map { event.severity == $0 } ?? true) && (status.map { event.status == $0 } ?? true)
                && (shelterFilter.map { item.state.shelterId == $0 } ?? true)
        }
        if !isHistory {
            listed.sort { a, b in
                let (x, y) = (Self.rank(a.latest.event.severity), Self.rank(b.latest.event.severity))
                return x != y ? x < y : a.state.updatedAt > b.state.updatedAt
            }
        }
        let at = now()
        var values = base(language: language, path: request.uri.description, viewer: viewer)
        values["isAlerts"] = true
        values["isHistory"] = isHistory
        values["alerts"] = listed.map {
            Self.alertValues($0, shelterName: names[$0.state.shelterId], language, now: at)
        }
        values["departments"] = ResponsibleDepartment.allCases.map { item in
            ["value": item.rawValue, "label": item.name(in: language), "selected": item == department] as [String: Any]
        }
        values["severities"] = CAPSeverity.allCases.map { item in
            [
                "value": item.rawValue, "label": ScreenText.severity(item).text(in: language),
                "selected": item == severity,
            ] as [String: Any]
        }
        values["statusActual"] = status == .actual
        values["statusExercise"] = status == .exercise
        values["view"] = isHistory ? "history" : "active"
        return try render("alerts", values)
    }

    static func rank(_ severity: CAPSeverity) -> Int {
        switch severity {
        case .extreme: 0
        case .severe: 1
        case .moderate: 2
        case .minor: 3
        case .unknown: 4
        }
    }

    static func alertValues(
        _ item: ListedAlert, shelterName: String?, _ language: Language, now: Date
    )
        -> [String: Any]
    {
        let event = item.latest.event
        let code = language.capCode
        let text =
            event.texts?.first { $0.language == code }
            ?? AlertEventText(
                language: code, event: event.event, headline: event.headline, description: event.description,
                instruction: event.instruction)
        let p = event.parameters
        let kind = CheckKind(p.checkId)
        func format(_ value: Double) -> String {
            kind.map { $0.argument(forValue: value).render(language) } ?? CAPDocument.decimal(value)
        }
        let state = item.state
        var values: [String: Any] = [
            "gatewayId": state.gatewayId, "alertId": state.alertId, "shelterId": state.shelterId,
            "shelterName": shelterName ?? state.shelterId, "event": text.event, "headline": text.headline,
            "description": text.description, "instruction": text.instruction,
            "severity": ScreenText.severity(event.severity).text(in: language),
            "severityClass": event.severity.rawValue.lowercased(), "isExercise": event.status == .exercise,
            "checkId": p.checkId.rawValue, "checkStatus": StatusText.checkStatus(p.checkStatus).text(in: language),
            "value": p.value.map { format($0.value) } ?? ConsoleText.label(.unknown).text(in: language),
            "threshold": p.threshold.map(format) ?? "—",
            "thresholdSource": p.thresholdOrigin.map { StatusText.thresholdOrigin($0).text(in: language) } ?? "—",
            "department": ResponsibleDepartment(event).name(in: language),
            "capHref": "/cap/\(state.gatewayId)/\(event.eventId).xml",
            "ackHref": "/alerts/\(state.gatewayId)/\(state.alertId)/acknowledge",
            "raisedAt": local(state.raisedAt), "updatedAt": local(state.updatedAt),
            "age": ConsoleText.ago(seconds: max(0, now.timeIntervalSince(state.raisedAt))).text(in: language),
            "isCancelled": state.phase == .cancelled,
        ]
        let phase: ConsoleText.Label =
            switch state.phase {
            case .raised: .raised
            case .updated: .updated
            case .cancelled: .cancelled
            }
        values["phase"] = ConsoleText.label(phase).text(in: language)
        if let by = state.acknowledgedBy, let at = state.acknowledgedAt {
            values["acknowledged"] =
                [
                    "by": by, "at": local(at), "note": state.acknowledgementNote ?? "",
                    "hasNote": !(state.acknowledgementNote ?? "").isEmpty,
                ] as [String: Any]
        }
        return values
    }

    // MARK: Shelter

    /// Periods the shelter page's charts offer, in seconds; the default is 24 h.
    static let periods: [(key: String, seconds: TimeInterval)] = [
        ("6h", 6 * 3600), ("24h", 24 * 3600), ("7d", 7 * 86_400), ("30d", 30 * 86_400),
    ]

    func shelter(_ shelterId: String, _ request: Request, _ viewer: Viewer) async throws -> Response {
        let language = viewer.language
        guard let shelter = try await store.shelter(shelterId) else {
            var values = base(language: language, path: request.uri.description, viewer: viewer)
            values["message"] = ConsoleText.label(.notFiled).text(in: language) + ": " + shelterId
            return try render("refused", values, status: .notFound)
        }
        let at = now()
        let periodKey = request.uri.queryParameters.get("period") ?? "24h"
        let period = Self.periods.first { $0.key == periodKey } ?? Self.periods[1]
        let range = at.addingTimeInterval(-period.seconds)...at
        let history = try await store.reports(shelterId: shelterId, observedIn: range, limit: 5000)
        let latest = try await store.reports(shelterId: shelterId, observedIn: Date.distantPast...at, limit: 1).last
        let gateways = try await store.gatewayLinks().filter { $0.shelterId == shelterId }
        let changes = try await store.lifecycleChanges(shelterId: shelterId)
        let beats = try await store.heartbeats(
            gatewayIds: gateways.map(\.gatewayId), since: changes.first?.changedAt ?? at, limit: 5000)

        var values = base(language: language, path: request.uri.description, viewer: viewer)
        let row = OverviewRow(shelter: shelter, latest: latest, links: gateways, hasCritical: false, now: at)
        values["shelter"] = row.values(language)
        values["record"] = shelter.record.map { Self.recordValues($0, language) }
        let checks = latest.map { Self.checkValues($0.report, language) } ?? []
        values["checks"] = checks
        values["hasChecks"] = !checks.isEmpty
        values["latestAt"] = latest.map { Self.local($0.report.observedAt) }
        values["periods"] = Self.periods.map { item in
            [
                "key": item.key, "label": TextArgument.timeSpan(seconds: item.seconds).render(language),
                "href": "/shelters/\(shelterId)?period=\(item.key)", "selected": item.key == period.key,
            ] as [String: Any]
        }
        values["charts"] = ShelterCharts(
            reports: history.map(\.report), capacity: shelter.record?.capacity, period: range, language: language
        ).all.map { ["svg": $0.svg(), "title": $0.title] }
        values["timeline"] = Self.timeline(changes, beats: beats, language).reversed()
        values["acts"] = try await store.acts(shelterId: shelterId, limit: 50).map { act in
            ["at": Self.local(act.at), "actor": act.actor, "kind": act.kind, "detail": act.detail]
        }
        values["lifecycleHref"] = "/shelters/\(shelterId)/lifecycle"
        values["isDrill"] = shelter.isDrill
        // The decisions that change something from the current state.
        let state = shelter.lifecycle
        values["offerActivate"] = state != .activated
        values["offerMarkFull"] = state != .full
        values["offerClose"] = state != .closing
        values["offerStandby"] = state != .standby
        return try render("shelter", values)
    }

    /// Each lifecycle decision with who made it and when the gateway confirmed it: the first heartbeat after the
    /// decision (and before the next one) whose lifecycle is the decided one.
    static func timeline(
        _ changes: [LifecycleChangeEntry], beats: [ReceivedHeartbeat], _ language: Language
    ) -> [[String: Any]] {
        changes.enumerated().map { index, change in
            let end = index + 1 < changes.count ? changes[index + 1].changedAt : Date.distantFuture
            let confirmation = beats.first { beat in
                beat.receivedAt >= change.changedAt && beat.receivedAt < end
                    && beat.heartbeat.lifecycle.state == change.state
                    && beat.heartbeat.lifecycle.isDrill == change.isDrill
            }
            var values: [String: Any] = [
                "at": local(change.changedAt), "by": change.changedBy,
                "state": StatusText.lifecycleStatus(LifecycleStatus(state: change.state, isDrill: change.isDrill))
                    .text(in: language),
            ]
            if let confirmation {
                values["confirmed"] = ConsoleText.confirmedAfter(
                    seconds: confirmation.receivedAt.timeIntervalSince(change.changedAt),
                    at: local(confirmation.receivedAt)
                ).text(in: language)
            }
            return values
        }
    }

    static func recordValues(_ record: ShelterRecord, _ language: Language) -> [String: Any] {
        let f = record.facilities
        return [
            "name": record.name, "address": record.location.address, "district": record.location.district,
            "capacity": TextArgument.persons(record.capacity).render(language),
            "area": TextArgument.quantity(record.effectiveArea, .squareMetres, places: 0).render(language),
            "generators": f.generators.map(\.name).joined(separator: ", "),
            "batteries": f.batteries.map(\.name).joined(separator: ", "),
            "waterTanks": f.waterTanks.map(\.name).joined(separator: ", "),
            "toilets": TextArgument.integer(f.toilets).render(language),
            "contact": [record.contact.unit, record.contact.person, record.contact.phone].filter { !$0.isEmpty }
                .joined(separator: " · "),
        ]
    }

    static func checkValues(_ report: StatusReport, _ language: Language) -> [[String: Any]] {
        report.checks.map { check in
            let kind = CheckKind(check.checkId)
            func format(_ value: Double?) -> String? {
                guard let value else { return nil }
                return kind.map { $0.argument(forValue: value).render(language) } ?? CAPDocument.decimal(value)
            }
            let title =
                kind.map {
                    (check.subject.isEmpty ? CheckTitle.plain($0) : CheckTitle.withSubject($0, check.subject))
                        .text(in: language)
                } ?? check.checkId.rawValue
            let threshold = [check.threshold?.warning, check.threshold?.critical].compactMap(format)
            return [
                "checkId": check.checkId.rawValue, "title": title,
                "status": StatusText.checkStatus(check.status).text(in: language),
                "statusClass": check.status.rawValue,
                "value": format(check.value?.value) ?? ConsoleText.label(.unknown).text(in: language),
                "threshold": threshold.isEmpty ? "—" : threshold.joined(separator: " / "),
                "origin": check.threshold.map { StatusText.thresholdOrigin($0.origin).text(in: language) } ?? "—",
                // The catalog's words for the check's source, in the reader's language; the report's own text
                // (one language) for a check this registry does not know.
                "source": kind.map { CheckText.source($0).text(in: language) } ?? check.source,
                "summary": check.summary,
            ]
        }
    }
}

/// One shelter as the overview shows it.
struct OverviewRow {
    var shelter: StoredShelter
    var latest: ReceivedReport?
    var links: [GatewayLink]
    var hasCritical: Bool
    var now: Date

    var name: String { shelter.record?.name ?? shelter.id }
    var district: String { shelter.record?.location.district ?? "" }
    var capacity: Int? { shelter.record?.capacity ?? latest?.report.capacity.registered }
    var occupied: Int? { latest?.report.capacity.occupied }
    var available: Int? {
        guard let capacity, let occupied else { return nil }
        return max(0, capacity - occupied)
    }
    var isFull: Bool {
        shelter.lifecycle == .full || (occupied.map { o in capacity.map { o >= $0 } ?? false } ?? false)
    }
    var reportAge: TimeInterval? { latest.map { now.timeIntervalSince($0.report.observedAt) } }
    var isStale: Bool {
        guard let age = reportAge else { return true }
        return age
            > (ConsoleService.isOpen(shelter.lifecycle) ? ConsoleService.staleWhenOpen : ConsoleService.staleOtherwise)
    }
    var lastHeartbeat: Date? { links.compactMap(\.lastHeartbeatAt).max() }
    var isSilent: Bool { lastHeartbeat.map { now.timeIntervalSince($0) > ConsoleService.silentAfter } ?? true }

    static let columns: [(key: String, label: ConsoleText.Label)] = [
        ("name", .shelter), ("district", .district), ("grade", .grade), ("state", .lifecycle),
        ("occupancy", .occupancy),
        ("available", .available), ("power", .power), ("water", .water), ("sanitation", .sanitation),
        ("age", .lastReport), ("gateway", .gateway),
    ]

    /// `a` before `b` by `key` ascending; `nil` when equal. Unknown values sort after known ones.
    static func compare(_ a: OverviewRow, _ b: OverviewRow, by key: String) -> Bool? {
        func order<T: Comparable>(_ x: T?, _ y: T?) -> Bool? {
            switch (x, y) {
            case (let x?, let y?): x == y ? nil : x < y
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): nil
            }
        }
        func level(_ row: OverviewRow, _ path: KeyPath<ResourceStatus, ResourceLevel>) -> Int? {
            guard let level = row.latest?.report.resources[keyPath: path], level != .unknown else { return nil }
            return level == .insufficient ? 0 : 1
        }
        switch key {
        case "district": return order(a.district, b.district)
        case "grade": return order(a.shelter.grade, b.shelter.grade)
        case "state":
            return order(
                LifecycleState.allCases.firstIndex(of: a.shelter.lifecycle),
                LifecycleState.allCases.firstIndex(of: b.shelter.lifecycle))
        case "occupancy":
            return order(
                a.occupied.flatMap { o in a.capacity.map { Double(o) / Double(max($0, 1)) } },
                b.occupied.flatMap { o in b.capacity.map { Double(o) / Double(max($0, 1)) } })
        case "available": return order(a.available, b.available)
        case "power": return order(level(a, \.power), level(b, \.power))
        case "water": return order(level(a, \.water), level(b, \.water))
        case "sanitation": return order(level(a, \.sanitation), level(b, \.sanitation))
        case "age": return order(a.reportAge, b.reportAge)
        case "gateway":
            return order(
                a.lastHeartbeat.map { -$0.timeIntervalSince1970 }, b.lastHeartbeat.map { -$0.timeIntervalSince1970 })
        default: return order(a.name, b.name)
        }
    }

    func values(_ language: Language) -> [String: Any] {
        let unknown = ConsoleText.label(.unknown).text(in: language)
        func resource(_ path: KeyPath<ResourceStatus, ResourceLevel>) -> [String: Any] {
            let level = latest?.report.resources[keyPath: path] ?? .unknown
            return ["text": StatusText.resourceLevel(level).text(in: language), "level": level.rawValue]
        }
        let capacityText = capacity.map { TextArgument.persons($0).render(language) } ?? unknown
        let occupancy: String =
            if let occupied, let capacity {
                ConsoleText.occupancy(occupied: occupied, capacity: capacity).text(in: language)
            } else {
                "\(unknown) / \(capacityText)"
            }
        return [
            "id": shelter.id, "name": name, "href": "/shelters/\(shelter.id)", "district": district,
            "showId": name != shelter.id,
            "grade": shelter.grade.isEmpty ? "—" : shelter.grade,
            "state": StatusText.lifecycle(shelter.lifecycle).text(in: language),
            "stateClass": shelter.lifecycle.rawValue,
            "isDrill": shelter.isDrill, "isOpen": ConsoleService.isOpen(shelter.lifecycle), "isFull": isFull,
            "occupancy": occupancy, "occupancyKnown": occupied != nil,
            "available": available.map { TextArgument.persons($0).render(language) } ?? unknown,
            "availableKnown": available != nil,
            "power": resource(\.power), "water": resource(\.water), "sanitation": resource(\.sanitation),
            "reportAge": reportAge.map { ConsoleText.ago(seconds: max(0, $0)).text(in: language) }
                ?? ConsoleText.label(.noReport).text(in: language),
            "isStale": isStale,
            "gateway": lastHeartbeat.map {
                ConsoleText.ago(seconds: max(0, now.timeIntervalSince($0))).text(in: language)
            }
                ?? ConsoleText.label(.never).text(in: language),
            "isSilent": isSilent, "hasCritical": hasCritical,
        ]
    }
}
