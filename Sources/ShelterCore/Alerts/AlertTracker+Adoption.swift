public import FoundationEssentials

extension AlertTracker {
    /// Takes over the alerts that were raised and not cancelled when an earlier run (or the configuration
    /// before a reload) stopped, so restarts cause no churn at the registry (issue 12: 200 restarts gave
    /// 1 475 alert ids for 11 conditions).
    ///
    /// Each alert becomes its condition (check id + subject) firing at its level (`Severe` → critical, else
    /// warning) with its `alertId`, `onset` and event history. From the next `update(_:context:)` on it is
    /// an ordinary firing condition: still bad at the same level, no event and the same id; another level,
    /// one `Update`; cleared past the hysteresis, or its check no longer running, one `Cancel`; unknown,
    /// nothing. An alert whose drill status differs from `isDrill` (a drill ended or began while the agent was
    /// down) is cancelled by the next `update` under its own status.
    ///
    /// Call once, before the first `update`; conditions already known are kept.
    /// - Parameters:
    ///   - alerts: the latest event of each alert, any order; `Cancel` events are ignored.
    ///   - isDrill: whether the lifecycle the agent starts in is a drill.
    public mutating func adopt(_ alerts: [AlertEvent], isDrill: Bool) {
        self.isDrill = isDrill
        for alert in alerts.sorted(by: { $0.onset < $1.onset }) where alert.msgType != .cancel {
            guard (alert.status == .exercise) == isDrill else {
                adoptedToCancel.append(alert)
                continue
            }
            let key = ConditionKey(checkId: alert.parameters.checkId, subject: alert.parameters.subject)
            guard conditions[key] == nil else { continue }
            conditions[key] = Condition(
                phase: .firing(alertId: alert.alertId, level: alert.severity == .severe ? .critical : .warning),
                onset: alert.onset, eventIds: alert.references + [alert.eventId], last: Self.result(of: alert))
        }
    }

    /// The conditions that are bad but not alerting yet, and since when each has been (its hold time runs from
    /// there): what a reload hands the next configuration's tracker (`adoptPending(_:)`).
    public var pendingSince: [ConditionKey: Date] {
        conditions.compactMapValues { condition in
            if case .pending(let since) = condition.phase { since } else { nil }
        }
    }

    /// Takes over the conditions that were pending before a reload (SIGHUP) with their `since`, so a reload does
    /// not restart their hold time: reloads more often than a hold time (10 min for C-23) kept the alert from
    /// ever being raised (issue 11, new-user trial). From the next `update(_:context:)` on each is an ordinary
    /// pending condition: still bad, it fires once its hold time from `since` has passed; ok, it is dropped
    /// without an event; unknown, it stays pending. A condition already known, or of a check that has no
    /// definition, is left alone. Call before the first `update`.
    public mutating func adoptPending(_ pending: [ConditionKey: Date]) {
        for (key, since) in pending where conditions[key] == nil {
            guard CheckDefinition.definition(of: key.checkId) != nil else { continue }
            let placeholder = CheckResult(
                checkId: key.checkId, subject: key.subject, status: .unknown, value: nil, threshold: nil, source: "",
                summary: "")
            conditions[key] = Condition(phase: .pending(since: since), onset: since, eventIds: [], last: placeholder)
        }
    }

    /// One `Cancel` per adopted alert whose drill status no longer holds, under that alert's own status.
    mutating func cancelAdoptedMismatches(context: AlertContext) -> [AlertEvent] {
        guard !adoptedToCancel.isEmpty else { return [] }
        defer { adoptedToCancel = [] }
        return adoptedToCancel.map { alert in
            let wasDrill = alert.status == .exercise
            let condition = Condition(
                phase: .firing(alertId: alert.alertId, level: alert.severity == .severe ? .critical : .warning),
                onset: alert.onset, eventIds: alert.references + [alert.eventId], last: Self.result(of: alert))
            var cancelled = condition.last
            cancelled.status = .ok
            cancelled.summary = "cancelled: the drill \(wasDrill ? "ended" : "started") while the agent was stopped"
            return event(.cancel, for: condition, result: cancelled, context: context, isDrill: wasDrill)
        }
    }

    /// The check result an alert event was made from, as far as the event tells.
    static func result(of alert: AlertEvent) -> CheckResult {
        let parameters = alert.parameters
        return CheckResult(
            checkId: parameters.checkId, subject: parameters.subject, status: parameters.checkStatus,
            value: parameters.value, threshold: nil,
            source: CheckDefinition.definition(of: parameters.checkId)?.source ?? "", summary: alert.headline)
    }
}
