import FoundationEssentials

extension CheckContext {
    /// C-01 occupancy vs registered capacity: `N / C_reg` (unit 1). Warning ≥ 0.90, critical ≥ 1.00 (full).
    /// Source: Sanmenxia shelter measures (2022) art. 14 (3) (registered capacity), art. 22.
    func occupancyRatio() -> CheckResult {
        guard case .known(let n, _) = occupancy else {
            return unknown(.occupancy, input: .occupancy, occupancy.reason)
        }
        guard capacity > 0 else { return unknown(.occupancy, input: .registeredCapacity, .missing("not positive")) }
        let ratio = Double(n) / Double(capacity)
        return judged(
            .occupancy, value: ratio, thresholds: thresholds(.occupancy),
            finding: .occupancy(present: n, capacity: capacity, ratio: ratio))
    }

    /// C-02 area per person: `A / N` m²/person, A = registered effective area. Warning < 1.2·a_min, critical
    /// < a_min, a_min = the record's required area per person (default 1.5 m², GB 21734-2008 §5.4).
    /// With nobody present the check is ok and has no value.
    func areaPerPerson() -> CheckResult {
        let minimum = record.requiredAreaPerPerson
        // 1.2·a_min computed as 12·a_min / 10 so that 1.2 × 1.5 is exactly 1.8.
        let t = thresholds(.areaPerPerson, recordWarning: minimum * 12 / 10, recordCritical: minimum)
        guard case .known(let n, _) = occupancy else {
            return unknown(.areaPerPerson, input: .occupancy, occupancy.reason)
        }
        guard n > 0 else {
            return okWithoutValue(.areaPerPerson, thresholds: t, finding: .nobodyPresent)
        }
        let area = record.effectiveArea / Double(n)
        return judged(
            .areaPerPerson, value: area, thresholds: t,
            finding: .areaPerPerson(area: area, persons: n, effectiveArea: record.effectiveArea, minimum: minimum))
    }

    /// C-04 time until full: `(C_reg − N) / (dN/dt)` in minutes, dN/dt measured over the rate window
    /// (default 10 min). Warning < 60 min, critical < 15 min (site policy). Ok without a value when the shelter
    /// is not filling (dN/dt ≤ 0); 0 min (critical) when already full.
    /// - Parameter rate: persons per minute over the window, or unknown when there is not enough history.
    func timeUntilFull(rate: Derived<Double>) -> CheckResult {
        let t = thresholds(.timeUntilFull)
        guard case .known(let n, _) = occupancy else {
            return unknown(.timeUntilFull, input: .occupancy, occupancy.reason)
        }
        guard capacity > 0 else {
            return unknown(.timeUntilFull, input: .registeredCapacity, .missing("not positive"))
        }
        // Counts and capacities come from outside (a device, the registry): never trap on their difference.
        let (difference, overflow) = capacity.subtractingReportingOverflow(n)
        let free = overflow ? 0 : difference
        if free <= 0 {
            return judged(
                .timeUntilFull, value: 0, thresholds: t, finding: .alreadyFull(present: n, capacity: capacity))
        }
        guard case .known(let perMinute, _) = rate else {
            return unknown(.timeUntilFull, input: .fillingRate, rate.reason)
        }
        guard perMinute > 0 else {
            return okWithoutValue(
                .timeUntilFull, thresholds: t, finding: .notFilling(perMinute: perMinute, free: free))
        }
        let minutes = Double(free) / perMinute
        return judged(
            .timeUntilFull, value: minutes, thresholds: t,
            finding: .fillingUp(free: free, perMinute: perMinute, minutes: minutes))
    }

    /// The C-21 threshold: more than `max(50, 0.05·C_reg)` persons (site override: `warning`, persons).
    var unexpectedOccupancyThresholds: ThresholdUsed {
        thresholds(.unexpectedOccupancy, recordWarning: max(50, 0.05 * Double(capacity)))
    }

    /// C-21 people present while not activated: warning when `N > max(50, 0.05·C_reg)` has held for the
    /// hold time (default 10 min). Source: Sanmenxia shelter measures (2022) art. 20, 22.
    /// - Parameter crowdedSince: when the condition began (kept by `Assessment`), `nil` if it does not hold.
    func unexpectedOccupancy(crowdedSince: Date?) -> CheckResult {
        let t = unexpectedOccupancyThresholds
        guard case .known(let n, _) = occupancy else {
            return unknown(.unexpectedOccupancy, input: .occupancy, occupancy.reason)
        }
        let limit = t.warning ?? .infinity
        guard let crowdedSince, t.isBad(Double(n), limit: limit) else {
            var result = CheckResult(
                checkId: .unexpectedOccupancy, status: .ok, value: MeasuredValue(Double(n), unit: t.unit),
                threshold: t, source: Self.source(.unexpectedOccupancy), summary: "")
            result.set(.presentWhileNotActivated(persons: n, state: state))
            return result
        }
        let held = now.timeIntervalSince(crowdedSince)
        let hold = configuration.unexpectedOccupancyHold.inSeconds
        var result = CheckResult(
            checkId: .unexpectedOccupancy, status: held >= hold ? .warning : .ok,
            value: MeasuredValue(Double(n), unit: t.unit), threshold: t, source: Self.source(.unexpectedOccupancy),
            summary: "")
        result.set(
            .presentWhileNotActivatedFor(
                persons: n, state: state, heldSeconds: held, limit: Int(min(limit, 1e9).rounded(.down)),
                holdSeconds: hold))
        return result
    }
}

extension Derived {
    /// The reason when unknown; a generic `missing_input` otherwise (never used for known values).
    var reason: NoSampleReason {
        if case .unknown(let reason) = self { reason } else { .missing("no reason") }
    }
}
