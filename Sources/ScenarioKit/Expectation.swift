public import ShelterCore

/// What the registry must show during or after a scenario's timeline.
public enum Expectation: Sendable, Hashable, CustomStringConvertible {
    /// An alert event matching `alert` must have been received by `by` (file table `[[expect.alert]]`).
    case alertReceived(AlertMatcher, by: Duration)
    /// No alert event matching must be received during the whole run (file table `[[expect.no_alert]]`).
    case alertAbsent(AlertMatcher)
    /// The latest status report must satisfy a comparison at some time within a window (`[[expect.report]]`).
    case report(ReportExpectation)
    /// Everything the agent sent arrives once each, in order, by a time (`[expect.delivery]`).
    case delivery(DeliveryExpectation)

    /// A short name for the JUnit test case and the console report.
    public var description: String {
        switch self {
        case .alertReceived(let matcher, let by): "alert \(matcher) by t=\(by.secondsText)s"
        case .alertAbsent(let matcher): "no alert \(matcher)"
        case .report(let report): "\(report)"
        case .delivery(let delivery): "\(delivery)"
        }
    }
}

/// Which alert events an expectation is about. Every field that is set must match; `nil` matches anything.
public struct AlertMatcher: Sendable, Hashable, CustomStringConvertible {
    /// The check, e.g. `C-01` (CAP parameter `checkId`).
    public var check: CheckID?
    /// The condition instance within the check, e.g. `if_full` or a device name (`subject`).
    public var subject: String?
    /// CAP `severity`: `Severe` for critical, `Moderate` for warning.
    public var severity: CAPSeverity?
    /// CAP `status`: `Actual` or `Exercise`.
    public var status: CAPStatus?
    /// CAP `msgType`: `Alert`, `Update` or `Cancel`.
    public var msgType: CAPMessageType?
    /// The event must have been created (CAP `sent`) at or after this time from t = 0. CAP `sent` has whole
    /// seconds (the schema's pattern, issue 14), cut down from the moment the agent made the event, while t = 0
    /// falls anywhere within a second; so an event made at or after this time reads up to 1 s earlier, and
    /// only a `sent` a whole second or more before it fails (`sentTruncation`).
    public var sentAfter: Duration?
    /// The event must have been created (CAP `sent`) at or before this time from t = 0.
    public var sentBefore: Duration?

    public init(
        check: CheckID? = nil, subject: String? = nil, severity: CAPSeverity? = nil, status: CAPStatus? = nil,
        msgType: CAPMessageType? = nil, sentAfter: Duration? = nil, sentBefore: Duration? = nil
    ) {
        self.check = check
        self.subject = subject
        self.severity = severity
        self.status = status
        self.msgType = msgType
        self.sentAfter = sentAfter
        self.sentBefore = sentBefore
    }

    /// Whether nothing is constrained (it would match every alert).
    public var isUnconstrained: Bool { self == AlertMatcher() }

    /// How much earlier than the moment it was made an event's `sent` can read: CAP times are cut to whole
    /// seconds.
    static let sentTruncation: Duration = .seconds(1)

    /// Whether `alert` matches.
    public func matches(_ alert: ObservedAlert) -> Bool {
        if let check, alert.checkId != check.rawValue { return false }
        if let subject, alert.subject != subject { return false }
        if let severity, alert.severity != severity.rawValue { return false }
        if let status, alert.status != status.rawValue { return false }
        if let msgType, alert.msgType != msgType.rawValue { return false }
        if let sentAfter {
            guard let sent = alert.sentOffset, sent > sentAfter - Self.sentTruncation else { return false }
        }
        if let sentBefore { guard let sent = alert.sentOffset, sent <= sentBefore else { return false } }
        return true
    }

    public var description: String {
        var parts: [String] = []
        if let check { parts.append(check.rawValue) }
        if let subject { parts.append("subject=\(subject.isEmpty ? "\"\"" : subject)") }
        if let severity { parts.append(severity.rawValue) }
        if let status { parts.append(status.rawValue) }
        if let msgType { parts.append(msgType.rawValue) }
        if let sentAfter { parts.append("sent≥\(sentAfter.secondsText)s") }
        if let sentBefore { parts.append("sent≤\(sentBefore.secondsText)s") }
        return parts.isEmpty ? "(any)" : parts.joined(separator: " ")
    }
}

/// The latest status report must satisfy `comparison` at `path` at some time in `after...by`.
public struct ReportExpectation: Sendable, Hashable, CustomStringConvertible {
    /// Where in the report, e.g. `capacity.occupied` or `checks[checkId=C-05].status`.
    public var path: JSONPath
    /// What the value there must satisfy.
    public var comparison: Comparison
    /// The window opens at this time from t = 0. The default is 0.
    public var after: Duration
    /// The window closes (the deadline).
    public var by: Duration

