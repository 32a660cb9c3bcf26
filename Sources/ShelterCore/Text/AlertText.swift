/// The CAP texts of an alert event (event, headline, description, instruction) in each language, from the
/// catalog. `AlertEventMapping` calls `make`; the top-level fields of `AlertEvent` take the primary language.
public enum AlertText {
    /// The texts of one event of `check`, zh-CN first, then en (CAP: one `info` per language).
    /// - Parameters:
    ///   - check: the check; an id this agent does not implement gets no texts (`[]`).
    ///   - type: `Alert` or `Update` give the level's headline and the check's instruction; `Cancel` the
    ///     resolved headline and "no action needed".
    ///   - level: `warning` or `critical` (the level the event reports).
    ///   - subject: the condition instance (`CheckResult.subject`).
    ///   - value: the check's value in its `CheckDefinition` unit, `nil` when it had none.
    ///   - threshold: the threshold crossed, in the same unit, `nil` when none.
    ///   - finding: what the check found; `nil` gives a description from `value` and `threshold`.
    ///   - origin: where the threshold comes from.
    ///   - capacity: registered capacity, persons.
    public static func make(
        for check: CheckID, type: CAPMessageType, level: CheckStatus, subject: String, value: Double?,
        threshold: Double?, finding: CheckFinding?, origin: ThresholdOrigin?, capacity: Int
    ) -> [AlertEventText] {
        guard let kind = CheckKind(check) else { return [] }
        return Language.allCases.map { language in
            make(
                kind, language: language, type: type, level: level, subject: subject, value: value,
                threshold: threshold, finding: finding, origin: origin, capacity: capacity)
        }
    }

    /// The texts of one event in `language` (see `make(for:…)`).
    public static func make(
        _ check: CheckKind, language: Language, type: CAPMessageType, level: CheckStatus, subject: String,
        value: Double?, threshold: Double?, finding: CheckFinding?, origin: ThresholdOrigin?,
        capacity: Int
    ) -> AlertEventText {
        let title = CheckTitle.make(check: check, subject: subject, finding: finding, capacity: capacity)
        let headline: AlertTextEntry =
            type == .cancel
            ? .resolvedHeadline(check: check, title: title)
            : .headline(
                check: check, level: level, title: title,
                value: title.isComplete ? nil : value.map(check.argument(forValue:)),
                threshold: title.isComplete ? nil : threshold.map(check.argument(forValue:)))
        let description: String
        if let finding {
            description = AlertTextEntry.description(finding: finding, check: check, origin: origin).text(in: language)
        } else if let value {
            let finding = CheckFinding.measured(check, value: value, threshold: threshold)
            description = AlertTextEntry.description(finding: finding, check: check, origin: origin).text(in: language)
        } else {
            description = CheckText.source(check).text(in: language)
        }
        return AlertEventText(
            language: language.capCode, event: CheckText.event(check).text(in: language),
            headline: headline.text(in: language), description: description,
            instruction: (type == .cancel ? CheckText.noActionNeeded : CheckText.instruction(check)).text(in: language))
    }
}
