public import FoundationEssentials

/// The latest sample of every point and the quantities derived from them through the site's bindings:
/// what `SiteSnapshot` shows the checks (DESIGN §1, §5).
///
/// Pure value: fed with each device's poll results (`ingest`), asked for a snapshot at a given wall-clock
/// time. Points are kept by index (`PointTable`, issue 13): the bus workers' results are taken by device
/// index and plan position, with no name hashed and nothing allocated; names are for the boundary and output. A derived quantity is known only while its inputs have values no older than
/// `maximumAgeFactor` × their device's poll interval; otherwise it is unknown with the reason of the last
/// failed read, or `stale` (DESIGN §7: missing data is unknown, never a default).
/// Not thread-safe; the runtime keeps it behind a lock (`SiteStateStore`).
public struct SiteState: Sendable {
    /// The latest of one point: the last sample, and the last value with its time.
    public struct PointState: Sendable, Hashable {
        /// The last sample (a value or no sample).
        public var latest: Sample
        /// The last value, which may be older than `latest`.
        public var lastValue: SampleValue?
        /// When `lastValue` was observed.
        public var lastValueAt: Date?
    }

    /// The configuration whose devices and bindings are used.
    public let configuration: SiteConfiguration
    /// The registered record whose facilities the derivations use: tank volumes and tables, fuel tank
    /// capacities, which generators, batteries and tanks exist. It must be the record the checks use
    /// (`AgentStateMachine.recordReceived` replaces both together); the site file's copy until then.
    public var record: ShelterRecord
    /// How many poll intervals a value stays usable for derived quantities. Default 3 (C-22's warning limit).
    public var maximumAgeFactor: Double
    /// The site's points by index: `ingest(deviceIndex:…)` takes readings in this table's order.
    public let table: PointTable
    /// The latest of each point, by flat index (`table`): trivially copyable, the numbers inline.
    private var slots: [Slot]
    /// The reason of each point whose latest reading is no sample, by flat index (`Slot.reading` says which);
    /// a point never polled has none (not yet read).
    private var reasons: [Int: NoSampleReason] = [:]
    /// The last text of each STRING point that had one, by flat index (`Slot.reading` or `Slot.lastValue`
    /// says when it applies).
    private var texts: [Int: String] = [:]
    private var links: [LinkState]
    private var busFaults: [BusFault?]
    private let busNames: [String]
    private let busOfDevice: [Int]
    private var occupancyCounter: OccupancyCounter
    private let counterDevices: Set<String>
    /// Per device index: the flat indices of its bound people-counter points and their direction.
    private let counterPoints: [[(index: Int, direction: OccupancyCounter.Direction)]]
    /// The flat index of each binding's point (parallel to `configuration.bindings`).
    private let bindingSlots: [Int?]
    /// The flat index of every point in the configuration's order (devices, then each profile's points), as
    /// `snapshot(at:)` lists their freshness: resolved once, so a tick hashes no names (issue 13).
    private let freshnessSlots: [Int?]

    /// The latest of one point, as kept: no names, no reference (a text or a reason is in `texts` or
    /// `reasons`, by the same index; the `PackedReading`s' own indices are not used here).
    private struct Slot: Sendable {
        var reading: PackedReading
        var observedAt: Date
        var lastValue: PackedReading?
        var lastValueAt: Date?
        var isPolled = false
    }

    /// Creates a state in which nothing has been read.
    /// - Parameters:
    ///   - record: the registered record in use; the default is the site file's copy.
    ///   - initialPersons: persons present when counting starts (default 0).
    public init(
        configuration: SiteConfiguration, record: ShelterRecord? = nil, maximumAgeFactor: Double = 3,
        initialPersons: Int = 0
    ) {
        self.configuration = configuration
        self.record = record ?? configuration.record
        self.maximumAgeFactor = maximumAgeFactor
        let counters = configuration.bindings.filter {
            $0.quantity == .occupancyCountIn || $0.quantity == .occupancyCountOut
        }
        var entrances: [String] = []
        for binding in counters where !entrances.contains(binding.device) { entrances.append(binding.device) }
        counterDevices = Set(entrances)
        occupancyCounter = OccupancyCounter(entrances: entrances, initialPersons: initialPersons)
        let table = PointTable(devices: configuration.devices)
        self.table = table
        slots = Array(
            repeating: Slot(reading: .noSample(0), observedAt: .distantPast),
            count: table.points.count)
        links = Array(repeating: .unknown, count: table.deviceCount)
        let busNames = configuration.buses.map(\.name)
        self.busNames = busNames
        busFaults = Array(repeating: nil, count: configuration.buses.count)
        busOfDevice = configuration.devices.map { device in busNames.firstIndex(of: device.busName) ?? -1 }
        counterPoints = configuration.devices.map { device in
            counters.compactMap { binding in
                guard binding.device == device.name,
                    let index = table.flatIndex(device: binding.device, point: binding.point)
                else { return nil }
                return (index, binding.quantity == .occupancyCountIn ? OccupancyCounter.Direction.entering : .leaving)
            }
        }
        bindingSlots = configuration.bindings.map { table.flatIndex(device: $0.device, point: $0.point) }
        freshnessSlots = configuration.devices.flatMap { device in
            device.points.map { table.flatIndex(device: device.name, point: $0.name) }
        }
    }

