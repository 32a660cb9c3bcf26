/// The verdict on one expectation at one moment.
public enum ExpectationOutcome: Sendable, Hashable {
    /// Not decided yet: the deadline has not passed (or, for an absence, the run is not over).
    case pending(String)
    /// Met; the text says by what and when.
    case passed(String)
    /// Not met; the text says what was wanted and what the registry had.
    case failed(String)

    /// Whether the verdict is final.
    public var isDecided: Bool {
        if case .pending = self { return false }
        return true
    }

    /// Whether it passed.
    public var isPassed: Bool {
        if case .passed = self { return true }
        return false
    }

    /// The explanation.
    public var detail: String {
        switch self {
        case .pending(let s), .passed(let s), .failed(let s): s
        }
    }
}

/// Judges expectations against what the registry has received. Pure: the runner polls the registry, folds
/// the listings into `RegistryObservations`, and asks here; tests feed made-up observations.
public enum ExpectationEvaluator {
    /// The verdict on `expectation` at `now`.
    ///
    /// - Parameters:
    ///   - observations: everything seen at the registry so far.
    ///   - now: time from t = 0 of the poll the observations come from.
    ///   - isFinal: the run is over (the last poll after the timeline): pending verdicts are decided.
    /// - Returns: once `passed` or `failed`, later calls with more observations return the same kind except
    ///   for an absence (a forbidden alert can still arrive until the end).
    public static func evaluate(
        _ expectation: Expectation, observations: RegistryObservations, now: Duration, isFinal: Bool
    ) -> ExpectationOutcome {
        switch expectation {
        case .alertReceived(let matcher, let by):
            return alertReceived(matcher, by: by, observations.alerts, now: now, isFinal: isFinal)
        case .alertAbsent(let matcher):
            if let hit = observations.alerts.first(where: matcher.matches) {
                return .failed("forbidden alert received: \(hit)")
            }
            let text = "none of \(observations.alerts.count) alert events matched"
            return isFinal ? .passed(text) : .pending(text)
        case .report(let report):
            return self.report(report, observations.reports, now: now, isFinal: isFinal)
        case .delivery(let delivery):
            guard now >= delivery.by || isFinal else { return .pending("waiting until t=\(delivery.by.secondsText)s") }
            return self.delivery(delivery, observations)
        }
    }

    private static func alertReceived(
        _ matcher: AlertMatcher, by: Duration, _ alerts: [ObservedAlert], now: Duration, isFinal: Bool
    ) -> ExpectationOutcome {
        if let hit = alerts.first(where: { matcher.matches($0) && $0.firstSeen <= by }) {
            return .passed("received: \(hit)")
        }
        let late = alerts.first(where: matcher.matches)
        guard now > by || isFinal else { return .pending("not yet received") }
        if let late { return .failed("arrived late (deadline t=\(by.secondsText)s): \(late)") }
        return .failed("not received by t=\(by.secondsText)s; registry had \(summary(of: alerts))")
    }

    /// The report expectation holds if some report that was the latest at some moment in `after...by`
    /// satisfies the comparison.
    private static func report(
        _ expectation: ReportExpectation, _ reports: [ObservedReport], now: Duration, isFinal: Bool
    ) -> ExpectationOutcome {
        let ordered = reports.sorted { ($0.sequence ?? -1, $0.position) < ($1.sequence ?? -1, $1.position) }
        var lastCandidate: (ObservedReport, JSONValue?)?
        for (i, report) in ordered.enumerated() where report.firstSeen <= expectation.by {
            // Superseded when a later report was seen; it was the latest from firstSeen until then.
            let supersededAt = ordered[(i + 1)...].map(\.firstSeen).min()
            if let supersededAt, supersededAt <= expectation.after { continue }
            // Still the latest, but the window has not opened yet: it may be superseded before it does.
            if supersededAt == nil && now < expectation.after { continue }
            let value = expectation.path.resolve(in: report.document)
            if expectation.comparison.holds(for: value) {
                return .passed(
                    "report #\(report.sequence.map(String.init) ?? "?") seen t=\(report.firstSeen.secondsText)s: "
                        + "\(expectation.path) = \(value?.description ?? "nothing")")
            }
            lastCandidate = (report, value)
        }
        guard now > expectation.by || isFinal else { return .pending("not yet") }
        guard let (report, value) = lastCandidate else {
            return .failed(
                "no status report received by t=\(expectation.by.secondsText)s "
                    + "(\(reports.count) received in all)")
        }
        return .failed(
            "latest report #\(report.sequence.map(String.init) ?? "?") has \(expectation.path) = "
                + "\(value?.description ?? "nothing"), wanted \(expectation.comparison)")
    }

