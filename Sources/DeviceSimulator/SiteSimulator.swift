import FoundationEssentials
public import ShelterCore

/// Every device of a site served as a simulated slave on its bus (`shelter-sim serve --site`).
///
/// TCP buses (and RTU-over-TCP buses, served as Modbus TCP) listen on `127.0.0.1` with a system-chosen port;
/// serial buses get a paced pty at the bus's line settings. Thread-safe.
public final class SiteSimulator: Sendable {
    /// The buses, in the site's order.
    public let buses: [SimulatedBus]

    /// Starts serving every bus of `configuration`.
    /// - Throws: `SimulatorError` if a port or pty cannot be opened (everything started is stopped again).
    public init(configuration: SiteConfiguration, script: ValueScriptFile = .init()) throws(SimulatorError) {
        try Self.check(script, against: configuration.devices.map { ($0.name, $0.profile) })
        var started: [SimulatedBus] = []
        do throws(SimulatorError) {
            for bus in configuration.buses {
                let isTCP = bus.serialLine == nil
                var devices: [SimulatedDevice] = []
                for device in configuration.devices(on: bus) {
                    do {
                        devices.append(
                            try SimulatedDevice(
                                name: device.name, unitID: device.unitID.rawValue, profile: device.profile,
                                scripts: script.scripts[device.name] ?? [:],
                                faults: script.faults[device.name] ?? .init(),
                                isTCP: isTCP, seed: script.seed &+ UInt64(device.unitID.rawValue)))
                    } catch {
                        throw SimulatorError("cannot simulate \(device.name): \(error)")
                    }
                }
                if let line = bus.serialLine {
                    let settings = SerialLineSettings(
                        baud: line.baudRate, parity: line.parity,
                        dataBits: line.dataBits, stopBits: line.stopBits)
                    started.append(try SimulatedBus(name: bus.name, rtu: settings, devices: devices))
                } else {
                    do {
                        started.append(try SimulatedBus(name: bus.name, devices: devices))
                    } catch {
                        throw SimulatorError("cannot listen for bus \(bus.name): \(error)")
                    }
                }
            }
        } catch {
            started.forEach { $0.stop() }
            throw error
        }
        buses = started
    }

    /// Serves one device of `profile` as unit `unitID` on `127.0.0.1:port` (`shelter-sim serve --profile`).
    public init(
        profile: DeviceProfile, unitID: UInt8, name: String, host: String, port: Int, script: ValueScriptFile
    )
        throws(SimulatorError)
    {
        try Self.check(script, against: [(name, profile)])
        do {
            let device = try SimulatedDevice(
                name: name, unitID: unitID, profile: profile, scripts: script.scripts[name] ?? [:],
                faults: script.faults[name] ?? .init(), isTCP: true, seed: script.seed)
            buses = [try SimulatedBus(name: name, tcpHost: host, port: port, devices: [device])]
        } catch {
            throw SimulatorError("cannot serve \(name) on \(host):\(port): \(error)")
        }
    }

    /// Refuses a script that names a device or point the site does not have (a typo must not be ignored).
    static func check(_ script: ValueScriptFile, against devices: [(String, DeviceProfile)]) throws(SimulatorError) {
        let profiles = Dictionary(devices) { a, _ in a }
        for name in Set(script.scripts.keys).union(script.faults.keys).sorted() {
            guard let profile = profiles[name] else {
                throw SimulatorError(
                    "value script: no device \"\(name)\" (devices: \(profiles.keys.sorted().joined(separator: ", ")))")
            }
            for point in (script.scripts[name] ?? [:]).keys.sorted() where profile.point(named: point) == nil {
                throw SimulatorError("value script: device \(name) has no point \"\(point)\"")
            }
        }
    }

    /// Stops every bus.
    public func stop() { buses.forEach { $0.stop() } }

    /// The device named `name` on any bus.
    public func device(named name: String) -> SimulatedDevice? {
        buses.lazy.compactMap { $0.device(named: name) }.first
    }

    /// One JSON line per bus saying where it listens, e.g.
    /// `{"bus":"rs485","kind":"rtu","path":"/dev/pts/5","baud":9600,"parity":"E","data_bits":8,"stop_bits":1,"devices":[{"name":"genset","unit_id":1}]}`.
    public func endpointLines() -> [String] {
        buses.map { bus in
            var fields: [String] = ["\"bus\":\(Self.quoted(bus.name))"]
            switch bus.endpoint {
            case .tcp(let host, let port):
                fields += ["\"kind\":\"tcp\"", "\"host\":\(Self.quoted(host))", "\"port\":\(port)"]
            case .rtu(let path, let s):
                fields += [
                    "\"kind\":\"rtu\"", "\"path\":\(Self.quoted(path))", "\"baud\":\(s.baud)",
                    "\"parity\":\"\(s.parity.rawValue)\"", "\"data_bits\":\(s.dataBits)", "\"stop_bits\":\(s.stopBits)",
                ]
            }
            let devices = bus.devices.map { "{\"name\":\(Self.quoted($0.name)),\"unit_id\":\($0.unitID)}" }
            fields.append("\"devices\":[\(devices.joined(separator: ","))]")
            return "{\(fields.joined(separator: ","))}"
        }
    }

