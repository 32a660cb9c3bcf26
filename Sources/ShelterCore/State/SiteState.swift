public import FoundationEssentials

/// The latest sample of every point of a site, and the quantities the shelter checks need derived from them
/// through the site's bindings (DESIGN §1: bus workers → `SiteState` → assessment).
///
/// Pure value; no clock reads (every call takes `now`). Not thread-safe by itself: the runtime owns one and
/// guards it. Units: L, %, kW, persons, as `SiteSnapshot` documents.
///
/// Derivations (each states its source):
/// - occupancy: `OccupancyCounter` over every device bound to `occupancy.count_in`/`count_out` (Σ in − Σ out,
///   wrap and reset handled), or a point bound to `occupancy.present` (a direct count), which wins.
/// - usable water per tank: level (m) → volume by the record's level-to-volume table (linear between rows) or,
///   without a table, `level / height × capacity`; minus the registered dead volume, clamped at 0. A tank
///   level in % is first turned into metres by the registered height; a volume point is used as is. The total
///   is unknown when any registered tank is unknown (a partial sum would overstate nothing but would hide a
///   dead sensor; the reason names the tank).
/// - fuel per generator: `fuel_level` % × registered tank capacity, or a `fuel_volume` point in L.
/// - mains present: a bound `power.mains.present` input; without one, mains voltage ≥ `mainsPresentVoltage`
///   (default 187 V = 220 V − 15 %, site policy after GB/T 12325-2008 §4.2 tolerances).
/// - water supply present: supply pressure ≥ `waterSupplyPressure` (default 0.5 bar, site policy), when bound.
public struct SiteState: Sendable {
    /// Knobs of the derivations.
    public struct Policy: Sendable, Hashable {
        /// Mains voltage at or above which mains counts as present, V. Default 187.
        public var mainsPresentVoltage: Double = 187
        /// Supply pressure at or above which municipal water counts as present, bar. Default 0.5.
        public var waterSupplyPressure: Double = 0.5
        /// Age after which a people-counter reading no longer counts, as a multiple of the counter's poll
        /// interval. Default 3 (the C-22 warning limit).
        public var occupancyMaximumAgeIntervals: Int = 3
        public init() {}
    }

    /// The site this state belongs to.
    public let configuration: SiteConfiguration
    /// The derivation knobs.
    public var policy: Policy
    /// Latest sample per device and point.
    public private(set) var latest: [PointKey: Sample] = [:]
    /// When each point last had a value (a later no-sample keeps this time).
    public private(set) var lastValueAt: [PointKey: Date] = [:]
    /// Link state per device name, from the last poll result.
    public private(set) var links: [String: LinkState]
    /// The occupancy counter fed by the bound people counters.
    public private(set) var occupancyCounter: OccupancyCounter

    /// A device and point name pair.
    public struct PointKey: Sendable, Hashable, Comparable {
        public var device: String
        public var point: String
        public init(device: String, point: String) {
            self.device = device
            self.point = point
        }
        public static func < (a: PointKey, b: PointKey) -> Bool { (a.device, a.point) < (b.device, b.point) }
    }

    private let bindingsByQuantity: [Quantity: [QuantityBinding]]
    private let counterBindings: [PointKey: (entrance: String, direction: OccupancyCounter.Direction)]

    /// Creates the state of a site that has not been polled yet: every point unknown, every link `unknown`.
    public init(configuration: SiteConfiguration, policy: Policy = .init()) {
        self.configuration = configuration
        self.policy = policy
        self.links = Dictionary(uniqueKeysWithValues: configuration.devices.map { ($0.name, LinkState.unknown) })
        self.bindingsByQuantity = Dictionary(grouping: configuration.bindings, by: \.quantity)
        var counters: [PointKey: (String, OccupancyCounter.Direction)] = [:]
        for binding in configuration.bindings {
            let direction: OccupancyCounter.Direction? =
                switch binding.quantity {
                case .occupancyCountIn: .entering
                case .occupancyCountOut: .leaving
                default: nil
                }
            if let direction { counters[PointKey(device: binding.device, point: binding.point)] = (binding.device, direction) }
        }
        self.counterBindings = counters
        let entrances = Set(counters.values.map(\.0)).sorted()
        self.occupancyCounter = OccupancyCounter(entrances: entrances)
    }

