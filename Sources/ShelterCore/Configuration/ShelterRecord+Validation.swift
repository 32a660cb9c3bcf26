extension ShelterRecord {
    /// Checks a record that did not come through the site file (the registry's answer, the cached copy) by
    /// the site file's own rules for `[record]` (`SiteConfiguration.validate`): ranges (capacity 1…10 000 000
    /// persons, positive finite areas, volumes and rations), capacity × area per person within the effective
    /// area, unique facility names, dead volume and unusable fuel below capacity, tank tables increasing.
    ///
    /// A value from outside is validated at the border: a record that fails here is refused (not applied, not
    /// cached) and the agent keeps the last good one (issue 12: a capacity of −9223372036854775808 from the
    /// registry trapped the checks and, once cached, every restart).
    /// - Parameter source: names the record in the issues, e.g. `"registry record"`; it stands where a
    ///   file name stands in a site file's issues. Key paths are the site file's (`record.capacity_persons`).
    /// - Returns: the record unchanged, or every issue found.
    public func validated(source: String) -> Result<ShelterRecord, ConfigurationError> {
        var validator = SiteValidator(file: source, profiles: [:])
        _ = validator.validateRecord(SiteFile.Record(self))
        let issues = validator.allIssues
        return issues.isEmpty ? .success(self) : .failure(ConfigurationError(issues: issues))
    }
}

extension SiteFile.Record {
    /// The record as the site file would state it, so one validator serves both.
    init(_ record: ShelterRecord) {
        id = record.id
        name = record.name
        effectiveAreaSquareMetres = record.effectiveArea
        capacityPersons = record.capacity
        requiredAreaPerPersonSquareMetres = record.requiredAreaPerPerson
        designDurationDays = record.designDuration.inSeconds / 86_400
        waterRationLitresPerPersonPerDay = record.waterRationPerPersonPerDay
        reserveDays = record.reserveDays
        zoningPlan = record.zoningPlan
        recordVersion = record.recordVersion
        toilets = record.facilities.toilets
        sewageTankLitres = record.facilities.sewageTankCapacity
        otherFacilities = record.facilities.other
        location = SiteFile.Location(
            address: record.location.address, latitude: record.location.latitude,
            longitude: record.location.longitude, district: record.location.district,
            divisionCode: record.location.divisionCode)
        contact = SiteFile.Contact(
            unit: record.contact.unit, person: record.contact.person, phone: record.contact.phone)
        generators = record.facilities.generators.map {
            SiteFile.Generator(
                name: $0.name, ratedPowerKilowatts: $0.ratedPower, fuelTankLitres: $0.fuelTankCapacity,
                unusableFuelLitres: $0.unusableFuel, burnRateLitresPerHour: $0.burnRateAtLoad)
        }
        batteries = record.facilities.batteries.map {
            SiteFile.Battery(
                name: $0.name, energyKilowattHours: $0.energy, depthOfDischarge: $0.depthOfDischarge,
                efficiency: $0.efficiency)
        }
        waterTanks = record.facilities.waterTanks.map {
            SiteFile.WaterTank(
                name: $0.name, capacityLitres: $0.capacity, deadVolumeLitres: $0.deadVolume, heightMetres: $0.height,
                levelToVolume: $0.levelToVolume.map {
                    SiteFile.LevelVolume(levelMetres: $0.level, volumeLitres: $0.volume)
                })
        }
    }
}