    public init(path: JSONPath, comparison: Comparison, after: Duration = .zero, by: Duration) {
        self.path = path
        self.comparison = comparison
        self.after = after
        self.by = by
    }

    public var description: String {
        let window = after > .zero ? "between t=\(after.secondsText)s and " : "by "
        return "report \(path) \(comparison) \(window)t=\(by.secondsText)s"
    }
}

/// A comparison of a JSON value against an operand from the scenario file.
public struct Comparison: Sendable, Hashable, CustomStringConvertible {
    /// The operator. File spellings are the raw values.
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        /// The path leads to a value other than `null`.
        case exists
        /// The path leads nowhere or to `null`.
        case absent
    }

    public var op: Operator
    /// The operand (`nil` for `exists` and `absent`). Numbers compare numerically with a tolerance of 1e-9
    /// relative; strings and booleans only with `==` and `!=`.
    public var operand: JSONValue?

    public init(_ op: Operator, _ operand: JSONValue? = nil) {
        self.op = op
        self.operand = operand
    }

    /// Whether `value` (the value at the path, `nil` when the path leads nowhere) satisfies the comparison.
    public func holds(for value: JSONValue?) -> Bool {
        switch op {
        case .exists: return value != nil && value != .null
        case .absent: return value == nil || value == .null
        case .equal: return value.map { Self.equal($0, operand) } ?? false
        case .notEqual: return !(value.map { Self.equal($0, operand) } ?? false)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let lhs = value?.numberValue, let rhs = operand?.numberValue else { return false }
            switch op {
            case .less: return lhs < rhs && !Self.close(lhs, rhs)
            case .lessOrEqual: return lhs <= rhs || Self.close(lhs, rhs)
            case .greater: return lhs > rhs && !Self.close(lhs, rhs)
            default: return lhs >= rhs || Self.close(lhs, rhs)
            }
        }
    }

    private static func equal(_ value: JSONValue, _ operand: JSONValue?) -> Bool {
        if let a = value.numberValue, let b = operand?.numberValue { return close(a, b) }
        return value == operand
    }

    private static func close(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
    }

    public var description: String {
        operand.map { "\(op.rawValue) \($0)" } ?? op.rawValue
    }
}

/// Delivery after an outage: by `by`, every alert event arrived once and in the order it was created, and
/// status reports arrived without gaps in their sequence.
public struct DeliveryExpectation: Sendable, Hashable, CustomStringConvertible {
    /// The deadline, from t = 0.
    public var by: Duration
    /// No event id twice; each condition instance (`alertId`) raised (`Alert`) once and cancelled at most once.
    public var onceEach: Bool
    /// Alert events arrived in the order they were created (`sent`), and within each `alertId` as
    /// Alert → Update… → Cancel; status reports arrived in `sequence` order.
    public var inOrder: Bool
    /// Status report sequences received form one run with no gap and no sequence twice.
    public var reportsWithoutGaps: Bool
    /// Agent restarts (a SIGHUP reload starts a new sequence run, from the run's start time) the timeline has:
    /// the sequences may form this many more runs, split at the largest jumps; within each run, no gap.
    public var sequenceRestarts: Int
    /// At least this many alert events must have arrived (0: no minimum).
    public var minimumAlerts: Int

    public init(
        by: Duration, onceEach: Bool = true, inOrder: Bool = true, reportsWithoutGaps: Bool = true,
        minimumAlerts: Int = 0, sequenceRestarts: Int = 0
    ) {
        self.sequenceRestarts = sequenceRestarts
        self.by = by
        self.onceEach = onceEach
        self.inOrder = inOrder
        self.reportsWithoutGaps = reportsWithoutGaps
        self.minimumAlerts = minimumAlerts
    }

    public var description: String {
        var what: [String] = []
        if onceEach { what.append("once each") }
        if inOrder { what.append("in order") }
        if reportsWithoutGaps {
            what.append(
                "reports without gaps" + (sequenceRestarts > 0 ? " (\(sequenceRestarts) sequence restarts)" : ""))
        }
        if minimumAlerts > 0 { what.append("≥ \(minimumAlerts) alert events") }
        return "delivery \(what.joined(separator: ", ")) by t=\(by.secondsText)s"
    }
}
