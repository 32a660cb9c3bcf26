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
    /// CAP `event` name, in English (`CheckText.event`; `AlertText` gives both languages).
    public var event: String
    /// CAP `category`.
    public var category: CAPCategory
    /// CAP `certainty` of a bad result: `Likely` for projections, `Observed` for measured facts.
    public var certainty: CAPCertainty
    /// CAP `instruction` for the site manager, in English (`CheckText.instruction`).
    public var instruction: String
}

extension CheckDefinition {
    /// The definition of `id`; `nil` for an id not in the catalogue.
    public static func definition(of id: CheckID) -> CheckDefinition? { byID[id] }

    private static let byID: [CheckID: CheckDefinition] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    /// The English text of a catalog entry (the catalog is the one place alert words are written).
    private static func english(_ text: CheckText) -> String { text.text(in: .en) }

    /// Every check this agent implements, in id order.
    public static let all: [CheckDefinition] = [
        CheckDefinition(
            id: .occupancy, title: "occupancy vs registered capacity", unit: "1", direction: .above,
            defaultWarning: 0.90, defaultCritical: 1.00, defaultOrigin: .record,
            source: english(.source(.occupancy)),
            defaultHoldFor: .seconds(60), hysteresis: 0.02, event: english(.event(.occupancy)),
            category: .safety, certainty: .observed,
            instruction: english(.instruction(.occupancy))),
        CheckDefinition(
            id: .areaPerPerson, title: "area per person", unit: "m2/person", direction: .below,
            defaultWarning: nil, defaultCritical: nil, defaultOrigin: .record, source: english(.source(.areaPerPerson)),
            defaultHoldFor: .seconds(60), hysteresis: 0.02, event: english(.event(.areaPerPerson)),
            category: .safety, certainty: .observed,
            instruction: english(.instruction(.areaPerPerson))),
        CheckDefinition(
            id: .timeUntilFull, title: "time until full", unit: "min", direction: .below,
            defaultWarning: 60, defaultCritical: 15, defaultOrigin: .sitePolicy,
            source: english(.source(.timeUntilFull)),
            defaultHoldFor: .seconds(120), hysteresis: 0.1, event: english(.event(.timeUntilFull)),
            category: .safety, certainty: .likely,
            instruction: english(.instruction(.timeUntilFull))),
        CheckDefinition(
            id: .waterDays, title: "days of water", unit: "d", direction: .below,
            defaultWarning: 3, defaultCritical: 1, defaultOrigin: .nationalDefault,
            source: english(.source(.waterDays)),
            defaultHoldFor: .seconds(120), hysteresis: 0.05, event: english(.event(.waterDays)),
            category: .infra, certainty: .likely,
            instruction: english(.instruction(.waterDays))),
        CheckDefinition(
            id: .waterReserve, title: "standby water reserve", unit: "1", direction: .below,
            defaultWarning: 0.9, defaultCritical: 0.5, defaultOrigin: .sitePolicy,
            source: english(.source(.waterReserve)),
            defaultHoldFor: .seconds(600), hysteresis: 0.02, event: english(.event(.waterReserve)),
            category: .infra, certainty: .observed, instruction: english(.instruction(.waterReserve))),
        CheckDefinition(
            id: .sourceRedundancy, title: "source redundancy", unit: "sources", direction: .below,
            defaultWarning: 2, defaultCritical: 1, defaultOrigin: .sitePolicy,
            source: english(.source(.sourceRedundancy)),
            defaultHoldFor: .seconds(60), hysteresis: 0, event: english(.event(.sourceRedundancy)),
            category: .infra, certainty: .observed, instruction: english(.instruction(.sourceRedundancy))),
        CheckDefinition(
            id: .generatorTransfer, title: "mains lost, generator on load", unit: "s", direction: .exceeds,
            defaultWarning: 15, defaultCritical: 30, defaultOrigin: .nationalDefault,
            source: english(.source(.generatorTransfer)),
            defaultHoldFor: .zero, hysteresis: 0, event: english(.event(.generatorTransfer)),
            category: .infra, certainty: .observed,
            instruction: english(.instruction(.generatorTransfer))),
        CheckDefinition(
            id: .fuelAutonomy, title: "generator fuel autonomy", unit: "h", direction: .below,
            defaultWarning: 24, defaultCritical: 8, defaultOrigin: .sitePolicy,
            source: english(.source(.fuelAutonomy)),
            defaultHoldFor: .seconds(300), hysteresis: 0.05, event: english(.event(.fuelAutonomy)),
            category: .infra, certainty: .likely, instruction: english(.instruction(.fuelAutonomy))),
        CheckDefinition(
            id: .batteryAutonomy, title: "battery autonomy", unit: "min", direction: .below,
            defaultWarning: 60, defaultCritical: 15, defaultOrigin: .sitePolicy,
            source: english(.source(.batteryAutonomy)),
            defaultHoldFor: .seconds(60), hysteresis: 0.05, event: english(.event(.batteryAutonomy)),
            category: .infra, certainty: .likely, instruction: english(.instruction(.batteryAutonomy))),
        CheckDefinition(
            id: .sewageLevel, title: "sewage tank level", unit: "%", direction: .above,
            defaultWarning: 80, defaultCritical: 95, defaultOrigin: .sitePolicy,
            source: english(.source(.sewageLevel)),
            defaultHoldFor: .seconds(300), hysteresis: 0.02, event: english(.event(.sewageLevel)),
            category: .health, certainty: .observed, instruction: english(.instruction(.sewageLevel))),
        CheckDefinition(
            id: .unexpectedOccupancy, title: "people present while not activated", unit: "persons",
            direction: .exceeds, defaultWarning: nil, defaultCritical: nil, defaultOrigin: .sitePolicy,
            source: english(.source(.unexpectedOccupancy)),
            defaultHoldFor: .zero, hysteresis: 0, event: english(.event(.unexpectedOccupancy)),
            category: .security, certainty: .observed,
            instruction: english(.instruction(.unexpectedOccupancy))),
        CheckDefinition(
            id: .dataFreshness, title: "data freshness", unit: "intervals", direction: .exceeds,
            defaultWarning: 3, defaultCritical: 10, defaultOrigin: .sitePolicy,
            source: english(.source(.dataFreshness)),
            defaultHoldFor: .zero, hysteresis: 0, event: english(.event(.dataFreshness)),
            category: .infra, certainty: .observed, instruction: english(.instruction(.dataFreshness))),
        CheckDefinition(
            id: .recordDrift, title: "record drift", unit: "facilities", direction: .above,
            defaultWarning: 1, defaultCritical: nil, defaultOrigin: .record,
            source: english(.source(.recordDrift)),
            defaultHoldFor: .seconds(600), hysteresis: 0, event: english(.event(.recordDrift)),
            category: .infra, certainty: .observed,
            instruction: english(.instruction(.recordDrift))),
    ]
}