    /// Takes one device's results from one poll, by index: the fast path of the bus workers' results.
    /// - Parameters:
    ///   - deviceIndex: the device's index in `table` (the configuration's device order).
    ///   - linkState: the device's link state after the poll.
    ///   - readings: one reading per point of the device, in plan order (`table`); a result of another shape
    ///     is ignored (it cannot be placed without names).
    ///   - busFault: the fault of the device's bus when its connection could not be opened; `nil` clears it.
    ///   - observedAt: when the readings were taken (wall clock).
    ///   - now: when the results arrived (wall clock), for occupancy notes.
    public mutating func ingest(
        deviceIndex d: Int, linkState: LinkState, readings: PollReadings, busFault: BusFault? = nil,
        observedAt: Date, at now: Date
    ) {
        guard d >= 0, d < table.deviceCount, readings.count == table.pointCount(ofDevice: d) else { return }
        links[d] = linkState
        if busOfDevice[d] >= 0 { busFaults[busOfDevice[d]] = busFault }
        let base = table.base[d]
        readings.packed.withUnsafeBufferPointer { packed in
            slots.withUnsafeMutableBufferPointer { slots in
                for i in packed.indices {
                    Self.update(&slots[base + i], packed[i], at: observedAt)
                }
            }
        }
        if readings.hasSideEntries {
            for (i, entry) in readings.packed.enumerated() {
                switch entry {
                case .text(let k): texts[base + i] = readings.texts[Int(k)]
                case .noSample(let k): reasons[base + i] = readings.reasons[Int(k)]
                default: break
                }
            }
        }
        if !counterPoints[d].isEmpty {
            let entrance = table.deviceNames[d]
            let counterSamples = counterPoints[d].map {
                OccupancyCounter.Sample(entrance: entrance, direction: $0.direction, reading: reading(at: $0.index))
            }
            occupancyCounter.ingest(counterSamples, at: now)
        }
    }

    /// Takes one device's results from one poll, by index, as `Reading`s (tests and tools; the bus workers
    /// hand over `PollReadings`).
    public mutating func ingest(
        deviceIndex d: Int, linkState: LinkState, readings: [Reading], busFault: BusFault? = nil,
        observedAt: Date, at now: Date
    ) {
        ingest(
            deviceIndex: d, linkState: linkState, readings: PollReadings(readings), busFault: busFault,
            observedAt: observedAt, at: now)
    }

    /// Takes one device's results from one poll, by name (tests and tools; the bus workers use the indexed
    /// `ingest(deviceIndex:…)`). Samples of points the device does not have are ignored.
    /// - Parameters:
    ///   - linkState: the device's link state after the poll.
    ///   - samples: its points' samples.
    ///   - busFault: the fault of the device's bus when its connection could not be opened; `nil` clears it.
    ///   - now: when the results arrived (wall clock), for occupancy notes.
    public mutating func ingest(
        device: String, linkState: LinkState, samples: [Sample], busFault: BusFault? = nil, at now: Date
    ) {
        guard let d = table.deviceIndex(named: device) else { return }
        links[d] = linkState
        if busOfDevice[d] >= 0 { busFaults[busOfDevice[d]] = busFault }
        for sample in samples {
            guard let index = table.flatIndex(device: sample.device, point: sample.point) else { continue }
            let entry: PackedReading
            switch sample.reading {
            case .value(let value):
                if let inline = PackedReading(inline: value) {
                    entry = inline
                } else {
                    entry = .text(0)
                    texts[index] = value.textValue ?? ""
                }
            case .noSample(let reason):
                entry = .noSample(0)
                reasons[index] = reason
            }
            Self.update(&slots[index], entry, at: sample.observedAt)
        }
        if !counterPoints[d].isEmpty {
            let counterSamples: [OccupancyCounter.Sample] = counterPoints[d].compactMap { counter in
                let name = table.points[counter.index].name
                guard let sample = samples.first(where: { $0.point == name }) else { return nil }
                return .init(entrance: device, direction: counter.direction, reading: sample.reading)
            }
            occupancyCounter.ingest(counterSamples, at: now)
        }
    }

