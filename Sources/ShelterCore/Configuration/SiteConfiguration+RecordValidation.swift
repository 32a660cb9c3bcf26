extension SiteValidator {
    // MARK: record

    /// Validates `[record]` into a `ShelterRecord`, applying the record's documented defaults.
    mutating func validateRecord(_ raw: SiteFile.Record?) -> ShelterRecord? {
        guard let raw else {
            site.add(
                "record", "", "the [record] table is missing",
                fix: "copy the shelter's registered record (regulation art. 14) into [record]")
            return nil
        }
        let before = site.issues.count
        let id = site.requireText(raw.id, "record.id", fix: "add the registry id of the shelter")
        let name = site.requireText(raw.name, "record.name", fix: "add the registered name")
        let address = site.requireText(
            raw.location?.address, "record.location.address", fix: "add the registered street address")
        let latitude = site.number(raw.location?.latitude, "record.location.latitude", in: -90...90, unit: "°")
        let longitude = site.number(raw.location?.longitude, "record.location.longitude", in: -180...180, unit: "°")
        if let code = raw.location?.divisionCode, !ShelterRecord.Location.isDivisionCode(code) {
            site.add(
                "record.location.division_code", code, "a GB/T 2260 administrative division code is six digits",
                fix: "give the district's six-digit code, e.g. \"411202\" for Hubin District, Sanmenxia")
        }
        let area = site.number(
            raw.effectiveAreaSquareMetres, "record.effective_area_square_metres",
            in: 0...Double.greatestFiniteMagnitude, exclusiveLower: true, unit: "m²", required: true)
        let capacity = site.integer(raw.capacityPersons, "record.capacity_persons", in: 1...10_000_000, required: true)
        let perPerson = site.number(
            raw.requiredAreaPerPersonSquareMetres, "record.required_area_per_person_square_metres",
            default: ShelterRecord.Defaults.requiredAreaPerPerson, in: 0...1000, exclusiveLower: true, unit: "m²")
        if let area, let capacity, let perPerson, Double(capacity) * perPerson > area + 1e-9 {
            site.add(
                "record.capacity_persons", String(capacity),
                "\(capacity) persons × \(format(perPerson)) m² = \(format(Double(capacity) * perPerson)) m² exceeds the effective area of \(format(area)) m²",
                fix: "register at most \(Int((area / perPerson).rounded(.down))) persons, or correct the area")
        }
        let days = site.number(
            raw.designDurationDays, "record.design_duration_days",
            default: ShelterRecord.Defaults.designDurationDays, in: 0...365,
            exclusiveLower: true, unit: "days")
        let ration = site.number(
            raw.waterRationLitresPerPersonPerDay, "record.water_ration_litres_per_person_per_day",
            default: ShelterRecord.Defaults.waterRationPerPersonPerDay, in: 0...1000,
            exclusiveLower: true, unit: "L")
        let reserve = site.number(raw.reserveDays, "record.reserve_days", in: 0...365, unit: "days")
        let toilets = site.integer(raw.toilets, "record.toilets", default: 0, in: 0...100_000)
        let sewage = site.number(
            raw.sewageTankLitres, "record.sewage_tank_litres", default: 0,
            in: 0...Double.greatestFiniteMagnitude, unit: "L")
        let version = site.integer(raw.recordVersion, "record.record_version", default: 0, in: 0...Int.max)
        let generators = validateGenerators(raw.generators ?? [])
        let batteries = validateBatteries(raw.batteries ?? [])
        let tanks = validateTanks(raw.waterTanks ?? [])
        guard site.issues.count == before, let id, let name, let address, let area, let capacity, let perPerson,
            let days, let ration, let toilets, let sewage, let version
        else { return nil }
        return ShelterRecord(
            id: id, name: name,
            location: .init(
                address: address, latitude: latitude, longitude: longitude,
                district: raw.location?.district ?? "", divisionCode: raw.location?.divisionCode),
            effectiveArea: area, capacity: capacity, requiredAreaPerPerson: perPerson,
            designDuration: .seconds(fractional: days * 86_400), waterRationPerPersonPerDay: ration,
            reserveDays: reserve ?? days,
            facilities: .init(
                generators: generators, batteries: batteries, waterTanks: tanks, toilets: toilets,
                sewageTankCapacity: sewage, other: raw.otherFacilities ?? []),
            zoningPlan: raw.zoningPlan ?? "",
            contact: .init(
                unit: raw.contact?.unit ?? "", person: raw.contact?.person ?? "", phone: raw.contact?.phone ?? ""),
            recordVersion: version)
    }

    private static let positive = 0...Double.greatestFiniteMagnitude

    private mutating func validateGenerators(_ raw: [SiteFile.Generator]) -> [ShelterRecord.Generator] {
        site.checkUnique(raw.map(\.name), path: { "record.generators[\($0)].name" }, what: "generator")
        return raw.enumerated().compactMap { index, generator in
            let path = "record.generators[\(index)]"
            let name = site.requireText(generator.name, "\(path).name", fix: "add a name, e.g. \"gen1\"")
            let power = site.number(
                generator.ratedPowerKilowatts, "\(path).rated_power_kilowatts", in: Self.positive,
                exclusiveLower: true, unit: "kW", required: true)
            let tank = site.number(
                generator.fuelTankLitres, "\(path).fuel_tank_litres", in: Self.positive,
                exclusiveLower: true, unit: "L", required: true)
            let unusable = site.number(
                generator.unusableFuelLitres, "\(path).unusable_fuel_litres", default: 0,
                in: Self.positive, unit: "L")
            let burn = site.number(
                generator.burnRateLitresPerHour, "\(path).burn_rate_litres_per_hour", in: Self.positive,
                exclusiveLower: true, unit: "L/h", required: true)
            if let tank, let unusable, unusable >= tank {
                site.add(
                    "\(path).unusable_fuel_litres", format(unusable),
                    "must be less than the tank capacity (\(format(tank)) L)", fix: "use the fuel below the pickup")
                return nil
            }
            guard let name, let power, let tank, let unusable, let burn else { return nil }
            return .init(
                name: name, ratedPower: power, fuelTankCapacity: tank, unusableFuel: unusable, burnRateAtLoad: burn)
        }
    }

    private mutating func validateBatteries(_ raw: [SiteFile.Battery]) -> [ShelterRecord.Battery] {
        site.checkUnique(raw.map(\.name), path: { "record.batteries[\($0)].name" }, what: "battery")
        return raw.enumerated().compactMap { index, battery in
            let path = "record.batteries[\(index)]"
            let name = site.requireText(battery.name, "\(path).name", fix: "add a name, e.g. \"ups1\"")
            let energy = site.number(
                battery.energyKilowattHours, "\(path).energy_kilowatt_hours", in: Self.positive,
                exclusiveLower: true, unit: "kWh", required: true)
            let dod = site.number(
                battery.depthOfDischarge, "\(path).depth_of_discharge",
                default: ShelterRecord.Defaults.batteryDepthOfDischarge, in: 0...1,
                exclusiveLower: true)
            let efficiency = site.number(
                battery.efficiency, "\(path).efficiency",
                default: ShelterRecord.Defaults.batteryEfficiency, in: 0...1,
                exclusiveLower: true)
            guard let name, let energy, let dod, let efficiency else { return nil }
            return .init(name: name, energy: energy, depthOfDischarge: dod, efficiency: efficiency)
        }
    }

    private mutating func validateTanks(_ raw: [SiteFile.WaterTank]) -> [ShelterRecord.WaterTank] {
        site.checkUnique(raw.map(\.name), path: { "record.water_tanks[\($0)].name" }, what: "water tank")
        return raw.enumerated().compactMap { index, tank in
            let path = "record.water_tanks[\(index)]"
            let before = site.issues.count
            let name = site.requireText(tank.name, "\(path).name", fix: "add a name, e.g. \"tank1\"")
            let capacity = site.number(
                tank.capacityLitres, "\(path).capacity_litres", in: Self.positive,
                exclusiveLower: true, unit: "L", required: true)
            let dead = site.number(
                tank.deadVolumeLitres, "\(path).dead_volume_litres", default: 0, in: Self.positive, unit: "L")
            if let capacity, let dead, dead >= capacity {
                site.add(
                    "\(path).dead_volume_litres", format(dead),
                    "must be less than the capacity (\(format(capacity)) L)", fix: "use the volume below the outlet")
            }
            let table = tank.levelToVolume ?? []
            var height = site.number(
                tank.heightMetres, "\(path).height_metres", in: Self.positive,
                exclusiveLower: true, unit: "m")
            if height == nil, tank.heightMetres == nil {
                if let top = table.last?.levelMetres {
                    height = top
                } else {
                    site.add(
                        "\(path).height_metres", "", "required key is missing",
                        fix: "give the water height at full volume, or a level_to_volume table")
                }
            }
            var rows: [ShelterRecord.LevelVolume] = []
            for (rowIndex, row) in table.enumerated() {
                let rowPath = "\(path).level_to_volume[\(rowIndex)]"
                let level = site.number(
                    row.levelMetres, "\(rowPath).level_metres", in: Self.positive, unit: "m", required: true)
                let volume = site.number(
                    row.volumeLitres, "\(rowPath).volume_litres", in: Self.positive, unit: "L",
                    required: true)
                guard let level, let volume else { continue }
                if let previous = rows.last, level <= previous.level || volume < previous.volume {
                    site.add(
                        "\(rowPath).level_metres", format(level),
                        "levels must increase and volumes must not decrease row by row",
                        fix: "sort the table by level and check the figures")
                }
                if let capacity, volume > capacity * 1.0001 {
                    site.add(
                        "\(rowPath).volume_litres", format(volume), "exceeds the tank capacity (\(format(capacity)) L)",
                        fix: "correct the table or the capacity")
                }
                rows.append(.init(level: level, volume: volume))
            }
            guard site.issues.count == before, let name, let capacity, let dead, let height else { return nil }
            return .init(name: name, capacity: capacity, deadVolume: dead, levelToVolume: rows, height: height)
        }
    }

    // MARK: bindings

    /// Facility kinds a quantity belongs to, by dotted prefix.
    private static func facilityKind(of quantity: Quantity) -> String? {
        if quantity.rawValue.hasPrefix("power.generator.") { return "generator" }
        if quantity.rawValue.hasPrefix("power.battery.") { return "battery" }
        if quantity.rawValue.hasPrefix("water.tank.") { return "water tank" }
        return nil
    }

    mutating func validateBindings(
        _ raw: [SiteFile.Binding], devices: [Device], declaredDevices: Set<String>, record: ShelterRecord?
    ) -> [QuantityBinding]? {
        let before = site.issues.count
        var bindings: [QuantityBinding] = []
        var seen: Set<QuantityBinding> = []
        for (index, binding) in raw.enumerated() {
            let path = "bindings[\(index)]"
            let bindingBefore = site.issues.count
            var quantity: Quantity?
            if let text = site.require(
                binding.quantity, "\(path).quantity", fix: "name the quantity, e.g. \"power.mains.voltage\"")
            {
                let candidate = Quantity(rawValue: text)
                if candidate.isStandard {
                    quantity = candidate
                } else {
                    site.add(
                        "\(path).quantity", quoted(text), "unknown quantity",
                        fix: "use a standard quantity such as \(DeviceProfile.closest(to: text))")
                }
            }
            let deviceName = site.require(binding.device, "\(path).device", fix: "name the device that supplies it")
            let pointName = site.require(binding.point, "\(path).point", fix: "name the point of that device")
            var point: Point?
            if let deviceName {
                // A device that is declared but invalid has its own issues; its bindings are not checked.
                if let device = devices.first(where: { $0.name == deviceName }) {
                    if let pointName {
                        point = device.profile.point(named: pointName)
                        if point == nil {
                            site.add(
                                "\(path).point", quoted(pointName), "device \"\(deviceName)\" has no such point",
                                fix: "use one of \(device.points.map { $0.name }.prefix(12).joined(separator: ", "))")
                        }
                    }
                } else if !declaredDevices.contains(deviceName) {
                    site.add(
                        "\(path).device", quoted(deviceName), "no device has this name",
                        fix: "use the name of a [[devices]] entry")
                }
            }
            if let quantity, let point {
                if let expected = quantity.expectedUnit, point.unit != expected {
                    site.add(
                        "\(path).point", quoted(point.name),
                        "\(quantity) is reported in \(expected) but the point is in \(point.unit.isEmpty ? "no unit" : point.unit)",
                        fix: "bind a point in \(expected), or fix the point's unit and scale")
                }
                if DeviceProfile.booleanQuantities.contains(quantity), !point.type.isBoolean {
                    site.add(
                        "\(path).point", quoted(point.name), "\(quantity) needs a boolean point",
                        fix: "bind a coil, a discrete input or a BITn point")
                }
                if let tagged = point.quantity, tagged != quantity {
                    site.add(
                        "\(path).quantity", quoted(quantity.rawValue), "the point measures \(tagged)",
                        fix: "bind the point to \(tagged), or choose another point")
                }
            }
            let facility = binding.facility
            if let quantity {
                if let kind = Self.facilityKind(of: quantity) {
                    let names: [String] =
                        switch kind {
                        case "generator": record?.facilities.generators.map(\.name) ?? []
                        case "battery": record?.facilities.batteries.map(\.name) ?? []
                        default: record?.facilities.waterTanks.map(\.name) ?? []
                        }
                    if let facility {
                        if record != nil, !names.contains(facility) {
                            site.add(
                                "\(path).facility", quoted(facility), "the record has no \(kind) of this name",
                                fix: names.isEmpty
                                    ? "register the \(kind) in [record]" : "use one of \(names.joined(separator: ", "))"
                            )
                        }
                    } else {
                        site.add(
                            "\(path).facility", "", "\(quantity) belongs to a registered \(kind)",
                            fix: names.isEmpty
                                ? "register the \(kind) in [record] and name it here"
                                : "add facility = one of \(names.joined(separator: ", "))")
                    }
                } else if let facility {
                    site.add(
                        "\(path).facility", quoted(facility), "\(quantity) is site-wide and takes no facility",
                        fix: "remove the key")
                }
            }
            guard site.issues.count == bindingBefore, let quantity, let deviceName, let pointName else { continue }
            let valid = QuantityBinding(quantity: quantity, facility: facility, device: deviceName, point: pointName)
            if !seen.insert(valid).inserted {
                site.add(path, "", "duplicate binding", fix: "remove the repeated [[bindings]] entry")
            }
            bindings.append(valid)
        }
        return site.issues.count == before ? bindings : nil
    }

    // MARK: thresholds and reporting

    mutating func validateThresholds(_ raw: [String: SiteFile.Threshold]) -> [CheckID: ThresholdOverride] {
        var result: [CheckID: ThresholdOverride] = [:]
        for (key, threshold) in raw.sorted(by: { $0.key < $1.key }) {
            let path = "thresholds.\"\(key)\""
            let check = CheckID(rawValue: key)
            guard CheckID.allCases.contains(check) else {
                site.add(
                    path, "", "unknown check id",
                    fix: "use one of \(CheckID.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            let any = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
            let warning = site.number(threshold.warning, "\(path).warning", in: any)
            let critical = site.number(threshold.critical, "\(path).critical", in: any)
            let hold = site.number(threshold.holdForSeconds, "\(path).hold_for_seconds", in: 0...86_400, unit: "s")
            result[check] = ThresholdOverride(
                warning: warning, critical: critical, holdFor: hold.map { .seconds(fractional: $0) },
                isEnabled: threshold.enabled ?? true)
        }
        return result
    }

    mutating func validateReporting(_ raw: [String: Double]) -> ReportingIntervals {
        var result = ReportingIntervals.standard
        for (key, seconds) in raw.sorted(by: { $0.key < $1.key }) {
            let path = "reporting_interval_seconds.\(key)"
            let state = LifecycleState(rawValue: key)
            guard state != nil || key == ReportingIntervals.drillKey else {
                site.add(
                    path, "", "unknown lifecycle state",
                    fix: "use one of \(ReportingIntervals.fileKeys.joined(separator: ", "))")
                continue
            }
            guard
                let value = site.number(
                    seconds, path, in: ReportingIntervals.allowedSeconds, unit: "s",
                    why: ReportingIntervals.allowedSecondsReason)
            else { continue }
            if let state {
                result.set(.seconds(fractional: value), for: state)
            } else {
                result.drill = .seconds(fractional: value)
            }
        }
        return result
    }
}
