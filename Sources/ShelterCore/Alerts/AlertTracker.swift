public import FoundationEssentials

/// The alert lifecycle (DESIGN §1, issue 5): a pure state machine fed check results with `now`, returning
/// the alert events to send. AsyncHTTPClient-style: feed an input, get actions; no clock, no I/O.
///
/// Per condition instance (check id + subject):
/// - **inactive → pending** when a result is warning or critical;
/// - **pending → firing** once the bad status has held for the check's `for` duration (site override
///   `holdFor`, else `CheckDefinition.defaultHoldFor`; 0 fires at once): one `Alert` event with a new
///   stable `alertId`; pending → inactive without an event if it clears first;
/// - **firing**: a change of level (warning ⇄ critical) is one `Update`; the same level again is no event
///   (de-duplication); the level clears only when the value is past the threshold by the check's hysteresis
///   (`|threshold|·hysteresis`), then one `Cancel` and back to inactive (the next one gets a new `alertId`).
/// - An `unknown` result changes nothing: missing data neither raises nor resolves (C-22 reports it).
/// - A firing condition whose check no longer runs (lifecycle state changed) is cancelled.
/// - Drill: every event is `Exercise`, never `Actual`. When the drill flag changes, every firing alert is
///   cancelled under the old status and conditions start over under the new one.
///
/// - Restart: alerts firing when the last run stopped are taken over with their ids (`adopt(_:isDrill:)`), so
///   a condition that still holds keeps its alert and one that cleared gets one `Cancel`.
///
/// Each event has a unique `eventId`; ids come from the injected `IdentifierGenerator`.
/// Value type; not thread-safe on its own (owned by one caller).
public struct AlertTracker: Sendable {
    /// Identifies a condition instance.
    public struct ConditionKey: Sendable, Hashable, Comparable {
        /// The check.
        public var checkId: CheckID
        /// The result's subject within the check (`""` for the whole site).
        public var subject: String

        public init(checkId: CheckID, subject: String = "") {
            self.checkId = checkId
            self.subject = subject
        }

        public static func < (lhs: ConditionKey, rhs: ConditionKey) -> Bool {
            (lhs.checkId, lhs.subject) < (rhs.checkId, rhs.subject)
        }
    }

    /// Where a condition instance stands.
    public enum Phase: Sendable, Hashable {
        /// Bad since `since`, waiting for the `for` duration.
        case pending(since: Date)
        /// Alert raised: `alertId`, current `level`.
        case firing(alertId: String, level: CheckStatus)
    }

    /// What the tracker knows of one condition.
    struct Condition: Sendable {
        var phase: Phase
        var onset: Date
        var eventIds: [String]
        var last: CheckResult
    }

    /// Site overrides (`holdFor` per check and state).
    public var configuration: AssessmentConfiguration
    private var ids: any IdentifierGenerator
    var conditions: [ConditionKey: Condition] = [:]
    var isDrill = false
    /// Alerts taken over at start whose drill status no longer holds: cancelled by the next `update`.
    var adoptedToCancel: [AlertEvent] = []

    /// Creates a tracker with no conditions.
    public init(configuration: AssessmentConfiguration = .init(), identifiers: some IdentifierGenerator) {
        self.configuration = configuration
        self.ids = identifiers
    }

    /// The phase of every condition instance that is pending or firing.
    public var phases: [ConditionKey: Phase] { conditions.mapValues(\.phase) }

    /// How long a bad result of `checkId` must hold before it alerts in `state`: the site's `hold_for_seconds`,
    /// else `CheckDefinition.defaultHoldFor`; zero for a check without a definition.
    public func holdFor(_ checkId: CheckID, in state: LifecycleState) -> Duration {
        configuration.override(for: checkId, in: state).holdFor
            ?? CheckDefinition.definition(of: checkId)?.defaultHoldFor ?? .zero
    }

    /// When the earliest pending condition's hold time ends (its `for` duration in `state`), or `nil` when none
    /// is pending: the runtime evaluates again then, so an alert fires at the end of its hold, not at the next
    /// periodic tick.
    public func nextHoldEnd(lifecycle state: LifecycleState) -> Date? {
        var earliest: Date?
        for (key, condition) in conditions {
            guard case .pending(let since) = condition.phase,
                CheckDefinition.definition(of: key.checkId) != nil
            else { continue }
            let end = since.addingTimeInterval(holdFor(key.checkId, in: state).inSeconds)
            if earliest.map({ end < $0 }) ?? true { earliest = end }
        }
        return earliest
    }