    @inline(__always)
    private static func update(_ slot: inout Slot, _ reading: PackedReading, at observedAt: Date) {
        if reading.isValue {
            slot.lastValue = reading
            slot.lastValueAt = observedAt
        }
        slot.reading = reading
        slot.observedAt = observedAt
        slot.isPolled = true
    }

    /// The latest reading of the point at flat index `index` (no sample, not yet read, before its first poll).
    private func reading(at index: Int) -> Reading {
        switch slots[index].reading {
        case .noSample: .noSample(reason(at: index))
        case let entry: .value(value(entry, at: index))
        }
    }

    /// The reason of the point at flat index `index` when its latest reading is no sample.
    private func reason(at index: Int) -> NoSampleReason {
        reasons[index] ?? NoSampleReason(.notYetRead)
    }

    /// `entry` (a value of the point at flat index `index`) as a `SampleValue`.
    private func value(_ entry: PackedReading, at index: Int) -> SampleValue {
        entry.inlineValue ?? .string(texts[index] ?? "")
    }

    /// The latest of one point, or `nil` if it was never polled.
    public func point(device: String, point: String) -> PointState? {
        guard let index = table.flatIndex(device: device, point: point) else { return nil }
        return pointState(at: index)
    }

    /// The latest of the point at flat index `index` of `table`, or `nil` if it was never polled.
    public func pointState(at index: Int) -> PointState? {
        let slot = slots[index]
        guard slot.isPolled else { return nil }
        let point = table.points[index]
        return PointState(
            latest: Sample(
                device: table.deviceNames[table.deviceOfPoint[index]], point: point.name, reading: reading(at: index),
                observedAt: slot.observedAt),
            lastValue: slot.lastValue.map { value($0, at: index) }, lastValueAt: slot.lastValueAt)
    }

    /// Age of the last value of a point at `now`, or `nil` if it never had a value.
    public func age(device: String, point: String, at now: Date) -> Duration? {
        guard let index = table.flatIndex(device: device, point: point), let at = slots[index].lastValueAt else {
            return nil
        }
        return .seconds(now.timeIntervalSince(at))
    }

    /// The site as the checks see it at `now`.
    public func snapshot(at now: Date) -> SiteSnapshot {
        var s = SiteSnapshot(takenAt: now)
        s.occupancy = occupancy(at: now)
        s.occupancyNotes = occupancyCounter.noteTexts
        var totalWater = 0.0
        var waterTimes: [Date] = []
        var waterUnknown: NoSampleReason?
        for tank in record.facilities.waterTanks {
            let usable = usableWater(in: tank, at: now)
            s.usableWaterByTank[tank.name] = usable
            switch usable {
            case .known(let litres, let at):
                totalWater += litres
                waterTimes.append(at)
            case .unknown(let reason):
                // Keep the tank's own reason kind (timeout, sentinel, …) so the report says why.
                waterUnknown =
                    waterUnknown
                    ?? NoSampleReason(
                        reason.kind, exceptionCode: reason.exceptionCode, detail: "tank \(tank.name): \(reason)")
            }
        }
        if let waterUnknown {
            s.usableWater = .unknown(waterUnknown)
        } else if let oldest = waterTimes.min() {
            s.usableWater = .known(totalWater, observedAt: oldest)
        } else {
            s.usableWater = .unknown(.missing("no water tank registered"))
        }
        s.sewageLevel = number(.sewageTankLevel, facility: nil, at: now)
        s.mainsPresent = mainsPresent(at: now)
        for generator in record.facilities.generators {
            s.generatorRunning[generator.name] = boolean(.generatorRunning, facility: generator.name, at: now)
            s.generatorOnLoad[generator.name] = boolean(.generatorOnLoad, facility: generator.name, at: now)
            s.fuel[generator.name] = fuel(of: generator, at: now)
            if binding(.generatorPower, facility: generator.name) != nil {
                s.generatorPower[generator.name] = number(.generatorPower, facility: generator.name, at: now)
            }
        }
        if binding(.waterPressure, facility: nil) != nil {
            // Municipal supply counts as a water source (C-11) while its pressure holds: ≥ 0.5 bar (site policy).
            s.waterSupplyPresent = number(.waterPressure, facility: nil, at: now).map { $0 >= 0.5 }
        }
        for battery in record.facilities.batteries {
            s.batterySOC[battery.name] = number(.batterySOC, facility: battery.name, at: now)
        }
        s.loadPower = number(.loadPower, facility: nil, at: now)
        if binding(.activationSwitch, facility: nil) != nil {
            s.activationSwitch = boolean(.activationSwitch, facility: nil, at: now)
        }
        s.links = linkStates
        s.busFaults = busFaults.compactMap { $0 }.sorted { $0.bus < $1.bus }.map { fault in
            SiteSnapshot.BusCondition(
                fault: fault, devices: configuration.devices.filter { $0.busName == fault.bus }.map(\.name))
        }
        s.boundFacilities = boundFacilities
        s.freshness.reserveCapacity(freshnessSlots.count)
        var position = 0
        for device in configuration.devices {
            for point in device.points {
                s.freshness.append(
                    PointFreshness(
                        device: device.name, point: point.name, pollInterval: device.pollInterval,
                        lastValueAt: freshnessSlots[position].flatMap { slots[$0].lastValueAt }))
                position += 1
            }
        }
        return s
    }

