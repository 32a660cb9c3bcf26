import FoundationEssentials

/// Maps a check result onto CAP 1.2 fields (OASIS CAP 1.2 §3.2): status, msgType, category, event, urgency,
/// severity, certainty, onset, headline, description, instruction, parameters.
enum AlertEventMapping {
    /// - severity: critical → `Severe`, warning → `Moderate`;
    /// - urgency: critical → `Immediate`, warning → `Expected`, a Cancel → `Past`;
    /// - certainty: the check's (`Likely` for projections, `Observed` for measured facts);
    /// - status: `Exercise` in a drill, else `Actual`;
    /// - event, headline, description, instruction: from the catalog (`AlertText`) in both languages, the
    ///   top-level fields in `context.language`.
    static func event(
        _ type: CAPMessageType, alertId: String, eventId: String, references: [String], level: CheckStatus,
        onset: Date, result: CheckResult, context: AlertContext, isDrill: Bool
    ) -> AlertEvent {
        let definition = CheckDefinition.definition(of: result.checkId)
        let title = definition?.title ?? result.checkId.rawValue
        let threshold = level == .critical ? result.threshold?.critical : result.threshold?.warning
        // Both languages from the catalog (issue 16); the top-level fields repeat the primary language.
        let texts = AlertText.make(
            for: result.checkId, type: type, level: level, subject: result.subject, value: result.value?.value,
            threshold: result.value == nil ? nil : threshold, finding: result.finding,
            origin: result.threshold?.origin, capacity: context.capacity)
        let primary = texts.first { $0.language == context.language.capCode } ?? texts.first
        return AlertEvent(
            alertId: alertId, eventId: eventId, shelterId: context.shelterId, gatewayId: context.gatewayId,
            references: references, status: isDrill ? .exercise : .actual, msgType: type,
            category: definition?.category ?? .other, event: primary?.event ?? definition?.event ?? title,
            urgency: type == .cancel ? .past : (level == .critical ? .immediate : .expected),
            severity: level == .critical ? .severe : .moderate, certainty: definition?.certainty ?? .observed,
            onset: onset, sent: context.now, headline: primary?.headline ?? "\(result.checkId) \(title)",
            description: primary?.description ?? result.summary, instruction: primary?.instruction ?? "",
            parameters: AlertParameters(
                checkId: result.checkId, subject: result.subject, checkStatus: result.status, value: result.value,
                threshold: threshold, thresholdOrigin: result.threshold?.origin, occupancy: context.occupancy,
                capacity: context.capacity),
            texts: texts.isEmpty ? nil : texts)
    }
}
