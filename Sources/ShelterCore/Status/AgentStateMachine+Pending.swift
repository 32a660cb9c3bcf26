public import FoundationEssentials

extension AgentStateMachine {
    /// Why a check's latest result has no alert yet although its condition is under way, for `status`; `nil`
    /// when nothing is pending. Issue 11: "ok" next to "no generator is on load" during a hold time reads as
    /// wrong, so the pending state is shown:
    /// - a warning or critical result whose condition waits for its hold time (`AlertTracker`, pending): how
    ///   long it has lasted and how long it must last before the alert;
    /// - C-12 while mains is lost and no generator is on load yet, within the allowed transfer time (the check
    ///   is still ok): when it warns.
    /// - C-21 while more people than its limit are present but not yet for its own hold time (10 min by
    ///   default; the check is still ok): how long so far, and when it warns.
    /// - Parameters:
    ///   - result: one of `lastResults`.
    ///   - now: the status's capture time.
    public func pendingNote(for result: CheckResult, now: Date) -> ScreenText? {
        let key = AlertTracker.ConditionKey(checkId: result.checkId, subject: result.subject)
        let tracker = monitor.tracker
        if case .pending(let since)? = tracker.phases[key], result.status == .warning || result.status == .critical {
            return .pendingHold(
                status: result.status, seconds: max(0, now.timeIntervalSince(since)),
                holdSeconds: tracker.holdFor(result.checkId, in: lifecycle.state).inSeconds)
        }
        if result.checkId == .generatorTransfer, result.status == .ok,
            case .noGeneratorOnLoad? = result.finding, let warning = result.threshold?.warning
        {
            return .pendingTransfer(warnAtSeconds: warning)
        }
        if result.checkId == .unexpectedOccupancy, result.status == .ok,
            case .presentWhileNotActivatedFor(_, _, let held, _, let hold)? = result.finding, held < hold
        {
            return .pendingHold(status: .warning, seconds: max(0, held), holdSeconds: hold)
        }
        return nil
    }
}