    // MARK: - Derivations

    /// Registered facilities with a live source bound in the site file (for C-23's record-drift check): a
    /// binding with a `facility` name whose quantity belongs to a generator, battery or tank, and the sewage
    /// tank when its level is bound.
    private var boundFacilities: Set<FacilityRef> {
        var refs = Set<FacilityRef>()
        for binding in configuration.bindings {
            let q = binding.quantity.rawValue
            if q.hasPrefix("sewage.") {
                refs.insert(FacilityRef(.sewageTank, binding.facility ?? "sewage"))
                continue
            }
            guard let facility = binding.facility else { continue }
            if q.hasPrefix("power.generator.") {
                refs.insert(FacilityRef(.generator, facility))
            } else if q.hasPrefix("power.battery.") {
                refs.insert(FacilityRef(.battery, facility))
            } else if q.hasPrefix("water.tank.") {
                refs.insert(FacilityRef(.waterTank, facility))
            }
        }
        return refs
    }

    private func occupancy(at now: Date) -> Derived<Int> {
        if binding(.occupancyPresent, facility: nil) != nil {
            switch number(.occupancyPresent, facility: nil, at: now) {
            case .known(let n, let at):
                // A direct count from a device: a value no register can honestly hold is no sample.
                guard n.isFinite, abs(n) <= Self.largestCount else {
                    return .unknown(.init(.outOfRange, detail: "occupancy count \(n)"))
                }
                return .known(max(0, Int(n.rounded())), observedAt: at)
            case .unknown(let reason): return .unknown(reason)
            }
        }
        guard !counterDevices.isEmpty else { return .unknown(.missing("no people counter bound")) }
        let slowest = configuration.devices.filter { counterDevices.contains($0.name) }.map(\.pollInterval).max()
        return occupancyCounter.occupancy(at: now, maximumAge: (slowest ?? .seconds(10)) * maximumAgeFactor)
    }

    /// The largest head count taken from a device (a 32-bit register's range), so arithmetic on counts
    /// never overflows.
    static let largestCount = Double(Int32.max)

    /// Usable water in one tank, L: volume at the measured level (table, or cylinder) minus dead volume.
    private func usableWater(in tank: ShelterRecord.WaterTank, at now: Date) -> Derived<Double> {
        let volume: Derived<Double>
        if binding(.waterTankVolume, facility: tank.name) != nil {
            volume = number(.waterTankVolume, facility: tank.name, at: now)
        } else if binding(.waterTankLevelPercent, facility: tank.name) != nil {
            volume = number(.waterTankLevelPercent, facility: tank.name, at: now).map { tank.capacity * $0 / 100 }
        } else {
            volume = number(.waterTankLevel, facility: tank.name, at: now).map { Self.volume(of: tank, atLevel: $0) }
        }
        return volume.map { max(0, min($0, tank.capacity) - tank.deadVolume) }
    }

    /// Volume at `level` m: linear interpolation in the tank's table (from 0 L at 0 m below its first row,
    /// the last row's volume above it), or `capacity · level / height` for a vertical cylinder.
    static func volume(of tank: ShelterRecord.WaterTank, atLevel level: Double) -> Double {
        let table = tank.levelToVolume
        guard !table.isEmpty else { return tank.height > 0 ? tank.capacity * max(0, level) / tank.height : 0 }
        var previous = ShelterRecord.LevelVolume(level: 0, volume: 0)
        for row in table {
            if level <= row.level {
                let span = row.level - previous.level
                guard span > 0 else { return row.volume }
                return previous.volume + (row.volume - previous.volume) * max(0, level - previous.level) / span
            }
            previous = row
        }
        return previous.volume
    }

