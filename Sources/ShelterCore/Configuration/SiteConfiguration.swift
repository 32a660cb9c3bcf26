/// A validated, fully typed site configuration: the third configuration stage (STYLE §5).
///
/// Built only by `validate(_:file:profiles:)` from a `SiteFile` and the profiles it names; every default is
/// applied here. Immutable and `Sendable`; share it freely. A running agent given a bad reload keeps the
/// configuration it has (DESIGN §7).
public struct SiteConfiguration: Sendable, Hashable {
    /// The site file it came from, as given to the loader.
    public let file: String
    /// Identity and registry connection.
    public let gateway: Gateway
    /// Buses in file order; names unique.
    public let buses: [Bus]
    /// Devices in file order; names unique; each on a bus of `buses`.
    public let devices: [Device]
    /// The shelter's registered record as filed in the site file (the registry copy wins when reachable).
    public let record: ShelterRecord
    /// Which device point supplies which quantity.
    public let bindings: [QuantityBinding]
    /// Threshold overrides by check id (`"C-01"` …).
    public let thresholds: [String: ThresholdOverride]
    /// Status report cadence for every lifecycle state (file table `reporting_interval_seconds`).
    /// Defaults (DESIGN §6): standby 15 min, alerted 5 min, activated and full 1 min, closing 5 min,
    /// recovery 15 min, out_of_service 15 min, drill 1 min.
    public let reportingIntervals: [String: Duration]

    /// Lifecycle states a site can report in (DESIGN §6), the keys of `reportingIntervals`.
    public static let lifecycleStates = [
        "standby", "alerted", "activated", "full", "closing", "recovery", "out_of_service", "drill",
    ]

    /// Default report cadence per lifecycle state, seconds (DESIGN §6).
    public static let defaultReportingIntervalSeconds: [String: Int] = [
        "standby": 900, "alerted": 300, "activated": 60, "full": 60, "closing": 300, "recovery": 900,
        "out_of_service": 900, "drill": 60,
    ]

    /// Check ids a `[thresholds."C-xx"]` table may name (DESIGN §5).
    public static let checkIDs: Set<String> = [
        "C-01", "C-02", "C-04", "C-05", "C-06", "C-11", "C-12", "C-13", "C-16", "C-19", "C-21", "C-22", "C-23",
    ]

    init(
        file: String, gateway: Gateway, buses: [Bus], devices: [Device], record: ShelterRecord,
        bindings: [QuantityBinding], thresholds: [String: ThresholdOverride], reportingIntervals: [String: Duration]
    ) {
        self.file = file
        self.gateway = gateway
        self.buses = buses
        self.devices = devices
        self.record = record
        self.bindings = bindings
        self.thresholds = thresholds
        self.reportingIntervals = reportingIntervals
    }

    /// The bus with this name, or `nil`.
    public func bus(named name: String) -> Bus? { buses.first { $0.name == name } }

    /// The device with this name, or `nil`.
    public func device(named name: String) -> Device? { devices.first { $0.name == name } }

    /// The devices on a bus, in file order.
    public func devices(on bus: Bus) -> [Device] { devices.filter { $0.busName == bus.name } }
}

/// A profile the site names, as the loader found it.
public struct ProfileSource: Sendable, Hashable {
    /// The profile file, as shown in issues.
    public var file: String
    /// The parsed file; `nil` when it could not be parsed (its issues are already reported).
    public var raw: ProfileFile?

    public init(file: String, raw: ProfileFile?) {
        self.file = file
        self.raw = raw
    }
}
