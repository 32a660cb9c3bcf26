import FoundationEssentials

/// Everything one evaluation of the checks reads: the snapshot, the record, the lifecycle state, the site's
/// overrides and `now`. Internal; built by `Assessment.evaluate(_:lifecycle:at:)`.
struct CheckContext {
    var snapshot: SiteSnapshot
    var record: ShelterRecord
    var state: LifecycleState
    var configuration: AssessmentConfiguration
    var now: Date

    /// The site's override for `id` in the current state.
    func override(_ id: CheckID) -> ThresholdOverride { configuration.override(for: id, in: state) }

    /// `derived`, or unknown(stale) when it was observed longer ago than `maximumInputAge`.
    func fresh<V>(_ derived: Derived<V>) -> Derived<V> {
        guard case .known(_, let at) = derived else { return derived }
        let age = now.timeIntervalSince(at)
        guard age > configuration.maximumInputAge.inSeconds else { return derived }
        return .unknown(NoSampleReason(.stale, detail: "observed \(NumberText.format(age, decimals: 0)) s ago"))
    }

    /// Occupancy, fresh or unknown.
    var occupancy: Derived<Int> { fresh(snapshot.occupancy) }

    /// Registered capacity, persons (≥ 1 in a valid record).
    var capacity: Int { record.capacity }

    /// A result for `id` when an input is missing or stale: status unknown, the reason kept.
    func unknown(_ id: CheckID, subject: String = "", input: CheckInput, _ reason: NoSampleReason) -> CheckResult {
        var result = CheckResult(
            checkId: id, subject: subject, status: .unknown, value: nil, threshold: nil,
            source: Self.source(id), summary: "", reason: reason.kind, reasonDetail: reason.description)
        result.set(.inputUnknown(input, reason))
        return result
    }

    /// A result with a value compared against its thresholds; unknown if the value is not finite.
    func judged(
        _ id: CheckID, subject: String = "", value: Double, thresholds: ThresholdUsed, finding: CheckFinding
    ) -> CheckResult {
        guard value.isFinite else {  // JSON cannot carry it, and no formula here should produce it
            return unknown(id, subject: subject, input: .computedValue, .missing("not a finite number"))
        }
        var result = CheckResult(
            checkId: id, subject: subject, status: thresholds.classify(value),
            value: MeasuredValue(value, unit: thresholds.unit), threshold: thresholds, source: Self.source(id),
            summary: "")
        result.set(finding)
        return result
    }

    /// An ok result with no value, for when the formula has nothing to divide (nobody present, not filling,
    /// no load, mains present).
    func okWithoutValue(
        _ id: CheckID, subject: String = "", thresholds: ThresholdUsed, finding: CheckFinding
    ) -> CheckResult {
        var result = CheckResult(
            checkId: id, subject: subject, status: .ok, value: nil, threshold: thresholds, source: Self.source(id),
            summary: "")
        result.set(finding)
        return result
    }

    /// The definition of `id` (every `CheckID` static is in the catalogue).
    static func definition(_ id: CheckID) -> CheckDefinition {
        guard let definition = CheckDefinition.definition(of: id) else {
            preconditionFailure("check \(id) is missing from CheckDefinition.all")
        }
        return definition
    }

    static func source(_ id: CheckID) -> String { definition(id).source }

    /// The thresholds in effect for `id` (see `CheckDefinition.thresholds(override:recordWarning:recordCritical:)`).
    func thresholds(_ id: CheckID, recordWarning: Double? = nil, recordCritical: Double? = nil) -> ThresholdUsed {
        Self.definition(id).thresholds(
            override: override(id), recordWarning: recordWarning, recordCritical: recordCritical)
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}

extension CheckResult {
    /// Sets `finding`, from which the catalog writes the English `summary` when it is read.
    mutating func set(_ finding: CheckFinding) {
        self.finding = finding
        summary = ""
    }
}

extension NoSampleReason {
    /// A `missing_input` reason with `detail`.
    static func missing(_ detail: String) -> NoSampleReason { NoSampleReason(.missingInput, detail: detail) }
}
