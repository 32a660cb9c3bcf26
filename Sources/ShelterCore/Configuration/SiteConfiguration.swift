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
    /// Threshold overrides by check (file table `[thresholds."C-xx"]`); only checks of `CheckID.allCases`.
    public let thresholds: [CheckID: ThresholdOverride]
    /// Status report cadence per lifecycle status, drill included (file table `reporting_interval_seconds`;
    /// defaults in `ReportingIntervals`).
    public let reportingIntervals: ReportingIntervals
    /// Where to serve `GET /metrics` (file table `[metrics]`); `nil`: no listener (the default).
    public let metrics: MetricsListener?

    init(
        file: String, gateway: Gateway, buses: [Bus], devices: [Device], record: ShelterRecord,
        bindings: [QuantityBinding], thresholds: [CheckID: ThresholdOverride], reportingIntervals: ReportingIntervals,
        metrics: MetricsListener? = nil
    ) {
        self.file = file
        self.gateway = gateway
        self.buses = buses
        self.devices = devices
        self.record = record
        self.bindings = bindings
        self.thresholds = thresholds
        self.reportingIntervals = reportingIntervals
        self.metrics = metrics
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