    /// Takes one device's poll results.
    /// - Parameters:
    ///   - samples: one sample per point (values or no-sample reasons).
    ///   - device: the device name.
    ///   - link: the device's link state after the poll.
    ///   - now: when the results arrived.
    /// - Returns: occupancy notes raised by these samples (counter wrap, reset, asymmetry), for logging.
    @discardableResult
    public mutating func apply(_ samples: [Sample], device: String, link: LinkState, at now: Date) -> [OccupancyCounter.Note] {
        links[device] = link
        var counterSamples: [OccupancyCounter.Sample] = []
        for sample in samples {
            let key = PointKey(device: sample.device, point: sample.point)
            latest[key] = sample
            if sample.reading.value != nil { lastValueAt[key] = sample.observedAt }
            if let binding = counterBindings[key] {
                counterSamples.append(.init(entrance: binding.entrance, direction: binding.direction, reading: sample.reading))
            }
        }
        return counterSamples.isEmpty ? [] : occupancyCounter.ingest(counterSamples, at: now)
    }

    /// The site in the quantities the checks need, at `now`.
    public func snapshot(at now: Date) -> SiteSnapshot {
        var s = SiteSnapshot(takenAt: now, unknownBecause: .init(.missingInput, detail: "no point bound"))
        let record = configuration.record

        // Occupancy.
        if let direct = bindingsByQuantity[.occupancyPresent]?.first {
            s.occupancy = Self.occupancy(direct: reading(of: direct))
        } else if !counterBindings.isEmpty {
            s.occupancy = occupancyCounter.occupancy(at: now, maximumAge: counterMaximumAge)
            s.occupancyNotes = occupancyCounter.noteTexts
        }

        // Water.
        var total: Derived<Double> = .known(0, observedAt: now)
        for tank in record.facilities.waterTanks {
            let usable = usableWater(in: tank)
            s.usableWaterByTank[tank.name] = usable
            total = Self.sum(total, usable, naming: tank.name)
        }
        s.usableWater = record.facilities.waterTanks.isEmpty
            ? .unknown(.init(.missingInput, detail: "no water tank registered")) : total
        if let pressure = bindingsByQuantity[.waterPressure]?.first {
            s.waterSupplyPresent = Self.map(Self.number(reading(of: pressure))) { $0 >= policy.waterSupplyPressure }
        }
        if let sewage = bindingsByQuantity[.sewageTankLevel]?.first { s.sewageLevel = Self.number(reading(of: sewage)) }

        // Power.
        if let relay = bindingsByQuantity[.mainsPresent]?.first {
            s.mainsPresent = Self.boolean(reading(of: relay))
        } else if let voltage = bindingsByQuantity[.mainsVoltage]?.first {
            s.mainsPresent = Self.map(Self.number(reading(of: voltage))) { $0 >= policy.mainsPresentVoltage }
        }
        if let load = bindingsByQuantity[.loadPower]?.first { s.loadPower = Self.number(reading(of: load)) }
        for generator in record.facilities.generators {
            s.generatorRunning[generator.name] = facilityReading(.generatorRunning, generator.name).map { Self.boolean($0) }
                ?? .unknown(.init(.missingInput, detail: "no running input bound for \(generator.name)"))
            s.generatorOnLoad[generator.name] = facilityReading(.generatorOnLoad, generator.name).map { Self.boolean($0) }
                ?? .unknown(.init(.missingInput, detail: "no on-load input bound for \(generator.name)"))
            if let level = facilityReading(.generatorFuelLevel, generator.name) {
                s.fuel[generator.name] = Self.map(Self.number(level)) { $0 / 100 * generator.fuelTankCapacity }
            } else if let volume = facilityReading(.generatorFuelVolume, generator.name) {
                s.fuel[generator.name] = Self.number(volume)
            } else {
                s.fuel[generator.name] = .unknown(.init(.missingInput, detail: "no fuel point bound for \(generator.name)"))
            }
            if let power = facilityReading(.generatorPower, generator.name) {
                s.generatorPower[generator.name] = Self.number(power)
            }
        }
        for battery in record.facilities.batteries {
            s.batterySOC[battery.name] = facilityReading(.batterySOC, battery.name).map { Self.number($0) }
                ?? .unknown(.init(.missingInput, detail: "no state-of-charge point bound for \(battery.name)"))
        }
        if let key = bindingsByQuantity[.activationSwitch]?.first { s.activationSwitch = Self.boolean(reading(of: key)) }

        // Links, freshness and bound facilities.
        s.links = links
        s.freshness = configuration.devices.flatMap { device in
            device.points.map { point in
                PointFreshness(
                    device: device.name, point: point.name, pollInterval: device.pollInterval,
                    lastValueAt: lastValueAt[PointKey(device: device.name, point: point.name)])
            }
        }
        s.boundFacilities = boundFacilities
        return s
    }

    // MARK: - Derivations

