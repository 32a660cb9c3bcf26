import FoundationEssentials

/// Maps a check result onto CAP 1.2 fields (OASIS CAP 1.2 §3.2): status, msgType, category, event, urgency,
/// severity, certainty, onset, headline, description, instruction, parameters.
enum AlertEventMapping {
    /// - severity: critical → `Severe`, warning → `Moderate`;
    /// - urgency: critical → `Immediate`, warning → `Expected`, a Cancel → `Past`;
    /// - certainty: the check's (`Likely` for projections, `Observed` for measured facts);
    /// - status: `Exercise` in a drill, else `Actual`.
    /// `0.94` with unit `1` (a ratio) reads as `94 %`; anything else as the number and its unit.
    static func quantity(_ value: Double, unit: String) -> String {
        unit == "1" ? NumberText.percent(value) : "\(NumberText.format(value)) \(unit)"
    }

    static func event(
        _ type: CAPMessageType, alertId: String, eventId: String, references: [String], level: CheckStatus,
        onset: Date, result: CheckResult, context: AlertContext, isDrill: Bool
    ) -> AlertEvent {
        let definition = CheckDefinition.definition(of: result.checkId)
        let title = definition?.title ?? result.checkId.rawValue
        let subject = result.subject.isEmpty ? "" : " (\(result.subject))"
        let threshold = level == .critical ? result.threshold?.critical : result.threshold?.warning
        var headline = "\(result.checkId) \(type == .cancel ? "resolved" : level.rawValue): \(title)\(subject)"
        if type != .cancel, let value = result.value {
            headline += " " + Self.quantity(value.value, unit: value.unit)
            if let threshold { headline += " (threshold \(Self.quantity(threshold, unit: value.unit)))" }
        }
        var description = result.summary + ". Source: \(result.source)."
        if let origin = result.threshold?.origin { description += " Threshold origin: \(origin.rawValue)." }
        return AlertEvent(
            alertId: alertId, eventId: eventId, shelterId: context.shelterId, gatewayId: context.gatewayId,
            references: references, status: isDrill ? .exercise : .actual, msgType: type,
            category: definition?.category ?? .other, event: definition?.event ?? title,
            urgency: type == .cancel ? .past : (level == .critical ? .immediate : .expected),
            severity: level == .critical ? .severe : .moderate, certainty: definition?.certainty ?? .observed,
            onset: onset, sent: context.now, headline: headline, description: description,
            instruction: type == .cancel ? "No action needed." : (definition?.instruction ?? ""),
            parameters: AlertParameters(
                checkId: result.checkId, subject: result.subject, checkStatus: result.status, value: result.value,
                threshold: threshold, thresholdOrigin: result.threshold?.origin, occupancy: context.occupancy,
                capacity: context.capacity))
    }
}
