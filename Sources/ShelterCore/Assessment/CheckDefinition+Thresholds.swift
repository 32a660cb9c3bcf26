extension CheckDefinition {
    /// The thresholds in effect: the site override where set (origin `site_policy`), else `recordWarning` /
    /// `recordCritical` when the record supplies them (origin `record`), else the defaults (`defaultOrigin`).
    func thresholds(
        override: ThresholdOverride, recordWarning: Double? = nil, recordCritical: Double? = nil
    ) -> ThresholdUsed {
        let hasRecord = recordWarning != nil || recordCritical != nil
        let baseWarning = hasRecord ? recordWarning : defaultWarning
        let baseCritical = hasRecord ? recordCritical : defaultCritical
        let overridden = override.warning != nil || override.critical != nil
        return ThresholdUsed(
            warning: override.warning ?? baseWarning, critical: override.critical ?? baseCritical, unit: unit,
            direction: direction, origin: overridden ? .sitePolicy : (hasRecord ? .record : defaultOrigin))
    }
}

extension ThresholdUsed {
    /// Whether `value` is on the bad side of `limit` for this direction, with `margin` added on the good
    /// side (hysteresis: a level already reached stays until the value is past the limit by the margin).
    func isBad(_ value: Double, limit: Double, margin: Double = 0) -> Bool {
        switch direction {
        case .above: value >= limit - margin
        case .exceeds: value > limit - margin
        case .below: value < limit + margin
        }
    }

    /// Status of `value`: critical if past the critical threshold, warning if past the warning threshold,
    /// else ok. With `hysteresis` > 0 a level in `holding` is kept until the value clears it by
    /// `|threshold|·hysteresis`.
    func classify(_ value: Double, hysteresis: Double = 0, holding: CheckStatus = .ok) -> CheckStatus {
        func margin(_ limit: Double, _ level: CheckStatus) -> Double {
            holding >= level && holding != .unknown ? abs(limit) * hysteresis : 0
        }
        if let critical, isBad(value, limit: critical, margin: margin(critical, .critical)) { return .critical }
        if let warning, isBad(value, limit: warning, margin: margin(warning, .warning)) { return .warning }
        return .ok
    }
}
