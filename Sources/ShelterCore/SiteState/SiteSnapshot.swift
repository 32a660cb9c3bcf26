public import FoundationEssentials

/// A derived quantity as the checks see it: a known value with the time it was observed, or unknown with
/// the reason. Missing data is *unknown*, never a default (DESIGN §7).
public enum Derived<Value: Sendable & Hashable>: Sendable, Hashable {
    /// A value observed (or computed from inputs observed) at the given wall-clock time.
    case known(Value, observedAt: Date)
    /// No value; the reason says why.
    case unknown(NoSampleReason)

    /// The value, or `nil` when unknown.
    public var value: Value? {
        if case .known(let v, _) = self { v } else { nil }
    }

    /// When the value was observed, or `nil` when unknown.
    public var observedAt: Date? {
        if case .known(_, let t) = self { t } else { nil }
    }
}

/// The state of the link to one device, as the bus worker last saw it.
public enum LinkState: String, Sendable, Hashable, Codable, CaseIterable {
    /// The last request got an answer (a value or a Modbus exception).
    case up
    /// Some recent requests failed; the device is still polled every cycle.
    case degraded
    /// The device failed repeatedly and is in back-off (probed, not polled every cycle).
    case down
    /// The device has not been polled yet.
    case unknown
}

/// Freshness of one point, for the data-freshness check (C-22).
public struct PointFreshness: Sendable, Hashable {
    /// Device name from the site configuration.
    public var device: String
    /// Point name from the device's profile.
    public var point: String
    /// The point's poll interval.
    public var pollInterval: Duration
    /// When the point last had a value; `nil` if never.
    public var lastValueAt: Date?

    public init(device: String, point: String, pollInterval: Duration, lastValueAt: Date?) {
        self.device = device
        self.point = point
        self.pollInterval = pollInterval
        self.lastValueAt = lastValueAt
    }
}

/// What the site looks like at one instant, in the quantities the shelter checks need (DESIGN §5).
///
/// Built by `SiteState` (the runtime keeps it current from samples and the site's quantity bindings) and
/// read by the assessment; pure value, `Sendable`. Units: persons, L, %, kW, as noted per field.
public struct SiteSnapshot: Sendable, Hashable {
    /// When the snapshot was taken (wall clock).
    public var takenAt: Date
    /// Persons present (Σ in − Σ out across entrances, clamped at 0, or a direct count).
    public var occupancy: Derived<Int>
    /// Notes on the occupancy figure a person must see: counter wrap, reset, in/out asymmetry.
    public var occupancyNotes: [String]
    /// Usable drinking water across registered tanks, L (volume from level minus dead volume).
    public var usableWater: Derived<Double>
    /// Usable water per registered tank name, L.
    public var usableWaterByTank: [String: Derived<Double>]
    /// Sewage tank level, % of capacity.
    public var sewageLevel: Derived<Double>
    /// Mains present.
    public var mainsPresent: Derived<Bool>
    /// Generator running, per registered generator name.
    public var generatorRunning: [String: Derived<Bool>]
    /// Generator on load (breaker closed, supplying the site), per registered generator name.
    public var generatorOnLoad: [String: Derived<Bool>]
    /// Fuel in the tank, L, per registered generator name (before subtracting unusable fuel).
    public var fuel: [String: Derived<Double>]
    /// Battery state of charge, %, per registered battery name.
    public var batterySOC: [String: Derived<Double>]
    /// Site load, kW.
    public var loadPower: Derived<Double>
    /// Local activation key switch (a digital input), if the site has one.
    public var activationSwitch: Derived<Bool>?
    /// Link state per device name.
    public var links: [String: LinkState]
    /// Freshness of every polled point.
    public var freshness: [PointFreshness]
    /// Buses whose connection cannot be opened, by bus name, with the devices each carries (C-22 reports one
    /// condition per bus, not one per device).
    public var busFaults: [BusCondition]
    /// Municipal (mains) water supply present, e.g. from supply pressure; `nil` when the site has no such
    /// input. Counts as a water source for C-11.
    public var waterSupplyPresent: Derived<Bool>?
    /// Sewage inflow, L/h, for C-19's time to full; unknown when not measured.
    public var sewageInflow: Derived<Double>
    /// Generator active power, kW, per registered generator name (C-23 compares it with the rating).
    public var generatorPower: [String: Derived<Double>]
    /// Registered facilities that have a live data source bound in the site configuration (C-23);
    /// `nil` when the runtime does not say, which makes that part of C-23 unknown.
    public var boundFacilities: Set<FacilityRef>?

    /// Creates a snapshot in which everything is unknown for `reason` (e.g. nothing read yet).
    public init(takenAt: Date, unknownBecause reason: NoSampleReason = .init(.notYetRead)) {
        self.takenAt = takenAt
        self.occupancy = .unknown(reason)
        self.occupancyNotes = []
        self.usableWater = .unknown(reason)
        self.usableWaterByTank = [:]
        self.sewageLevel = .unknown(reason)
        self.mainsPresent = .unknown(reason)
        self.generatorRunning = [:]
        self.generatorOnLoad = [:]
        self.fuel = [:]
        self.batterySOC = [:]
        self.loadPower = .unknown(reason)
        self.activationSwitch = nil
        self.links = [:]
        self.freshness = []
        self.busFaults = []
        self.waterSupplyPresent = nil
        self.sewageInflow = .unknown(reason)
        self.generatorPower = [:]
        self.boundFacilities = nil
    }
}

/// A registered facility, by kind and name, for record-drift checks (C-23).
public struct FacilityRef: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Facility kinds with live data (Sanmenxia shelter measures (2022) art. 10).
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case generator
        case battery
        case waterTank = "water_tank"
        case sewageTank = "sewage_tank"
    }

    /// The kind.
    public var kind: Kind
    /// The registered name (`"sewage"` for the single sewage tank).
    public var name: String

    public init(_ kind: Kind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    public var description: String { "\(kind.rawValue) \(name)" }
}

extension FacilityRef: Comparable {
    /// Kind (in `Kind.allCases` order), then name.
    public static func < (lhs: FacilityRef, rhs: FacilityRef) -> Bool {
        let order = Kind.allCases
        let (l, r) = (order.firstIndex(of: lhs.kind) ?? 0, order.firstIndex(of: rhs.kind) ?? 0)
        return l != r ? l < r : lhs.name < rhs.name
    }
}

extension ShelterRecord.Facilities {
    /// Every facility with live data the record lists (generators, batteries, water tanks, then the sewage
    /// tank when its capacity is filed), in that order.
    public var references: [FacilityRef] {
        var refs = generators.map { FacilityRef(.generator, $0.name) }
        refs += batteries.map { FacilityRef(.battery, $0.name) }
        refs += waterTanks.map { FacilityRef(.waterTank, $0.name) }
        if sewageTankCapacity > 0 { refs.append(FacilityRef(.sewageTank, "sewage")) }
        return refs
    }
}

extension SiteSnapshot {
    /// A bus that cannot be opened and the devices it carries (site-file order).
    public struct BusCondition: Sendable, Hashable {
        public var fault: BusFault
        public var devices: [String]
        public init(fault: BusFault, devices: [String]) {
            self.fault = fault
            self.devices = devices
        }
    }
}
