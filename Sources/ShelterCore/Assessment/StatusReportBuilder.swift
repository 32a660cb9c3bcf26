public import FoundationEssentials

/// Builds the periodic `StatusReport` from one evaluation: capacity from occupancy and the record, resource
/// levels from the check results, device links and readings. Pure.
public enum StatusReportBuilder {
    /// Checks that speak for each resource (EDXL-HAVE resource status; Sanmenxia shelter measures (2022)
    /// art. 24): power C-11 (power), C-12, C-13, C-16; water C-05, C-06, C-11 (water); sanitation C-19;
    /// comms C-22.
    static func resource(of result: CheckResult) -> WritableKeyPath<ResourceStatus, ResourceLevel>? {
        switch result.checkId {
        case .sourceRedundancy: result.subject == "water" ? \.water : \.power
        case .generatorTransfer, .fuelAutonomy, .batteryAutonomy: \.power
        case .waterDays, .waterReserve: \.water
        case .sewageLevel: \.sanitation
        case .dataFreshness: \.comms
        default: nil
        }
    }

    /// Resource levels: `insufficient` if any of the resource's checks is warning or critical; else `unknown`
    /// if any is unknown or none ran; else `adequate`.
    public static func resources(from checks: [CheckResult]) -> ResourceStatus {
        var statuses: [WritableKeyPath<ResourceStatus, ResourceLevel>: [CheckStatus]] = [:]
        for check in checks {
            if let path = resource(of: check) { statuses[path, default: []].append(check.status) }
        }
        var status = ResourceStatus(power: .unknown, water: .unknown, sanitation: .unknown, comms: .unknown)
        for (path, list) in statuses {
            status[keyPath: path] =
                if list.contains(where: { $0 == .warning || $0 == .critical }) {
                    .insufficient
                } else if list.contains(.unknown) {
                    .unknown
                } else {
                    .adequate
                }
        }
        return status
    }

    /// Builds a report.
    /// - Parameters:
    ///   - reportId: unique id (from the runtime's `IdentifierGenerator`).
    ///   - sequence: per-gateway sequence number, ≥ 1.
    ///   - gatewayId: this gateway.
    ///   - record: the registered record the checks used.
    ///   - snapshot: the site snapshot the checks used (`takenAt` is `observedAt` and the last update time).
    ///   - lifecycle: the lifecycle status.
    ///   - checks: the evaluation's results.
    ///   - readings: the readings to include (see `ReadingStatus.init(device:point:quantity:reading:unit:…)`).
    ///   - utcOffsetMinutes: the site's offset from UTC, minutes (480 for China Standard Time).
    public static func makeReport(
        reportId: String, sequence: Int64, gatewayId: String, record: ShelterRecord, snapshot: SiteSnapshot,
        lifecycle: LifecycleStatus, checks: [CheckResult], readings: [ReadingStatus], utcOffsetMinutes: Int
    ) -> StatusReport {
        var notes = snapshot.occupancyNotes
        if case .unknown(let reason) = snapshot.occupancy { notes.insert("occupancy unknown: \(reason)", at: 0) }
        return StatusReport(
            reportId: reportId, sequence: sequence, shelterId: record.id, gatewayId: gatewayId,
            recordVersion: record.recordVersion, observedAt: snapshot.takenAt, lifecycle: lifecycle,
            capacity: CapacityStatus(registered: record.capacity, occupied: snapshot.occupancy.value, notes: notes),
            resources: resources(from: checks), checks: checks,
            devices: snapshot.links.sorted { $0.key < $1.key }.map { DeviceLinkStatus(device: $0.key, link: $0.value) },
            readings: readings, lastUpdate: ZonedTime(instant: snapshot.takenAt, utcOffsetMinutes: utcOffsetMinutes))
    }
}

extension ReadingStatus {
    /// A reported reading from a polled one: `good` when it has a value read within `maximumAge` of `now`,
    /// `stale` when older, `bad` with the reason when there is no sample. A text value (a serial number, a
    /// firmware version) goes in `text`, with no number.
    public init(
        device: String, point: String, quantity: Quantity?, reading: Reading, unit: String?, observedAt: Date?,
        now: Date, maximumAge: Duration
    ) {
        switch reading {
        case .noSample(let reason):
            self.init(
                device: device, point: point, quantity: quantity, value: nil, unit: unit, quality: .bad,
                reason: reason.kind, observedAt: observedAt)
        case .value(let value):
            let age = observedAt.map { now.timeIntervalSince($0) } ?? .infinity
            self.init(
                device: device, point: point, quantity: quantity, value: value.numericValue, unit: unit,
                quality: age > maximumAge.inSeconds ? .stale : .good, observedAt: observedAt, text: value.textValue)
        }
    }
}