    private func fuel(of generator: ShelterRecord.Generator, at now: Date) -> Derived<Double> {
        if binding(.generatorFuelVolume, facility: generator.name) != nil {
            return number(.generatorFuelVolume, facility: generator.name, at: now)
        }
        return number(.generatorFuelLevel, facility: generator.name, at: now).map {
            generator.fuelTankCapacity * $0 / 100
        }
    }

    /// Mains present from its binding; else from the mains voltage: present above 184 V (0.8 × 230 V nominal,
    /// site policy: well below the −10 % supply tolerance of GB/T 12325, so only a real loss counts).
    private func mainsPresent(at now: Date) -> Derived<Bool> {
        if binding(.mainsPresent, facility: nil) != nil { return boolean(.mainsPresent, facility: nil, at: now) }
        if binding(.mainsVoltage, facility: nil) != nil {
            return number(.mainsVoltage, facility: nil, at: now).map { $0 >= 184 }
        }
        return .unknown(.missing("no power.mains.present or power.mains.voltage binding"))
    }

    private func binding(_ quantity: Quantity, facility: String?) -> QuantityBinding? {
        bindingPosition(quantity, facility: facility).map { configuration.bindings[$0] }
    }

    private func bindingPosition(_ quantity: Quantity, facility: String?) -> Int? {
        configuration.bindings.firstIndex { $0.quantity == quantity && (facility == nil || $0.facility == facility) }
    }

    /// The bound point's value as a number, known while fresh.
    private func number(_ quantity: Quantity, facility: String?, at now: Date) -> Derived<Double> {
        guard let position = bindingPosition(quantity, facility: facility) else {
            return .unknown(.missing("no \(quantity) binding" + (facility.map { " for \($0)" } ?? "")))
        }
        let binding = configuration.bindings[position]
        guard let index = bindingSlots[position], slots[index].isPolled else {
            return .unknown(.init(.notYetRead, detail: "\(binding.device).\(binding.point)"))
        }
        let state = slots[index]
        let interval = configuration.device(named: binding.device)?.pollInterval ?? .seconds(10)
        guard let value = state.lastValue?.numericValue, let at = state.lastValueAt,
            now.timeIntervalSince(at) <= (interval * maximumAgeFactor).inSeconds
        else {
            if case .noSample = state.reading {
                let reason = reason(at: index)
                return .unknown(
                    .init(
                        reason.kind, exceptionCode: reason.exceptionCode,
                        detail: "\(binding.device).\(binding.point): \(reason.detail)"))
            }
            return .unknown(.init(.stale, detail: "\(binding.device).\(binding.point)"))
        }
        return .known(value, observedAt: at)
    }

    private func boolean(_ quantity: Quantity, facility: String?, at now: Date) -> Derived<Bool> {
        number(quantity, facility: facility, at: now).map { $0 != 0 }
    }
}

extension SiteState {
    /// The people-counter state, saved by the runtime across restarts so the persons inside are not forgotten.
    public var savedOccupancyCounter: OccupancyCounter { occupancyCounter }

    /// Takes back an occupancy counter saved before a restart. Ignored when the saved counter's entrances differ
    /// from this site's (the configuration changed, so the saved baselines no longer apply), or when its figures
    /// are beyond what counting can produce (a file is input: persons and totals 0...2³¹−1, so adding a step
    /// never overflows).
    /// - Returns: whether the saved counter was taken.
    @discardableResult
    public mutating func restore(occupancyCounter saved: OccupancyCounter) -> Bool {
        let plausible = 0...Int(Int32.max)
        guard saved.entrances == occupancyCounter.entrances, plausible.contains(saved.persons),
            plausible.contains(saved.totalEntered), plausible.contains(saved.totalLeft),
            plausible.contains(saved.unmatchedLeaving)
        else { return false }
        occupancyCounter = saved
        return true
    }

    /// Link state per device name, from the last poll result.
    public var linkStates: [String: LinkState] {
        Dictionary(uniqueKeysWithValues: zip(table.deviceNames, links))
    }

    /// The buses whose connection cannot be opened, by bus name.
    public var busFaultsByName: [String: BusFault] {
        var faults: [String: BusFault] = [:]
        for (name, fault) in zip(busNames, busFaults) { faults[name] = fault }
        return faults
    }
}