    private var counterMaximumAge: Duration {
        let intervals = counterBindings.keys.compactMap { configuration.device(named: $0.device)?.pollInterval }
        return (intervals.max() ?? .seconds(10)) * policy.occupancyMaximumAgeIntervals
    }

    private var boundFacilities: Set<FacilityRef> {
        var refs = Set<FacilityRef>()
        for binding in configuration.bindings {
            guard let facility = binding.facility else {
                if binding.quantity == .sewageTankLevel { refs.insert(.init(.sewageTank, "sewage")) }
                continue
            }
            let kind: FacilityRef.Kind? =
                switch binding.quantity.rawValue.split(separator: ".").first {
                case "water": .waterTank
                case "sewage": .sewageTank
                case "power":
                    binding.quantity.rawValue.hasPrefix("power.generator") ? .generator
                        : binding.quantity.rawValue.hasPrefix("power.battery") ? .battery : nil
                default: nil
                }
            if let kind { refs.insert(.init(kind, facility)) }
        }
        return refs
    }

    private func reading(of binding: QuantityBinding) -> Sample? {
        latest[PointKey(device: binding.device, point: binding.point)]
    }

    /// The latest sample bound to `quantity` for the named facility; `nil` when no binding exists.
    private func facilityReading(_ quantity: Quantity, _ facility: String) -> Sample?? {
        guard let binding = bindingsByQuantity[quantity]?.first(where: { $0.facility == facility }) else { return nil }
        return .some(reading(of: binding))
    }

    private func usableWater(in tank: ShelterRecord.WaterTank) -> Derived<Double> {
        let volume: Derived<Double>
        if let level = facilityReading(.waterTankLevel, tank.name) {
            volume = Self.map(Self.number(level)) { Self.volume(atLevel: $0, in: tank) }
        } else if let percent = facilityReading(.waterTankLevelPercent, tank.name) {
            volume = Self.map(Self.number(percent)) { Self.volume(atLevel: $0 / 100 * tank.height, in: tank) }
        } else if let litres = facilityReading(.waterTankVolume, tank.name) {
            volume = Self.number(litres)
        } else {
            return .unknown(.init(.missingInput, detail: "no level point bound for tank \(tank.name)"))
        }
        return Self.map(volume) { max(0, min($0, tank.capacity) - tank.deadVolume) }
    }

    /// Volume in L at `level` m: linear interpolation in the tank's table (clamped to its ends), or the
    /// vertical-cylinder proportion without a table.
    public static func volume(atLevel level: Double, in tank: ShelterRecord.WaterTank) -> Double {
        let table = tank.levelToVolume
        guard let first = table.first, let last = table.last else {
            return tank.height > 0 ? max(0, level) / tank.height * tank.capacity : 0
        }
        if level <= first.level { return first.volume }
        if level >= last.level { return last.volume }
        for (lower, upper) in zip(table, table.dropFirst()) where level <= upper.level {
            let fraction = (level - lower.level) / (upper.level - lower.level)
            return lower.volume + fraction * (upper.volume - lower.volume)
        }
        return last.volume
    }

    // MARK: - Reading → Derived

    private static func number(_ sample: Sample?) -> Derived<Double> {
        guard let sample else { return .unknown(.init(.notYetRead)) }
        switch sample.reading {
        case .value(let v):
            guard let n = v.numericValue else { return .unknown(.init(.badData, detail: "text where a number is needed")) }
            return .known(n, observedAt: sample.observedAt)
        case .noSample(let reason):
            return .unknown(reason)
        }
    }

    private static func boolean(_ sample: Sample?) -> Derived<Bool> { map(number(sample)) { $0 != 0 } }

    private static func occupancy(direct sample: Sample?) -> Derived<Int> {
        guard let sample else { return .unknown(.init(.notYetRead)) }
        return OccupancyCounter.occupancy(fromDirectCount: sample.reading, at: sample.observedAt)
    }

    private static func map<T, U>(_ d: Derived<T>, _ transform: (T) -> U) -> Derived<U> {
        switch d {
        case .known(let v, let at): .known(transform(v), observedAt: at)
        case .unknown(let r): .unknown(r)
        }
    }

    /// Sum of two derived volumes; observed at the older of the two; unknown names the tank.
    private static func sum(_ a: Derived<Double>, _ b: Derived<Double>, naming tank: String) -> Derived<Double> {
        switch (a, b) {
        case (.known(let x, let t1), .known(let y, let t2)): .known(x + y, observedAt: min(t1, t2))
        case (.unknown(let r), _): .unknown(r)
        case (_, .unknown(let r)): .unknown(.init(r.kind, exceptionCode: r.exceptionCode, detail: "tank \(tank): \(r)"))
        }
    }
}
