extension SiteConfiguration {
    /// Validates a site file and the profiles it names into a typed configuration.
    ///
    /// Pure: no I/O. Collects every problem (STYLE §4): types and ranges, unit ids (1–247 serial, 0–255 TCP),
    /// baud and parity, duplicate names, overlapping points, byte orders that do not fit the type, addresses
    /// past 65535, unknown profiles and buses, bindings to missing points or with the wrong unit, and the
    /// record's consistency (capacity × area per person ≤ effective area; tanks have a volume).
    /// - Parameters:
    ///   - site: the parsed site file.
    ///   - file: the site file as shown in issues.
    ///   - profiles: the profiles found, by name; a name the site uses but that is absent here is unknown.
    /// - Returns: the configuration, or every issue found.
    public static func validate(
        _ site: SiteFile, file: String, profiles: [String: ProfileSource]
    ) -> Result<SiteConfiguration, ConfigurationError> {
        var validator = SiteValidator(file: file, profiles: profiles)
        let configuration = validator.run(site)
        let issues = validator.allIssues
        if let configuration, issues.isEmpty { return .success(configuration) }
        return .failure(ConfigurationError(issues: issues))
    }
}

/// One validation run over a site file. Internal.
struct SiteValidator {
    var site: IssueCollector
    let profiles: [String: ProfileSource]
    /// Issues found in profile files, reported once per profile.
    var profileIssues: [ConfigurationIssue] = []
    var resolvedProfiles: [String: DeviceProfile?] = [:]

    init(file: String, profiles: [String: ProfileSource]) {
        self.site = IssueCollector(file: file)
        self.profiles = profiles
    }

    var allIssues: [ConfigurationIssue] { site.issues + profileIssues }

    mutating func run(_ file: SiteFile) -> SiteConfiguration? {
        let gateway = validateGateway(file.gateway)
        let (validBuses, busesAreValid) = validateBuses(file.buses ?? [])
        let (validDevices, devicesAreValid) = validateDevices(
            file.devices ?? [], buses: validBuses, declaredBuses: Set((file.buses ?? []).compactMap(\.name)))
        let buses = busesAreValid ? validBuses : nil
        let devices = devicesAreValid ? validDevices : nil
        let record = validateRecord(file.record)
        let bindings = validateBindings(
            file.bindings ?? [], devices: validDevices, declaredDevices: Set((file.devices ?? []).compactMap(\.name)),
            record: record)
        let thresholds = validateThresholds(file.thresholds ?? [:])
        let reporting = validateReporting(file.reportingIntervalSeconds ?? [:])
        let (metrics, metricsAreValid) = validateMetrics(file.metrics)
        guard let gateway, let buses, let devices, let record, let bindings, metricsAreValid else { return nil }
        return SiteConfiguration(
            file: site.file, gateway: gateway, buses: buses, devices: devices, record: record, bindings: bindings,
            thresholds: thresholds, reportingIntervals: reporting, metrics: metrics)
    }

    // MARK: gateway

    mutating func validateGateway(_ raw: SiteFile.Gateway?) -> Gateway? {
        guard let raw else {
            site.add(
                "gateway", "", "the [gateway] table is missing",
                fix: "add [gateway] with id, state_directory, registry_url, ca_bundle, client_certificate, client_key")
            return nil
        }
        let id = site.requireText(raw.id, "gateway.id", fix: "add the gateway id the registry issued")
        let state = site.requireText(
            raw.stateDirectory, "gateway.state_directory",
            fix: "add an absolute directory, e.g. /var/lib/shelter-agent")
        if let state, !state.hasPrefix("/") {
            site.add(
                "gateway.state_directory", quoted(state), "must be an absolute path",
                fix: "start the path with /")
        }
        let url = site.requireText(raw.registryUrl, "gateway.registry_url", fix: "add the registry's https:// URL")
        let urlProblems = url.map(SiteConfiguration.registryURLProblems) ?? []
        for problem in urlProblems {
            site.add("gateway.registry_url", quoted(url ?? ""), problem.message, fix: problem.fix)
        }
        let ca = site.requireText(raw.caBundle, "gateway.ca_bundle", fix: "add the path of the CA bundle (PEM)")
        let cert = site.requireText(
            raw.clientCertificate, "gateway.client_certificate",
            fix: "add the path of the client certificate (PEM)")
        let key = site.requireText(
            raw.clientKey, "gateway.client_key",
            fix: "add the path of the client private key (PEM, mode 0600)")
        if let pin = raw.pin, !pin.hasPrefix("sha256//") || pin.count <= 8 {
            site.add(
                "gateway.pin", quoted(pin), "not a public-key pin",
                fix: "use sha256//<base64 of the SPKI SHA-256>, or remove the key")
        }
        let heartbeat = site.number(
            raw.heartbeatIntervalSeconds, "gateway.heartbeat_interval_seconds", default: 30,
            in: 1...3600, unit: "s")
        let language = validateLanguage(raw.language)
        guard let id, let state, state.hasPrefix("/"), let url, urlProblems.isEmpty,
            let ca, let cert, let key, let heartbeat, let language
        else { return nil }
        return Gateway(
            id: id, stateDirectory: state, registryURL: url, caBundle: ca, clientCertificate: cert,
            clientKey: key, pin: raw.pin, bearerTokenFile: raw.bearerTokenFile,
            heartbeatInterval: .milliseconds(Int64((heartbeat * 1000).rounded())), language: language)
    }