    /// Carries out one control command; returns the reply line.
    public func execute(_ command: ControlCommand) -> String {
        func find(_ name: String) -> SimulatedDevice? { device(named: name) }
        switch command {
        case .set(let name, let point, let value):
            guard let device = find(name) else { return "error: no device \(name)" }
            return device.setScript(.constant(value), for: point) ? "ok" : "error: \(name) has no point \(point)"
        case .get(let name, let point):
            guard let value = find(name)?.currentValue(of: point) else { return "error: no point \(name) \(point)" }
            return "ok \(Self.text(value))"
        case .fault(let name, let change):
            guard let device = find(name) else { return "error: no device \(name)" }
            device.updateFaults { change.apply(to: &$0) }
            return "ok"
        case .down(let name), .up(let name):
            guard let device = find(name) else { return "error: no device \(name)" }
            if case .down = command { device.isDown = true } else { device.isDown = false }
            return "ok"
        case .restart(let name):
            guard let bus = buses.first(where: { $0.name == name }) else { return "error: no bus \(name)" }
            do {
                try bus.restart()
                return "ok"
            } catch {
                return "error: \(error)"
            }
        case .status:
            return statusJSON()
        }
    }

    /// The `status` reply, one JSON object on one line:
    /// `{"buses":[{"bus":"rs485-1","kind":"rtu","settings":"9600 8E1","ignored_requests":2,`
    /// `"last_ignored_settings":"9600 8O2"}, {"bus":"io","kind":"tcp"}],"devices":[{"name":"genset",`
    /// `"bus":"rs485-1","unit_id":10,"requests":12,"down":false,"faults":["late 200"]}]}`. `faults` lists the
    /// faults that are on in the control command's words (`FaultPlan.commandWords`); `ignored_requests` counts
    /// the requests sent at other line settings than the bus's, which no device heard.
    public func statusJSON() -> String {
        let busObjects = buses.map { bus in
            switch bus.endpoint {
            case .tcp: return "{\"bus\":\(Self.quoted(bus.name)),\"kind\":\"tcp\"}"
            case .rtu(_, let settings):
                let ignored = bus.ignoredRequests
                let last = ignored?.lastSettings.map { Self.quoted($0.description) } ?? "null"
                return
                    "{\"bus\":\(Self.quoted(bus.name)),\"kind\":\"rtu\",\"settings\":\(Self.quoted(settings.description)),"
                    + "\"ignored_requests\":\(ignored?.count ?? 0),\"last_ignored_settings\":\(last)}"
            }
        }
        let devices = buses.flatMap { bus in
            bus.devices.map { d in
                let faults = d.faults.commandWords.map(Self.quoted).joined(separator: ",")
                return "{\"name\":\(Self.quoted(d.name)),\"bus\":\(Self.quoted(bus.name)),\"unit_id\":\(d.unitID),"
                    + "\"requests\":\(d.requestCount),\"down\":\(d.isDown),\"faults\":[\(faults)]}"
            }
        }
        return "{\"buses\":[\(busObjects.joined(separator: ","))],\"devices\":[\(devices.joined(separator: ","))]}"
    }

    /// Parses and carries out one control line.
    public func execute(line: String) -> String {
        do {
            return execute(try ControlCommand(parsing: line))
        } catch {
            return "error: \(error)"
        }
    }

    static func text(_ value: SampleValue) -> String {
        switch value {
        case .double(let v): "\(v)"
        case .int(let v): "\(v)"
        case .uint(let v): "\(v)"
        case .bool(let v): "\(v)"
        case .string(let v): v
        }
    }

    /// `s` as a JSON string literal.
    public static func quotedJSON(_ s: String) -> String { quoted(s) }

    static func quoted(_ s: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let data = (try? encoder.encode(s)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

extension SiteSimulator {
    /// `bus` pointed at where this simulator serves it (a bus it does not serve is returned as is).
    public func redirect(_ bus: Bus) -> Bus {
        guard let served = buses.first(where: { $0.name == bus.name }) else { return bus }
        switch served.endpoint {
        case .tcp(let host, let port):
            return Bus(name: bus.name, transport: .tcp(host: host, port: port), interFrameGap: bus.interFrameGap)
        case .rtu(let path, let s):
            let line = SerialLine(
                device: path, baudRate: s.baud, parity: s.parity, dataBits: s.dataBits, stopBits: s.stopBits)
            return Bus(name: bus.name, transport: .serial(line), interFrameGap: bus.interFrameGap)
        }
    }
}
