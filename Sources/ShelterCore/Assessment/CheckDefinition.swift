/// The fixed description of one shelter check (DESIGN §5): unit, threshold direction and defaults, origin of
/// the defaults, source, and how an alert about it reads in CAP terms.
///
/// The catalogue (`CheckDefinition.all`) is data; the formulas live in `Assessment` (`Assessment+*.swift`),
/// one documented function per check.
public struct CheckDefinition: Sendable, Hashable {
    /// The check id, e.g. `"C-01"`.
    public var id: CheckID
    /// Short title, e.g. `"occupancy vs registered capacity"`.
    public var title: String
    /// Unit of the value and thresholds, e.g. `"1"`, `"d"`, `"s"`.
    public var unit: String
    /// Which side of the thresholds is bad.
    public var direction: ThresholdDirection
    /// Default warning threshold (in `unit`); `nil` when the default depends on the record (C-02, C-21).
    public var defaultWarning: Double?
    /// Default critical threshold (in `unit`); `nil` when the check has no critical level or it depends on
    /// the record.
    public var defaultCritical: Double?
    /// Where the default thresholds come from.
    public var defaultOrigin: ThresholdOrigin
    /// The rule's source: standard and clause, or regulation article.
    public var source: String
    /// How long a bad status must hold before its alert fires (the alert's `for`), unless the site overrides it.
    public var defaultHoldFor: Duration
    /// Hysteresis for resolving an alert, as a fraction of the threshold: a firing level clears only when the
    /// value is back past `threshold ± |threshold|·hysteresis`. 0 for integer-valued checks.
    public var hysteresis: Double
    /// CAP `event` name.
    public var event: String
    /// CAP `category`.
    public var category: CAPCategory
    /// CAP `certainty` of a bad result: `Likely` for projections, `Observed` for measured facts.
    public var certainty: CAPCertainty
    /// CAP `instruction` for the site manager.
    public var instruction: String
}

extension CheckDefinition {
    /// The definition of `id`; `nil` for an id not in the catalogue.
    public static func definition(of id: CheckID) -> CheckDefinition? { byID[id] }

