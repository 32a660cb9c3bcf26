import FoundationEssentials

extension CheckContext {
    /// C-22 data freshness, per device (subject = device name): the worst `age / poll interval` over the
    /// device's points (unit "intervals"; a point never read counts as infinitely old), and the link state.
    /// Warning > 3×, critical > 10× the interval (site policy); a `degraded` link is at least a warning, a
    /// `down` link critical. The value is omitted when a point was never read.
    ///
    /// A bus whose connection cannot be opened is one condition (subject `bus:<name>`, so that a bus and a device of
    /// the same name stay apart, as `io` on the reference site; critical; the devices it
    /// carries listed), and its devices are unknown rather than critical each: one fault reaches the bureau once
    /// (issue 11: a wrong serial path sent one critical alert per device).
    func dataFreshness() -> [CheckResult] {
        let t = thresholds(.dataFreshness)
        // The snapshot lists points device by device: group runs, so a name is hashed per device, not per point,
        // and keep their index ranges, not copies of the points (each copy retained two strings).
        let freshness = snapshot.freshness
        var byDevice: [String: [Range<Int>]] = [:]
        var start = freshness.startIndex
        while start < freshness.endIndex {
            let device = freshness[start].device
            var end = start + 1
            while end < freshness.endIndex, freshness[end].device == device { end += 1 }
            byDevice[device, default: []].append(start..<end)
            start = end
        }
        let devices = Set(byDevice.keys).union(snapshot.links.keys).sorted()
        var busOf: [String: String] = [:]
        for condition in snapshot.busFaults {
            for device in condition.devices { busOf[device] = condition.fault.bus }
        }
        let buses = snapshot.busFaults.map { condition in
            var result = CheckResult(
                checkId: .dataFreshness, subject: BusFault.subjectPrefix + condition.fault.bus, status: .critical,
                value: nil, threshold: t,
                source: Self.source(.dataFreshness), summary: "")
            result.set(
                .busUnreachable(
                    bus: condition.fault.bus, endpoint: condition.fault.endpoint, error: condition.fault.error,
                    devices: condition.devices))
            return result
        }
        return buses
            + devices.map { device in
                if let bus = busOf[device] {
                    var result = CheckResult(
                        checkId: .dataFreshness, subject: device, status: .unknown, value: nil, threshold: t,
                        source: Self.source(.dataFreshness), summary: "", reason: .linkLost,
                        reasonDetail: "bus \(bus) cannot be opened")
                    result.set(.deviceOnUnreachableBus(device: device, bus: bus))
                    return result
                }
                var worst = 0.0
                var worstPoint = ""
                // A device's points mostly share one interval: converted when it changes (`inSeconds` divides a
                // 128-bit count in software), not per point and tick.
                var pollInterval = Duration.zero
                var interval = 0.001
                for run in byDevice[device] ?? [] {
                    for i in run {
                        if freshness[i].pollInterval != pollInterval {
                            pollInterval = freshness[i].pollInterval
                            interval = max(pollInterval.inSeconds, 0.001)
                        }
                        let ratio =
                            freshness[i].lastValueAt.map { max(0, now.timeIntervalSince($0)) / interval } ?? .infinity
                        if ratio > worst || worstPoint.isEmpty {
                            worst = ratio
                            worstPoint = freshness[i].point
                        }
                    }
                }
                let link = snapshot.links[device] ?? .unknown
                let linkStatus: CheckStatus =
                    switch link {
                    case .down: .critical
                    case .degraded: .warning
                    case .up, .unknown: .ok
                    }
                let finding: CheckFinding =
                    if worstPoint.isEmpty {
                        .deviceLink(device: device, link: link)
                    } else if worst.isFinite {
                        .deviceOldestPoint(device: device, link: link, point: worstPoint, intervals: worst)
                    } else {
                        .deviceNeverRead(device: device, link: link, point: worstPoint)
                    }
                var result = CheckResult(
                    checkId: .dataFreshness, subject: device, status: max(t.classify(worst), linkStatus),
                    value: worst.isFinite ? MeasuredValue(worst, unit: t.unit) : nil, threshold: t,
                    source: Self.source(.dataFreshness), summary: "")
                result.set(finding)
                return result
            }
    }

    /// C-23 record drift: the number of registered facilities with no live source bound, plus facilities the site
    /// has sensors for that the record does not list (a registry record that dropped the generator or a tank:
    /// drift, never a power or water emergency; issue 11), plus readings beyond
    /// their registered rating (generator power over rated power, fuel over tank capacity, usable water over
    /// tank capacity minus dead volume, each by more than the rating tolerance, default 5 %). Warning at 1 or
    /// more (Sanmenxia shelter measures (2022) art. 18: the database must match the site; art. 21: altered
    /// facilities are restored and filed). Unknown when nothing drifts but the runtime gave no binding
    /// information.
    func recordDrift() -> CheckResult {
        let t = thresholds(.recordDrift)
        let facilities = record.facilities
        let registered = record.facilities.references
        var drift: [RecordDifference] = []
        if let bound = snapshot.boundFacilities {
            drift += registered.filter { !bound.contains($0) }.map { .noLiveSource($0) }
            drift += unregisteredFacilities.map { .notInRecord($0) }
        }
        let tolerance = 1 + configuration.ratingTolerance
        func beyond(
            _ what: RecordDifference.RatedReading, _ value: Derived<Double>?, _ rating: Double, _ unit: QuantityUnit
        ) {
            guard case .known(let reading, _)? = value.map(fresh), reading > rating * tolerance else { return }
            drift.append(
                .beyondRating(
                    what, reading: .quantity(reading, unit, places: 1), rating: .quantity(rating, unit, places: 1)))
        }
        for generator in facilities.generators {
            beyond(
                .generatorPower(generator.name), snapshot.generatorPower[generator.name], generator.ratedPower,
                .kilowatts)
            beyond(
                .generatorFuel(generator.name), snapshot.fuel[generator.name], generator.fuelTankCapacity, .litres)
        }
        for tank in facilities.waterTanks {
            beyond(
                .waterTankVolume(tank.name), snapshot.usableWaterByTank[tank.name], tank.capacity - tank.deadVolume,
                .litres)
        }
        if drift.isEmpty && snapshot.boundFacilities == nil {
            return unknown(
                .recordDrift, input: .facilityBindings, .missing("the runtime gave no binding information"))
        }
        return judged(
            .recordDrift, value: Double(drift.count), thresholds: t,
            finding: drift.isEmpty ? .recordMatches : .recordDrift(drift))
    }
}

extension CheckContext {
    /// Facilities the site has sensors for (a binding names them) that the record in use does not list, in
    /// kind then name order; empty when the runtime gave no binding information.
    var unregisteredFacilities: [FacilityRef] {
        guard let bound = snapshot.boundFacilities else { return [] }
        return bound.subtracting(record.facilities.references).sorted()
    }

    /// A C-11 source for a facility the site measures but the record does not list: unknown, because its
    /// ratings (tank capacity, unusable fuel) come from the record; C-23 names the drift.
    func unregisteredSource(_ facility: FacilityRef) -> NoSampleReason {
        NoSampleReason(
            .missingInput, detail: "\(FacilityName(facility).text(in: .en)) is not in the registered record (C-23)")
    }
}