    /// `gateway.language`: exactly `zh-CN` or `en` (the values `Language` spells), default `zh-CN`.
    mutating func validateLanguage(_ raw: String?) -> Language? {
        guard let raw else { return .zhCN }
        guard let language = Language(rawValue: raw) else {
            site.add(
                "gateway.language", quoted(raw), "not a language the gateway writes",
                fix: ConfigIssueText.useLanguage.text(in: .en))
            return nil
        }
        return language
    }

    // MARK: buses

    /// The valid buses, and whether every bus was valid.
    mutating func validateBuses(_ raw: [SiteFile.Bus]) -> ([Bus], Bool) {
        let before = site.issues.count
        site.checkUnique(raw.map(\.name), path: { "buses[\($0)].name" }, what: "bus")
        var buses: [Bus] = []
        for (index, bus) in raw.enumerated() {
            if let valid = validateBus(bus, path: "buses[\(index)]") { buses.append(valid) }
        }
        return (buses, site.issues.count == before)
    }

    private mutating func validateBus(_ raw: SiteFile.Bus, path: String) -> Bus? {
        let before = site.issues.count
        let name = site.requireText(raw.name, "\(path).name", fix: "add `name = \"…\"`, unique in the site")
        guard
            let kind = site.require(raw.kind, "\(path).kind", fix: "add kind = \"serial\", \"tcp\" or \"rtu_over_tcp\"")
        else { return nil }
        let serialKeys: [(String, Bool)] = [
            ("device", raw.device != nil), ("baud", raw.baud != nil), ("parity", raw.parity != nil),
            ("data_bits", raw.dataBits != nil), ("stop_bits", raw.stopBits != nil),
        ]
        let tcpKeys: [(String, Bool)] = [("host", raw.host != nil), ("port", raw.port != nil)]
        func rejectKeys(_ keys: [(String, Bool)], _ collector: inout IssueCollector) {
            for (key, present) in keys where present {
                collector.add(
                    "\(path).\(key)", "", "does not apply to a \(kind) bus",
                    fix: "remove the key, or change kind")
            }
        }
        let gapMilliseconds = site.number(
            raw.interFrameGapMilliseconds, "\(path).inter_frame_gap_milliseconds",
            in: 0...1000, unit: "ms")
        let transport: Bus.Transport
        var defaultGap: Duration = .zero
        switch kind {
        case "serial":
            rejectKeys(tcpKeys, &site)
            let device = site.requireText(raw.device, "\(path).device", fix: "add the serial port, e.g. /dev/ttyUSB0")
            let baud = raw.baud ?? 9600
            if !SerialLine.standardBaudRates.contains(baud) {
                site.add(
                    "\(path).baud", String(baud), "not a standard baud rate",
                    fix: "use one of \(SerialLine.standardBaudRates.map(String.init).joined(separator: ", "))")
            }
            let parityText = raw.parity ?? "E"
            let parity = SerialLine.Parity(rawValue: parityText.uppercased())
            if parity == nil {
                site.add(
                    "\(path).parity", quoted(parityText), "unknown parity",
                    fix: "use \"N\" (none), \"E\" (even, the Modbus default) or \"O\" (odd)")
            }
            let dataBits = raw.dataBits ?? 8
            if dataBits != 8 {
                site.add(
                    "\(path).data_bits", String(dataBits), "Modbus RTU uses 8 data bits",
                    fix: "use data_bits = 8 (Modbus over Serial Line §2.5.1)")
            }
            let stopBits = site.integer(raw.stopBits, "\(path).stop_bits", default: 1, in: 1...2) ?? 1
            let line = SerialLine(
                device: device ?? "", baudRate: baud, parity: parity ?? .even, dataBits: 8, stopBits: stopBits)
            if SerialLine.standardBaudRates.contains(baud), let gapMilliseconds,
                Duration.seconds(fractional: gapMilliseconds / 1000) < line.t35
            {
                site.add(
                    "\(path).inter_frame_gap_milliseconds", format(gapMilliseconds),
                    "shorter than the 3.5-character silence at \(baud) baud",
                    fix:
                        "use at least \(format((line.t35.inMilliseconds * 1000).rounded(.up) / 1000)) ms or omit the key"
                )
            }
            guard device != nil, parity != nil, site.issues.count == before else { return nil }
            transport = .serial(line)
            defaultGap = line.t35
        case "tcp", "rtu_over_tcp":
            rejectKeys(serialKeys, &site)
            let host = site.requireText(raw.host, "\(path).host", fix: "add the device's IP address or host name")
            let port = site.integer(raw.port, "\(path).port", default: 502, in: 1...65535)
            guard let host, let port, site.issues.count == before else { return nil }
            if kind == "tcp" {
                transport = .tcp(host: host, port: port)
                if raw.interFrameGapMilliseconds != nil {
                    site.add(
                        "\(path).inter_frame_gap_milliseconds", "", "does not apply to a tcp bus",
                        fix: "remove the key (Modbus TCP has no inter-frame silence)")
                    return nil
                }
            } else {
                transport = .rtuOverTCP(host: host, port: port)
                defaultGap = .microseconds(1750)
            }
        default:
            site.add(
                "\(path).kind", quoted(kind), "unknown bus kind", fix: "use \"serial\", \"tcp\" or \"rtu_over_tcp\"")
            return nil
        }
        guard let name, site.issues.count == before else { return nil }
        let gap = gapMilliseconds.map { Duration.seconds(fractional: $0 / 1000) } ?? defaultGap
        return Bus(name: name, transport: transport, interFrameGap: gap)
    }