    private static let byID: [CheckID: CheckDefinition] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    /// Every check this agent implements, in id order.
    public static let all: [CheckDefinition] = [
        CheckDefinition(
            id: .occupancy, title: "occupancy vs registered capacity", unit: "1", direction: .above,
            defaultWarning: 0.90, defaultCritical: 1.00, defaultOrigin: .record,
            source: "Sanmenxia shelter measures (2022) art. 14 (3), art. 22; GB 51143-2015",
            defaultHoldFor: .seconds(60), hysteresis: 0.02, event: "Shelter occupancy near registered capacity",
            category: .safety, certainty: .observed,
            instruction: "Prepare to direct arrivals to the next shelter; report to the district command."),
        CheckDefinition(
            id: .areaPerPerson, title: "area per person", unit: "m2/person", direction: .below,
            defaultWarning: nil, defaultCritical: nil, defaultOrigin: .record, source: "GB 21734-2008 §5.4",
            defaultHoldFor: .seconds(60), hysteresis: 0.02, event: "Living area per person below standard",
            category: .safety, certainty: .observed,
            instruction: "Open reserve zones or redirect arrivals; check the zoning plan."),
        CheckDefinition(
            id: .timeUntilFull, title: "time until full", unit: "min", direction: .below,
            defaultWarning: 60, defaultCritical: 15, defaultOrigin: .sitePolicy,
            source: "Sanmenxia shelter measures (2022) art. 22; site policy",
            defaultHoldFor: .seconds(120), hysteresis: 0.1, event: "Shelter filling up",
            category: .safety, certainty: .likely,
            instruction: "Ask the district command which shelter takes the overflow."),
        CheckDefinition(
            id: .waterDays, title: "days of water", unit: "d", direction: .below,
            defaultWarning: 3, defaultCritical: 1, defaultOrigin: .nationalDefault,
            source: "Sphere handbook water supply standard 2.2 (15 L/person/day); GB 51143-2015 (1 to 3 days); "
                + "Sanmenxia shelter measures (2022) art. 24",
            defaultHoldFor: .seconds(120), hysteresis: 0.05, event: "Drinking water running low",
            category: .infra, certainty: .likely,
            instruction: "Request emergency water supply (tanker or bottled water)."),
        CheckDefinition(
            id: .waterReserve, title: "standby water reserve", unit: "1", direction: .below,
            defaultWarning: 0.9, defaultCritical: 0.5, defaultOrigin: .sitePolicy,
            source: "Sanmenxia shelter measures (2022) art. 16 (reserves proportional to scale); site policy",
            defaultHoldFor: .seconds(600), hysteresis: 0.02, event: "Standby water reserve below registered level",
            category: .infra, certainty: .observed, instruction: "Refill the water tanks to the registered reserve."),
        CheckDefinition(
            id: .sourceRedundancy, title: "source redundancy", unit: "sources", direction: .below,
            defaultWarning: 2, defaultCritical: 1, defaultOrigin: .sitePolicy,
            source: "Sanmenxia shelter measures (2022) art. 10, art. 24; site policy",
            defaultHoldFor: .seconds(60), hysteresis: 0, event: "Supply source redundancy lost",
            category: .infra, certainty: .observed, instruction: "Restore the failed supply source."),
        CheckDefinition(
            id: .generatorTransfer, title: "mains lost, generator on load", unit: "s", direction: .exceeds,
            defaultWarning: 15, defaultCritical: 30, defaultOrigin: .nationalDefault,
            source: "GB 50052-2009 §3.0.5; GB 51348-2019 §13.7.9",
            defaultHoldFor: .zero, hysteresis: 0, event: "Generator not on load after mains loss",
            category: .infra, certainty: .observed,
            instruction: "Check the generator and the transfer switch; start it by hand if needed."),
        CheckDefinition(
            id: .fuelAutonomy, title: "generator fuel autonomy", unit: "h", direction: .below,
            defaultWarning: 24, defaultCritical: 8, defaultOrigin: .sitePolicy,
            source: "Sanmenxia shelter measures (2022) art. 16, art. 24; site policy",
            defaultHoldFor: .seconds(300), hysteresis: 0.05, event: "Generator fuel running low",
            category: .infra, certainty: .likely, instruction: "Order fuel for the generator."),
        CheckDefinition(
            id: .batteryAutonomy, title: "battery autonomy", unit: "min", direction: .below,
            defaultWarning: 60, defaultCritical: 15, defaultOrigin: .sitePolicy,
            source: "Sanmenxia shelter measures (2022) art. 24 (emergency power); site policy",
            defaultHoldFor: .seconds(60), hysteresis: 0.05, event: "Battery autonomy low while on battery",
            category: .infra, certainty: .likely, instruction: "Shed non-essential load; restore mains or generator."),
        CheckDefinition(
            id: .sewageLevel, title: "sewage tank level", unit: "%", direction: .above,
            defaultWarning: 80, defaultCritical: 95, defaultOrigin: .sitePolicy,
            source: "Sanmenxia shelter measures (2022) art. 10, art. 24 (sewage handling); site policy",
            defaultHoldFor: .seconds(300), hysteresis: 0.02, event: "Sewage tank filling up",
            category: .health, certainty: .observed, instruction: "Order a sewage tanker to empty the tank."),
        CheckDefinition(
            id: .unexpectedOccupancy, title: "people present while not activated", unit: "persons",
            direction: .exceeds, defaultWarning: nil, defaultCritical: nil, defaultOrigin: .sitePolicy,
            source: "Sanmenxia shelter measures (2022) art. 20, art. 22",
            defaultHoldFor: .zero, hysteresis: 0, event: "People present in a shelter that is not activated",
            category: .security, certainty: .observed,
            instruction: "Check the site; report to the district whether an activation is needed."),
        CheckDefinition(
            id: .dataFreshness, title: "data freshness", unit: "intervals", direction: .exceeds,
            defaultWarning: 3, defaultCritical: 10, defaultOrigin: .sitePolicy,
            source: "site policy (DESIGN §7: an error is never a number)",
            defaultHoldFor: .zero, hysteresis: 0, event: "Site data missing or stale",
            category: .infra, certainty: .observed, instruction: "Check the device, its wiring and its bus."),
        CheckDefinition(
            id: .recordDrift, title: "record drift", unit: "facilities", direction: .above,
            defaultWarning: 1, defaultCritical: nil, defaultOrigin: .record,
            source: "Sanmenxia shelter measures (2022) art. 18, art. 21",
            defaultHoldFor: .seconds(600), hysteresis: 0, event: "Site no longer matches its registered record",
            category: .infra, certainty: .observed,
            instruction: "Restore the facility or file an updated record with the registry."),
    ]
}