    private static func delivery(
        _ expectation: DeliveryExpectation, _ observations: RegistryObservations
    )
        -> ExpectationOutcome
    {
        let alerts = observations.alerts.filter { $0.firstSeen <= expectation.by }
        let reports = observations.reports.filter { $0.firstSeen <= expectation.by }
        var problems: [String] = []
        if alerts.count < expectation.minimumAlerts {
            problems.append("\(alerts.count) alert events arrived, wanted at least \(expectation.minimumAlerts)")
        }
        if expectation.onceEach { problems += duplicates(in: alerts) }
        if expectation.inOrder { problems += orderProblems(alerts: alerts, reports: reports) }
        if expectation.reportsWithoutGaps { problems += gaps(in: reports, restarts: expectation.sequenceRestarts) }
        if problems.isEmpty {
            return .passed("\(alerts.count) alert events and \(reports.count) reports, once each and in order")
        }
        return .failed(problems.joined(separator: "; "))
    }

    static func duplicates(in alerts: [ObservedAlert]) -> [String] {
        var problems: [String] = []
        var eventCounts: [String: Int] = [:]
        for alert in alerts { eventCounts[alert.eventId, default: 0] += 1 }
        for (eventId, count) in eventCounts.sorted(by: { $0.key < $1.key }) where count > 1 {
            problems.append("event \(eventId) arrived \(count) times")
        }
        let byCondition = Dictionary(grouping: alerts, by: \.alertId)
        for (alertId, events) in byCondition.sorted(by: { $0.key < $1.key }) {
            let distinct = Dictionary(grouping: events, by: \.eventId).values.compactMap(\.first)
            for type in ["Alert", "Cancel"] {
                let n = distinct.filter { $0.msgType == type }.count
                if n > 1 { problems.append("alert \(alertId) has \(n) distinct \(type) events") }
            }
        }
        return problems
    }

    static func orderProblems(alerts: [ObservedAlert], reports: [ObservedReport]) -> [String] {
        var problems: [String] = []
        let received = alerts.sorted { $0.position < $1.position }
        for (earlier, later) in zip(received, received.dropFirst()) {
            if let a = earlier.sentOffset, let b = later.sentOffset, b < a {
                problems.append("\(later) arrived after \(earlier), which was created later")
            }
        }
        let rank = ["Alert": 0, "Update": 1, "Cancel": 2]
        for (alertId, events) in Dictionary(grouping: received, by: \.alertId).sorted(by: { $0.key < $1.key }) {
            let ranks = events.map { rank[$0.msgType, default: 1] }
            if ranks != ranks.sorted() {
                problems.append("alert \(alertId) arrived as \(events.map(\.msgType).joined(separator: " → "))")
            }
        }
        let sequences = reports.sorted { $0.position < $1.position }.compactMap(\.sequence)
        if let (earlier, later) = zip(sequences, sequences.dropFirst()).first(where: { $0 >= $1 }) {
            problems.append("report #\(later) arrived after #\(earlier)")
        }
        return problems
    }

    /// Gaps and repeats in the report sequences; the `restarts` largest jumps are where a restarted agent began
    /// a new sequence run, not gaps.
    static func gaps(in reports: [ObservedReport], restarts: Int = 0) -> [String] {
        let sequences = reports.compactMap(\.sequence)
        guard let low = sequences.min(), let high = sequences.max() else { return [] }
        let sorted = Set(sequences).sorted()
        let restartsAt = Set(
            zip(sorted, sorted.dropFirst()).filter { $1 - $0 > 1 }.sorted { $0.1 - $0.0 > $1.1 - $1.0 }
                .prefix(max(0, restarts)).map(\.1))
        var problems: [String] = []
        if sequences.count < reports.count {
            problems.append("\(reports.count - sequences.count) reports without sequence")
        }
        let distinct = Set(sequences)
        if distinct.count < sequences.count {
            problems.append("\(sequences.count - distinct.count) report sequences arrived twice")
        }
        var missingCount: Int64 = 0
        var shownMissing: [Int64] = []
        for (earlier, later) in zip(sorted, sorted.dropFirst()) where later - earlier > 1 && !restartsAt.contains(later)
        {
            missingCount += later - earlier - 1
            shownMissing += (earlier + 1)..<min(later, earlier + 1 + Int64(max(0, 11 - shownMissing.count)))
        }
        if missingCount > 0 {
            let shown = shownMissing.prefix(10).map(String.init).joined(separator: ", ")
            problems.append(
                "\(missingCount) report sequences missing between #\(low) and #\(high): \(shown)"
                    + (missingCount > 10 ? ", …" : ""))
        }
        return problems
    }

    private static func summary(of alerts: [ObservedAlert]) -> String {
        guard !alerts.isEmpty else { return "no alert events" }
        let shown = alerts.prefix(8).map(\.description).joined(separator: "; ")
        return "\(alerts.count) alert events: \(shown)\(alerts.count > 8 ? "; …" : "")"
    }
}
