import FoundationEssentials

/// What `Assessment` remembers about the last mains loss, for C-12.
struct MainsOutage: Sendable, Hashable {
    /// When the supply was lost (mains went, or the generator dropped off load during the outage).
    var lostAt: Date
    /// When a generator was first seen on load after `lostAt`; `nil` while none is.
    var generatorOnLoadAt: Date?
}

extension CheckContext {
    /// C-11 (power): healthy power sources = mains present + registered generators with usable fuel
    /// (fuel − unusable > 0). Warning at 1, critical at 0 (site policy; art. 10, 24). A generator the site has
    /// sensors for but the record does not list counts as unknown (C-23 reports the drift), so a record that
    /// dropped it makes C-11 unknown rather than a power emergency (issue 11).
    func powerRedundancy() -> CheckResult {
        var sources: [(SupplySource, Derived<Bool>)] = [(.mains, fresh(snapshot.mainsPresent))]
        for generator in record.facilities.generators {
            let fuel = fresh(snapshot.fuel[generator.name] ?? .unknown(.missing("fuel not bound")))
            sources.append((.generator(generator.name), fuel.map { $0 - generator.unusableFuel > 0 }))
        }
        for facility in unregisteredFacilities where facility.kind == .generator {
            sources.append((.generator(facility.name), .unknown(unregisteredSource(facility))))
        }
        return redundancy(.power, sources: sources)
    }

    /// C-12 mains lost, generator on load: while mains is lost and no generator is on load, the value is
    /// `now − t(mains lost)` in seconds, warning > 15 s, critical > 30 s (GB 50052-2009 §3.0.5,
    /// GB 51348-2019 §13.7.9: a low-voltage generator supplies load within 30 s; quick-start sets suit loads
    /// that tolerate 15 s). Once a generator is on load the condition is over and the check is ok, its value
    /// the transfer time `t(generator on load) − t(mains lost)` (a late transfer stays visible in the reports
    /// and in the alert it raised while the site waited; issue 11 item 5: the alert resolves when a generator
    /// takes the load). Ok without a value while mains is present. Runs only when the record has a generator.
    /// - Parameter outage: the current outage kept by `Assessment`, `nil` when mains is present.
    func generatorTransfer(outage: MainsOutage?) -> CheckResult? {
        guard !record.facilities.generators.isEmpty else { return nil }
        let t = thresholds(.generatorTransfer)
        let mains = fresh(snapshot.mainsPresent)
        guard case .known(let present, _) = mains else {
            return unknown(.generatorTransfer, input: .mainsState, mains.reason)
        }
        guard !present, let outage else {
            return okWithoutValue(.generatorTransfer, thresholds: t, finding: .mainsPresent)
        }
        if let onLoadAt = outage.generatorOnLoadAt {
            let seconds = onLoadAt.timeIntervalSince(outage.lostAt)
            var result = judged(
                .generatorTransfer, value: seconds, thresholds: t,
                finding: .generatorOnLoadAfter(seconds: seconds))
            if result.status != .unknown { result.status = .ok }  // the site has power again: resolved
            return result
        }
        if let reason = generatorOnLoad.unknownReason {
            return unknown(.generatorTransfer, input: .generatorOnLoad, reason)
        }
        let seconds = now.timeIntervalSince(outage.lostAt)
        return judged(
            .generatorTransfer, value: seconds, thresholds: t,
            finding: .noGeneratorOnLoad(secondsSinceLoss: seconds))
    }

    /// Whether any registered generator is on load: `.known(true)` if one is; `.known(false)` if all are known
    /// off load; unknown otherwise. The observation time is the earliest of the values used.
    var generatorOnLoad: Derived<Bool> {
        var earliest: Date?
        var reason: NoSampleReason?
        for generator in record.facilities.generators {
            switch fresh(snapshot.generatorOnLoad[generator.name] ?? .unknown(.missing("on-load state not bound"))) {
            case .known(true, let at): return .known(true, observedAt: at)
            case .known(false, let at): earliest = min(earliest ?? at, at)
            case .unknown(let why): reason = reason ?? why
            }
        }
        if let reason { return .unknown(reason) }
        return .known(false, observedAt: earliest ?? now)
    }

