public import FoundationEssentials

/// One alert event as the registry lists it, with when the scenario runner first saw it.
public struct ObservedAlert: Sendable, Hashable, CustomStringConvertible {
    public var eventId: String
    public var alertId: String
    /// CAP parameter `checkId`, e.g. `"C-01"`.
    public var checkId: String
    public var subject: String
    /// CAP `severity`, e.g. `"Moderate"`.
    public var severity: String
    /// CAP `status`, `"Actual"` or `"Exercise"`.
    public var status: String
    /// CAP `msgType`, `"Alert"`, `"Update"` or `"Cancel"`.
    public var msgType: String
    /// CAP `sent` relative to t = 0 (negative: before the timeline started); `nil` if missing or unreadable.
    public var sentOffset: Duration?
    /// When the runner first saw it in the registry's list, from t = 0.
    public var firstSeen: Duration
    /// Its position in the registry's list (the registry lists in the order it received), 0-based.
    public var position: Int

    public init(
        eventId: String, alertId: String, checkId: String, subject: String = "", severity: String, status: String,
        msgType: String, sentOffset: Duration?, firstSeen: Duration, position: Int
    ) {
        self.eventId = eventId
        self.alertId = alertId
        self.checkId = checkId
        self.subject = subject
        self.severity = severity
        self.status = status
        self.msgType = msgType
        self.sentOffset = sentOffset
        self.firstSeen = firstSeen
        self.position = position
    }

    public var description: String {
        let subjectText = subject.isEmpty ? "" : "/\(subject)"
        let sentText = sentOffset.map { " sent t=\($0.secondsText)s" } ?? ""
        return "\(checkId)\(subjectText) \(severity) \(status) \(msgType)\(sentText) seen t=\(firstSeen.secondsText)s"
    }
}

/// One status report as the registry lists it.
public struct ObservedReport: Sendable, Hashable {
    public var reportId: String
    /// Per-gateway sequence; `nil` if missing.
    public var sequence: Int64?
    /// The whole report, for path expectations.
    public var document: JSONValue
    /// When the runner first saw it, from t = 0.
    public var firstSeen: Duration
    /// Position in the registry's list (receipt order), 0-based.
    public var position: Int

    public init(reportId: String, sequence: Int64?, document: JSONValue, firstSeen: Duration, position: Int) {
        self.reportId = reportId
        self.sequence = sequence
        self.document = document
        self.firstSeen = firstSeen
        self.position = position
    }
}

/// Everything the runner has seen at the registry so far: the alert events and status reports, in the
/// registry's receipt order. Pure: `update(alerts:reports:now:timelineStart:)` folds in a fresh listing.
public struct RegistryObservations: Sendable, Hashable {
    public private(set) var alerts: [ObservedAlert] = []
    public private(set) var reports: [ObservedReport] = []

    public init(alerts: [ObservedAlert] = [], reports: [ObservedReport] = []) {
        self.alerts = alerts
        self.reports = reports
    }

    /// Replaces the lists with a fresh listing from the registry, keeping the first-seen time of entries
    /// already seen (matched by id and occurrence, so a listing that shows a duplicate keeps it).
    ///
    /// - Parameters:
    ///   - alertListing: the admin endpoint's alert list: an array of events, or an object holding one
    ///     (`alerts`, `items`, `events`), each element an event or a receipt wrapping one (`event`, `alert`,
    ///     `payload`, `body`).
    ///   - reportListing: the same for status reports (`reports`, `items`; `report`, `payload`, `body`).
    ///   - now: the poll time from t = 0.
    ///   - timelineStart: the wall-clock time of t = 0, to place CAP `sent` on the timeline.
    public mutating func update(
        alertListing: JSONValue?, reportListing: JSONValue?, now: Duration, timelineStart: Date
    ) {
        if let alertListing {
            let previous = Self.firstSeenIndex(alerts.map(\.eventId), alerts.map(\.firstSeen))
            var occurrences: [String: Int] = [:]
            alerts = Self.elements(
                of: alertListing, listKeys: ["alerts", "items", "events"],
                wrapperKeys: ["event", "alert", "payload", "body"], idKey: "eventId"
            )
            .enumerated().map { position, event in
                let eventId = event["eventId"]?.stringValue ?? ""
                let nth = occurrences[eventId, default: 0]
                occurrences[eventId] = nth + 1
                let parameters = event["parameters"]
                return ObservedAlert(
                    eventId: eventId, alertId: event["alertId"]?.stringValue ?? "",
                    checkId: parameters?["checkId"]?.stringValue ?? "",
                    subject: parameters?["subject"]?.stringValue ?? "",
                    severity: event["severity"]?.stringValue ?? "", status: event["status"]?.stringValue ?? "",
                    msgType: event["msgType"]?.stringValue ?? "",
                    sentOffset: event["sent"]?.stringValue.flatMap { Self.offset(of: $0, from: timelineStart) },
                    firstSeen: previous["\(nth)|\(eventId)"] ?? now, position: position)
            }
        }
        if let reportListing {
            let previous = Self.firstSeenIndex(reports.map(\.reportId), reports.map(\.firstSeen))
            var occurrences: [String: Int] = [:]
            reports = Self.elements(
                of: reportListing, listKeys: ["reports", "items"],
                wrapperKeys: ["report", "payload", "body"], idKey: "reportId"
            )
            .enumerated().map { position, report in
                let reportId = report["reportId"]?.stringValue ?? ""
                let nth = occurrences[reportId, default: 0]
                occurrences[reportId] = nth + 1
                return ObservedReport(
                    reportId: reportId, sequence: report["sequence"]?.numberValue.map { Int64($0) },
                    document: report, firstSeen: previous["\(nth)|\(reportId)"] ?? now, position: position)
            }
        }
    }

    /// The report with the highest sequence (latest position when sequences tie or are missing).
    public var latestReport: ObservedReport? {
        reports.max { ($0.sequence ?? -1, $0.position) < ($1.sequence ?? -1, $1.position) }
    }

    private static func firstSeenIndex(_ ids: [String], _ times: [Duration]) -> [String: Duration] {
        var index: [String: Duration] = [:]
        var occurrences: [String: Int] = [:]
        for (id, time) in zip(ids, times) {
            let nth = occurrences[id, default: 0]
            occurrences[id] = nth + 1
            index["\(nth)|\(id)"] = time
        }
        return index
    }

    private static func elements(
        of listing: JSONValue, listKeys: [String], wrapperKeys: [String], idKey: String
    ) -> [JSONValue] {
        let list: [JSONValue] =
            listing.arrayValue ?? listKeys.lazy.compactMap { listing[$0]?.arrayValue }.first ?? []
        return list.map { element in
            if element[idKey] != nil { return element }
            return wrapperKeys.lazy.compactMap { key in element[key].flatMap { $0[idKey] != nil ? $0 : nil } }
                .first ?? element
        }
    }

    /// `text` (ISO 8601) minus `start`.
    static func offset(of text: String, from start: Date) -> Duration? {
        guard let date = parseTimestamp(text) else { return nil }
        return .seconds(exactly: date.timeIntervalSince(start))
    }

    /// Parses an ISO 8601 timestamp with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
