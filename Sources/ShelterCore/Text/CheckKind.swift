/// The checks of DESIGN §5 as a closed set, so the catalog's switches over them are exhaustive: a check
/// added here without its event, title, instruction and source texts does not compile.
public enum CheckKind: String, Sendable, Hashable, CaseIterable {
    case occupancy = "C-01"
    case areaPerPerson = "C-02"
    case timeUntilFull = "C-04"
    case waterDays = "C-05"
    case waterReserve = "C-06"
    case sourceRedundancy = "C-11"
    case generatorTransfer = "C-12"
    case fuelAutonomy = "C-13"
    case batteryAutonomy = "C-16"
    case sewageLevel = "C-19"
    case unexpectedOccupancy = "C-21"
    case dataFreshness = "C-22"
    case recordDrift = "C-23"

    /// The check id, e.g. `C-01`.
    public var id: CheckID { CheckID(rawValue: rawValue) }

    /// The kind of `id`; `nil` for an id this agent does not implement.
    public init?(_ id: CheckID) { self.init(rawValue: id.rawValue) }

    /// A check value in its `CheckDefinition` unit as a text argument a person reads: a ratio as a
    /// percentage, a span of time in the unit that fits (`0.11 d` → `2.6 小时`), counts as whole numbers
    /// (`1 source`, never `1.00 sources`).
    public func argument(forValue value: Double) -> TextArgument {
        switch self {
        case .occupancy, .waterReserve: .percent(value)
        case .areaPerPerson: .quantity(value, .squareMetresPerPerson, places: 2)
        case .timeUntilFull, .batteryAutonomy: .minutes(value)
        case .waterDays: .days(value)
        case .generatorTransfer: .timeSpan(seconds: value)
        case .fuelAutonomy: .hours(value)
        case .sewageLevel: .percent(value / 100)
        case .sourceRedundancy: .count(Self.whole(value), .sources)
        case .unexpectedOccupancy: .persons(Self.whole(value))
        case .dataFreshness: .quantity(value, .pollIntervals, places: 1)
        case .recordDrift: .count(Self.whole(value), .facilities)
        }
    }

    private static func whole(_ value: Double) -> Int {
        guard value.isFinite else { return 0 }
        return Int(max(-1e15, min(1e15, value.rounded())))
    }
}