    /// C-13 generator fuel autonomy, per generator (subject = its name): `(fuel − unusable) / burn rate at
    /// load` in hours. Warning < 24 h, critical < 8 h (site policy; art. 16 reserves, art. 24 emergency power).
    func fuelAutonomy() -> [CheckResult] {
        let t = thresholds(.fuelAutonomy)
        return record.facilities.generators.map { generator in
            let fuel = fresh(snapshot.fuel[generator.name] ?? .unknown(.missing("fuel not bound")))
            guard case .known(let litres, _) = fuel else {
                return unknown(
                    .fuelAutonomy, subject: generator.name, input: .fuel(generator: generator.name), fuel.reason)
            }
            guard generator.burnRateAtLoad > 0 else {
                return unknown(
                    .fuelAutonomy, subject: generator.name, input: .burnRate(generator: generator.name),
                    .missing("not positive"))
            }
            let usable = max(0, litres - generator.unusableFuel)
            let hours = usable / generator.burnRateAtLoad
            return judged(
                .fuelAutonomy, subject: generator.name, value: hours, thresholds: t,
                finding: .fuel(
                    generator: generator.name, usableLitres: usable, burnRate: generator.burnRateAtLoad, hours: hours))
        }
    }

    /// C-16 battery autonomy while mains and generator are down: `Σ(SOC·E·DoD·η) / P_load` in minutes (SOC as
    /// a fraction, E kWh, P kW). Warning < 60 min, critical < 15 min (site policy; art. 24). The thresholds
    /// apply only while the site is on battery (mains absent and no generator on load); otherwise the value is
    /// reported and the check is ok. Runs only when the record has a battery.
    func batteryAutonomy() -> CheckResult? {
        let batteries = record.facilities.batteries
        guard !batteries.isEmpty else { return nil }
        let t = thresholds(.batteryAutonomy)
        var energy = 0.0
        for battery in batteries {
            let soc = fresh(snapshot.batterySOC[battery.name] ?? .unknown(.missing("state of charge not bound")))
            guard case .known(let percent, _) = soc else {
                return unknown(.batteryAutonomy, input: .batteryCharge(battery: battery.name), soc.reason)
            }
            energy += percent / 100 * battery.energy * battery.depthOfDischarge * battery.efficiency
        }
        let load = fresh(snapshot.loadPower)
        guard case .known(let kilowatts, _) = load else {
            return unknown(.batteryAutonomy, input: .siteLoad, load.reason)
        }
        let mains = fresh(snapshot.mainsPresent)
        let onLoad = generatorOnLoad
        guard case .known(let mainsPresent, _) = mains else {
            return unknown(.batteryAutonomy, input: .mainsState, mains.reason)
        }
        let onBattery: Bool
        if mainsPresent {
            onBattery = false
        } else if case .known(let generatorOn, _) = onLoad {
            onBattery = !generatorOn
        } else {
            return unknown(.batteryAutonomy, input: .generatorOnLoad, onLoad.reason)
        }
        guard kilowatts > 0 else {
            return okWithoutValue(
                .batteryAutonomy, thresholds: t, finding: .batteryNoLoad(energy: energy, load: kilowatts))
        }
        let minutes = energy / kilowatts * 60
        var result = judged(
            .batteryAutonomy, value: minutes, thresholds: t,
            finding: .battery(energy: energy, load: kilowatts, minutes: minutes, onBattery: onBattery))
        if !onBattery { result.status = .ok }
        return result
    }
}

extension Derived {
    /// The reason when unknown, `nil` when known.
    var unknownReason: NoSampleReason? {
        if case .unknown(let reason) = self { reason } else { nil }
    }
}
