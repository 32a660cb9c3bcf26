/// A site's override of one check's thresholds, from the site file's `[thresholds."C-01"]` table.
///
/// `nil` fields keep the check's own default (record value, then national default). Units are the
/// check's own (a fraction for C-01, days for C-05, seconds for C-12, …; DESIGN §5).
public struct ThresholdOverride: Sendable, Hashable {
    /// Warning threshold, in the check's unit.
    public var warning: Double?
    /// Critical threshold, in the check's unit.
    public var critical: Double?
    /// How long the condition must hold before the alert fires.
    public var holdFor: Duration?
    /// Whether the check runs at all. Default `true`.
    public var isEnabled: Bool

    public init(warning: Double? = nil, critical: Double? = nil, holdFor: Duration? = nil, isEnabled: Bool = true) {
        self.warning = warning
        self.critical = critical
        self.holdFor = holdFor
        self.isEnabled = isEnabled
    }
}
