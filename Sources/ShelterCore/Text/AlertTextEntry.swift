/// The catalog entries of an alert event's CAP texts besides `event` and `instruction` (`CheckText`):
/// its headline and its description.
public enum AlertTextEntry: CatalogEntry {
    /// A raised or updated alert: `C-01 警告：在场人数占可容纳人数的比例为 94 %（阈值 90 %）` /
    /// `C-01 warning: occupancy of registered capacity: 94 % (threshold 90 %)`. `value` and `threshold` are
    /// omitted when the check has none.
    case headline(
        check: CheckKind, level: CheckStatus, title: CheckTitle, value: TextArgument?,
        threshold: TextArgument?)
    /// A resolved alert (CAP Cancel): `C-01 已解除：…` / `C-01 resolved: …`.
    case resolvedHeadline(check: CheckKind, title: CheckTitle)
    /// What was found, the rule's source and where the threshold comes from.
    case description(finding: CheckFinding, check: CheckKind, origin: ThresholdOrigin?)

    public var texts: Bilingual {
        switch self {
        case .headline(let check, let level, let title, let value, let threshold):
            let id = TextArgument.verbatim(check.rawValue)
            let word = StatusText.checkStatus(level)
            switch (value, threshold) {
            case (let value?, let threshold?):
                return Bilingual(
                    zh: "\(id) \(word)：\(title)为 \(value)（阈值 \(threshold)）",
                    en: "\(id) \(word): \(title): \(value) (threshold \(threshold))")
            case (let value?, nil):
                return Bilingual(zh: "\(id) \(word)：\(title)为 \(value)", en: "\(id) \(word): \(title): \(value)")
            case (nil, let threshold?):
                return Bilingual(
                    zh: "\(id) \(word)：\(title)（阈值 \(threshold)）",
                    en: "\(id) \(word): \(title) (threshold \(threshold))")
            case (nil, nil):
                return Bilingual(zh: "\(id) \(word)：\(title)", en: "\(id) \(word): \(title)")
            }
        case .resolvedHeadline(let check, let title):
            let id = TextArgument.verbatim(check.rawValue)
            return Bilingual(zh: "\(id) 已解除：\(title)", en: "\(id) resolved: \(title)")
        case .description(let finding, let check, let origin):
            let source = CheckText.source(check)
            guard let origin else {
                return Bilingual(zh: "\(finding)。依据：\(source)。", en: "\(finding). Source: \(source).")
            }
            let from = StatusText.thresholdOrigin(origin)
            return Bilingual(
                zh: "\(finding)。依据：\(source)。阈值来源：\(from)。",
                en: "\(finding). Source: \(source). Threshold from \(from).")
        }
    }
}