    // MARK: devices

    /// The valid devices, and whether every device (and every profile they use) was valid.
    mutating func validateDevices(
        _ raw: [SiteFile.Device], buses: [Bus], declaredBuses: Set<String>
    ) -> ([Device], Bool) {
        let before = site.issues.count
        site.checkUnique(raw.map(\.name), path: { "devices[\($0)].name" }, what: "device")
        var devices: [Device] = []
        var unitsOnBus: [String: [Int: Int]] = [:]
        for (index, device) in raw.enumerated() {
            let path = "devices[\(index)]"
            if let busName = device.bus, let unit = device.unitId {
                if let other = unitsOnBus[busName]?[unit] {
                    site.add(
                        "\(path).unit_id", String(unit),
                        "unit id already used by devices[\(other)] on bus \"\(busName)\"",
                        fix: "give every device on a bus its own unit id")
                } else {
                    unitsOnBus[busName, default: [:]][unit] = index
                }
            }
            if let valid = validateDevice(device, path: path, buses: buses, declaredBuses: declaredBuses) {
                devices.append(valid)
            }
        }
        return (devices, site.issues.count == before && profileIssues.isEmpty)
    }

    private mutating func validateDevice(
        _ raw: SiteFile.Device, path: String, buses: [Bus], declaredBuses: Set<String>
    ) -> Device? {
        let before = site.issues.count
        let name = site.requireText(raw.name, "\(path).name", fix: "add `name = \"…\"`, unique in the site")
        var bus: Bus?
        if let busName = site.require(raw.bus, "\(path).bus", fix: "name the bus the device hangs on") {
            bus = buses.first { $0.name == busName }
            // A bus that is declared but invalid has its own issues.
            if bus == nil, !declaredBuses.contains(busName) {
                let known = buses.map { quoted($0.name) }.joined(separator: ", ")
                site.add(
                    "\(path).bus", quoted(busName), "no bus has this name",
                    fix: known.isEmpty ? "add a [[buses]] table" : "use one of \(known)")
            }
        }
        var unitID: UnitID?
        if let unit = site.require(raw.unitId, "\(path).unit_id", fix: "add the device's Modbus unit id") {
            let allowed = bus?.allows(unitID: unit) ?? (0...255).contains(unit)
            if allowed, let byte = UInt8(exactly: unit) {
                unitID = UnitID(rawValue: byte)
            } else if bus?.usesSerialAddressing ?? true {
                site.add(
                    "\(path).unit_id", String(unit),
                    "out of range: on serial and RTU-over-TCP buses unit ids are 1...247",
                    fix: "use the unit id set on the device, 1...247")
            } else {
                site.add(
                    "\(path).unit_id", String(unit),
                    "out of range: on Modbus TCP unit ids are 0...247 or 255 (248...254 are reserved)",
                    fix: "use the unit id set on the device, 0...247, or 255 for a device that ignores it")
            }
        }
        let profile = resolveProfile(raw, path: path)
        let poll = site.number(
            raw.pollIntervalSeconds, "\(path).poll_interval_seconds",
            default: Device.defaultPollIntervalSeconds, in: Device.allowedPollIntervalSeconds,
            unit: "s", why: Device.allowedPollIntervalReason)
        let response = site.number(
            raw.responseTimeoutMilliseconds, "\(path).response_timeout_milliseconds",
            default: 500, in: Device.allowedResponseTimeoutMilliseconds, unit: "ms",
            why: Device.allowedResponseTimeoutReason)
        let byte = site.number(
            raw.byteTimeoutMilliseconds, "\(path).byte_timeout_milliseconds",
            default: 500, in: 1...60_000, unit: "ms")
        let cap = site.integer(
            raw.maxRegistersPerRequest, "\(path).max_registers_per_request", default: 125, in: 1...125)
        let gap = site.integer(raw.maxGapRegisters, "\(path).max_gap_registers", default: 10, in: 0...125)
        let holes = validateHoles(raw.knownHoles ?? [], path: path)
        if let profile, let cap {
            for point in profile.points where !point.function.isBitTable && point.width > cap {
                site.add(
                    "\(path).max_registers_per_request", String(cap),
                    "point \"\(point.name)\" needs \(point.width) registers in one request",
                    fix: "raise the cap to at least \(point.width); a point is never split")
            }
        }
        if let profile, let holes {
            for (holeIndex, hole) in holes.enumerated() {
                for point in profile.points where point.function == hole.function && point.span.overlaps(hole.addresses)
                {
                    site.add(
                        "\(path).known_holes[\(holeIndex)]", "\(hole.function.rawValue) \(hole.start)+\(hole.count)",
                        "covers point \"\(point.name)\"",
                        fix: "a point on a hole can never be read: fix the hole or remove the point")
                }
            }
        }
        guard site.issues.count == before, let name, let bus, let unitID, let profile, let poll, let response,
            let byte, let cap, let gap, let holes
        else { return nil }
        return Device(
            name: name, busName: bus.name, unitID: unitID, profile: profile,
            pollInterval: .seconds(fractional: poll), responseTimeout: .seconds(fractional: response / 1000),
            byteTimeout: .seconds(fractional: byte / 1000), maxRegistersPerRequest: cap, maxGapRegisters: gap,
            knownHoles: holes)
    }

