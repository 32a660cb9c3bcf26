import FoundationEssentials

extension CheckContext {
    /// C-05 days of water: `V_usable / (N·q)` days, q = the record's ration (default 15 L/person/day, Sphere
    /// water supply standard 2.2), at current occupancy (subject `""`) and if full (subject `"if_full"`,
    /// N = C_reg). Warning < 3 days, critical < 1 day (GB 51143-2015: shelters open 1 to 3 days). At current
    /// occupancy with nobody present the check is ok without a value.
    func waterDays() -> [CheckResult] {
        let t = thresholds(.waterDays)
        let ration = record.waterRationPerPersonPerDay
        let water = fresh(snapshot.usableWater)
        func days(for persons: Int, subject: String, ifFull: Bool) -> CheckResult {
            guard case .known(let litres, _) = water else {
                return unknown(.waterDays, subject: subject, input: .usableWater, water.reason)
            }
            guard ration > 0 else {
                return unknown(.waterDays, subject: subject, input: .waterRation, .missing("not positive"))
            }
            guard persons > 0 else {
                return okWithoutValue(
                    .waterDays, subject: subject, thresholds: t,
                    finding: .waterNobodyPresent(litres: litres))
            }
            let value = litres / (Double(persons) * ration)
            return judged(
                .waterDays, subject: subject, value: value, thresholds: t,
                finding: .waterDays(litres: litres, persons: persons, ifFull: ifFull, ration: ration, days: value))
        }
        let current: CheckResult
        if case .known(let n, _) = occupancy {
            current = days(for: n, subject: "", ifFull: false)
        } else {
            current = unknown(.waterDays, input: .occupancy, occupancy.reason)
        }
        return [current, days(for: capacity, subject: "if_full", ifFull: true)]
    }

    /// C-06 standby water reserve: `V_usable / (C_reg·q·T_reg)` (unit 1), T_reg = the record's reserve days.
    /// Warning < 0.9, critical < 0.5 (site policy). Source: Sanmenxia shelter measures (2022) art. 16.
    func waterReserve() -> CheckResult {
        let water = fresh(snapshot.usableWater)
        guard case .known(let litres, _) = water else {
            return unknown(.waterReserve, input: .usableWater, water.reason)
        }
        let required = Double(capacity) * record.waterRationPerPersonPerDay * record.reserveDays
        guard required > 0 else {
            return unknown(.waterReserve, input: .requiredReserve, .missing("not positive"))
        }
        let ratio = litres / required
        return judged(
            .waterReserve, value: ratio, thresholds: thresholds(.waterReserve),
            finding: .waterReserve(
                litres: litres, required: required, capacity: capacity, ration: record.waterRationPerPersonPerDay,
                reserveDays: record.reserveDays, ratio: ratio))
    }

    /// C-19 sewage tank level, % of the registered holding tank. Warning ≥ 80 %, critical ≥ 95 % (site
    /// policy); the summary adds the time to full `(V_cap − V) / inflow` when the inflow is known. Runs only
    /// when the record has a sewage tank (capacity > 0). Source: Sanmenxia shelter measures (2022) art. 10, 24.
    func sewageLevel() -> CheckResult? {
        let capacityLitres = record.facilities.sewageTankCapacity
        guard capacityLitres > 0 else { return nil }
        let level = fresh(snapshot.sewageLevel)
        guard case .known(let percent, _) = level else {
            return unknown(.sewageLevel, input: .sewageLevel, level.reason)
        }
        var finding = CheckFinding.sewage(percent: percent, tankLitres: capacityLitres)
        if case .known(let inflow, _) = fresh(snapshot.sewageInflow), inflow > 0 {
            let hours = max(0, capacityLitres * (1 - percent / 100)) / inflow
            finding = .sewageFilling(percent: percent, tankLitres: capacityLitres, hoursToFull: hours, inflow: inflow)
        }
        return judged(.sewageLevel, value: percent, thresholds: thresholds(.sewageLevel), finding: finding)
    }

    /// C-11 (water): healthy water sources = municipal supply present (if the site measures it) + registered
    /// tanks holding usable water. Warning at 1 source, critical at 0 (site policy; art. 10, 24).
    func waterRedundancy() -> CheckResult {
        var sources: [(SupplySource, Derived<Bool>)] = record.facilities.waterTanks.map { tank in
            let usable = fresh(snapshot.usableWaterByTank[tank.name] ?? .unknown(.missing("tank not bound")))
            return (.waterTank(tank.name), usable.map { $0 > 0 })
        }
        for facility in unregisteredFacilities where facility.kind == .waterTank {
            sources.append((.waterTank(facility.name), .unknown(unregisteredSource(facility))))
        }
        if let supply = snapshot.waterSupplyPresent { sources.append((.municipalWater, fresh(supply))) }
        return redundancy(.water, sources: sources)
    }

    /// Counts healthy sources for C-11: ok at ≥ 2 healthy; unknown while an unknown source could still make
    /// the count reach 2; otherwise warning (1) or critical (0).
    func redundancy(_ resource: StatusText.Resource, sources: [(SupplySource, Derived<Bool>)]) -> CheckResult {
        let t = thresholds(.sourceRedundancy)
        let healthy = sources.filter { $0.1.value == true }.map(\.0)
        let unknown = sources.filter { $0.1.value == nil }
        let count = Double(healthy.count)
        let subject = resource.rawValue
        if t.classify(count) != .ok, let first = unknown.first {
            var result = self.unknown(.sourceRedundancy, subject: subject, input: .source(first.0), first.1.reason)
            result.value = MeasuredValue(count, unit: t.unit)
            result.threshold = t
            result.set(.sources(resource, healthy: healthy, unknown: unknown.map(\.0)))
            return result
        }
        return judged(
            .sourceRedundancy, subject: subject, value: count, thresholds: t,
            finding: .sources(resource, healthy: healthy, unknown: []))
    }
}

extension Derived {
    /// The value transformed by `transform`, keeping the observation time; unknown stays unknown.
    func map<T: Sendable & Hashable>(_ transform: (Value) -> T) -> Derived<T> {
        switch self {
        case .known(let value, let at): .known(transform(value), observedAt: at)
        case .unknown(let reason): .unknown(reason)
        }
    }
}