    /// Feeds one evaluation's results.
    /// - Parameters:
    ///   - results: every result of the evaluation (`Assessment.evaluate`); a firing condition missing from
    ///     them is cancelled.
    ///   - context: shelter and gateway ids, lifecycle, occupancy and capacity for the event parameters, `now`.
    /// - Returns: the events to send, in condition order (check id, subject).
    public mutating func update(_ results: [CheckResult], context: AlertContext) -> [AlertEvent] {
        var events = cancelAdoptedMismatches(context: context)
        if context.lifecycle.isDrill != isDrill {
            for key in conditions.keys.sorted() {
                guard let condition = conditions[key], case .firing = condition.phase else { continue }
                var cancelled = condition.last
                cancelled.status = .ok
                cancelled.set(.drillChanged(started: !isDrill))
                events.append(event(.cancel, for: condition, result: cancelled, context: context, isDrill: isDrill))
            }
            conditions = [:]
            isDrill = context.lifecycle.isDrill
        }
        let sorted = results.sorted(by: { ($0.checkId, $0.subject) < ($1.checkId, $1.subject) })
        for result in sorted {
            if let event = step(ConditionKey(checkId: result.checkId, subject: result.subject), result, context) {
                events.append(event)
            }
        }
        // The few conditions held are looked up in the sorted results, rather than every result's key hashed into
        // a set on every tick (a third of this method's cost).
        for key in conditions.keys.sorted() where !Self.results(sorted, contain: key) {
            guard let condition = conditions.removeValue(forKey: key), case .firing = condition.phase else { continue }
            var cancelled = condition.last
            cancelled.status = .ok
            cancelled.set(.notRunning(check: key.checkId.rawValue, state: context.lifecycle.state))
            events.append(event(.cancel, for: condition, result: cancelled, context: context, isDrill: isDrill))
        }
        return events
    }

    /// Whether `results`, sorted by check id then subject, hold one for `key` (a binary search).
    private static func results(_ results: [CheckResult], contain key: ConditionKey) -> Bool {
        var low = 0
        var high = results.count
        while low < high {
            let middle = (low + high) / 2
            if (results[middle].checkId, results[middle].subject) < (key.checkId, key.subject) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low < results.count && results[low].checkId == key.checkId && results[low].subject == key.subject
    }

    /// One condition's transition for `result`.
    private mutating func step(_ key: ConditionKey, _ result: CheckResult, _ context: AlertContext) -> AlertEvent? {
        guard result.status != .unknown, let definition = CheckDefinition.definition(of: key.checkId) else {
            return nil
        }
        let holdFor = self.holdFor(key.checkId, in: context.lifecycle.state)
        guard var condition = conditions[key] else {
            guard result.status != .ok else { return nil }
            let condition = Condition(
                phase: .pending(since: context.now), onset: context.now, eventIds: [], last: result)
            conditions[key] = condition
            return holdFor <= .zero ? fire(key, condition, result, context) : nil
        }
        condition.last = result
        switch condition.phase {
        case .pending(let since):
            guard result.status != .ok else {
                conditions[key] = nil
                return nil
            }
            conditions[key] = condition
            guard context.now.timeIntervalSince(since) >= holdFor.inSeconds else { return nil }
            return fire(key, condition, result, context)
        case .firing(let alertId, let level):
            let effective = Self.level(of: result, holding: level, hysteresis: definition.hysteresis)
            if effective == .ok {
                conditions[key] = nil
                return event(.cancel, for: condition, result: result, context: context, isDrill: isDrill)
            }
            guard effective != level else {
                conditions[key] = condition
                return nil
            }
            condition.phase = .firing(alertId: alertId, level: effective)
            let update = event(.update, for: condition, result: result, context: context, isDrill: isDrill)
            condition.eventIds.append(update.eventId)
            conditions[key] = condition
            return update
        }
    }

    /// Raises the alert for a condition whose hold time has passed.
    private mutating func fire(
        _ key: ConditionKey, _ pending: Condition, _ result: CheckResult, _ context: AlertContext
    ) -> AlertEvent {
        var condition = pending
        condition.phase = .firing(alertId: ids.nextIdentifier(), level: result.status)
        let alert = event(.alert, for: condition, result: result, context: context, isDrill: isDrill)
        condition.eventIds.append(alert.eventId)
        conditions[key] = condition
        return alert
    }

    /// The level of a firing condition after `result`, with hysteresis: when the check's status is the plain
    /// threshold comparison of its value, a level is kept until the value clears it by the margin; when the
    /// check decided otherwise (a link state, a hold time, "not on battery"), its status stands.
    static func level(of result: CheckResult, holding: CheckStatus, hysteresis: Double) -> CheckStatus {
        guard let value = result.value?.value, let threshold = result.threshold,
            threshold.classify(value) == result.status
        else { return result.status }
        return threshold.classify(value, hysteresis: hysteresis, holding: holding)
    }

    /// Builds one event; `eventId` is new.
    mutating func event(
        _ type: CAPMessageType, for condition: Condition, result: CheckResult, context: AlertContext, isDrill: Bool
    ) -> AlertEvent {
        let alertId: String
        let level: CheckStatus
        switch condition.phase {
        case .firing(let id, let l):
            alertId = id
            level = l
        case .pending:
            alertId = ""
            level = result.status
        }
        return AlertEventMapping.event(
            type, alertId: alertId, eventId: ids.nextIdentifier(), references: condition.eventIds, level: level,
            onset: condition.onset, result: result, context: context, isDrill: isDrill)
    }
}