    private mutating func resolveProfile(_ raw: SiteFile.Device, path: String) -> DeviceProfile? {
        switch (raw.profile, raw.points) {
        case (nil, nil):
            site.add(
                "\(path).profile", "", "required key is missing",
                fix: "name a profile from profiles/ (file name without .toml) or give inline [[devices.points]]")
            return nil
        case (.some, .some):
            site.add(
                "\(path).points", "", "a device takes either a profile or inline points, not both",
                fix: "remove one of them")
            return nil
        case (nil, .some(let points)):
            if points.isEmpty {
                site.add("\(path).points", "[]", "no points", fix: "add at least one point")
                return nil
            }
            guard let valid = DeviceProfile.validatePoints(points, pathPrefix: "\(path).points", into: &site) else {
                return nil
            }
            return DeviceProfile(name: "inline", vendor: "", model: "", document: "site file", points: valid)
        case (.some(let name), nil):
            if let cached = resolvedProfiles[name] { return cached }
            guard let source = profiles[name] else {
                let known = profiles.keys.sorted().joined(separator: ", ")
                site.add(
                    "\(path).profile", quoted(name), "no profile has this name",
                    fix: known.isEmpty
                        ? "add profiles/\(name).toml" : "use one of \(known), or add profiles/\(name).toml")
                return nil
            }
            var profile: DeviceProfile?
            if let raw = source.raw {
                let (valid, issues) = DeviceProfile.validate(raw, name: name, file: source.file)
                profile = valid
                profileIssues += issues
            }
            resolvedProfiles[name] = .some(profile)
            return profile
        }
    }

    private mutating func validateHoles(_ raw: [SiteFile.Hole], path: String) -> [RegisterRange]? {
        let before = site.issues.count
        var holes: [RegisterRange] = []
        for (index, hole) in raw.enumerated() {
            let holePath = "\(path).known_holes[\(index)]"
            var function: RegisterFunction?
            if let text = site.require(
                hole.function, "\(holePath).function", fix: "add function = \"holding\" (or input, coil, discrete)")
            {
                function = RegisterFunction(rawValue: text.lowercased())
                if function == nil {
                    site.add(
                        "\(holePath).function", quoted(text), "unknown register function",
                        fix: "use one of holding, input, coil, discrete")
                }
            }
            let address = site.integer(hole.address, "\(holePath).address", in: 0...65535, required: true)
            let count = site.integer(hole.count, "\(holePath).count", default: 1, in: 1...65536)
            if let address, let count, address + count > 65536 {
                site.add(
                    "\(holePath).count", String(count), "the hole runs past address 65535",
                    fix: "use a count of at most \(65536 - address)")
            } else if let function, let address, let count {
                holes.append(RegisterRange(function: function, start: address, count: count))
            }
        }
        return site.issues.count == before ? holes : nil
    }
}
