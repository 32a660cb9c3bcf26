public import ShelterCore
import TOMLKit
import TOMLSupport

/// Where a bus is reached in a scenario run: a serial device (a simulator pty or a real port) or a TCP
/// endpoint.
public enum BusEndpoint: Sendable, Hashable, CustomStringConvertible {
    case serial(device: String)
    case tcp(host: String, port: Int)

    public var description: String {
        switch self {
        case .serial(let device): device
        case .tcp(let host, let port): "\(host):\(port)"
        }
    }
}

/// What the runner changes in a copy of the scenario's site file so that the agent talks to this run's
/// registry, simulator and temp state directory (the original file is never written).
///
/// Site-file keys follow `Firmware-Config/README.md` (`[gateway]`, `[[buses]]`, `[[devices]]`,
/// `[[bindings]]`, `[thresholds."C-xx"]`, `[reporting_interval_seconds]`).
public struct SitePatch: Sendable, Hashable {
    /// `gateway.state_directory`: a fresh temp directory.
    public var stateDirectory: String
    /// `gateway.registry_url`, e.g. `https://localhost:40123/`.
    public var registryURL: String
    /// `gateway.ca_bundle`, `client_certificate`, `client_key`: from the run's development PKI.
    public var caBundle: String
    public var clientCertificate: String
    public var clientKey: String
    /// Per bus name, where it is reached (`device` for serial buses, `host`/`port` for TCP).
    public var buses: [String: BusEndpoint]
    /// Buses to leave out together with their devices and bindings (a simulator copy without the buses
    /// that are real hardware).
    public var removedBuses: Set<String>
    /// Report cadence for every lifecycle state and the drill (`reporting_interval_seconds.<state>`).
    public var reportInterval: Duration?
    /// `gateway.heartbeat_interval_seconds`.
    public var heartbeatInterval: Duration?
    /// Threshold overrides merged into `[thresholds."C-xx"]`.
    public var thresholds: [CheckID: ThresholdOverride]

    public init(
        stateDirectory: String, registryURL: String, caBundle: String, clientCertificate: String, clientKey: String,
        buses: [String: BusEndpoint] = [:], removedBuses: Set<String> = [], reportInterval: Duration? = nil,
        heartbeatInterval: Duration? = nil, thresholds: [CheckID: ThresholdOverride] = [:]
    ) {
        self.stateDirectory = stateDirectory
        self.registryURL = registryURL
        self.caBundle = caBundle
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.buses = buses
        self.removedBuses = removedBuses
        self.reportInterval = reportInterval
        self.heartbeatInterval = heartbeatInterval
        self.thresholds = thresholds
    }

    /// Applies the patch to site-file text.
    /// - Returns: the patched file as TOML (comments are not kept).
    /// - Throws: `ScenarioError` `.invalid` if the text is not TOML or a bus to patch is not in the file.
    public func apply(to text: String, subject: String) throws(ScenarioError) -> String {
        let root = try SiteSummary.parse(text, subject: subject)
        guard let gateway = root["gateway"]?.table else {
            throw ScenarioError(code: .invalid, subject: subject, "no [gateway] table")
        }
        gateway["state_directory"] = stateDirectory
        gateway["registry_url"] = registryURL
        gateway["ca_bundle"] = caBundle
        gateway["client_certificate"] = clientCertificate
        gateway["client_key"] = clientKey
        if let heartbeatInterval { gateway["heartbeat_interval_seconds"] = heartbeatInterval.seconds }

        var found: Set<String> = []
        let keptBuses = TOMLArray()
        for bus in root["buses"]?.array?.compactMap(\.table) ?? [] {
            guard let name = bus["name"]?.string else { continue }
            found.insert(name)
            if removedBuses.contains(name) { continue }
            switch buses[name] {
            case .serial(let device)?:
                bus["device"] = device
            case .tcp(let host, let port)?:
                bus["host"] = host
                bus["port"] = port
            case nil:
                break
            }
            keptBuses.append(bus)
        }
        let missing = Set(buses.keys).union(removedBuses).subtracting(found)
        guard missing.isEmpty else {
            throw ScenarioError(
                code: .invalid, subject: subject,
                "no bus named \(missing.sorted().joined(separator: ", ")) in the site file")
        }
        root["buses"] = keptBuses
        if !removedBuses.isEmpty { dropDevices(on: removedBuses, in: root) }

        if let reportInterval {
            let cadence = TOMLTable()
            for key in ReportingIntervals.fileKeys { cadence[key] = reportInterval.seconds }
            root["reporting_interval_seconds"] = cadence
        }
        if !thresholds.isEmpty {
            let table = root["thresholds"]?.table ?? TOMLTable()
            for (check, override) in thresholds.sorted(by: { $0.key < $1.key }) {
                let entry = table[check.rawValue]?.table ?? TOMLTable()
                if let warning = override.warning { entry["warning"] = warning }
                if let critical = override.critical { entry["critical"] = critical }
                if let holdFor = override.holdFor { entry["hold_for_seconds"] = holdFor.seconds }
                if !override.isEnabled { entry["enabled"] = false }
                table[check.rawValue] = entry
            }
            root["thresholds"] = table
        }
        return root.convert(to: .toml)
    }

    private func dropDevices(on removed: Set<String>, in root: TOMLTable) {
        let kept = TOMLArray()
        var gone: Set<String> = []
        for device in root["devices"]?.array?.compactMap(\.table) ?? [] {
            if let bus = device["bus"]?.string, removed.contains(bus) {
                gone.insert(device["name"]?.string ?? "")
            } else {
                kept.append(device)
            }
        }
        root["devices"] = kept
        let keptBindings = TOMLArray()
        for binding in root["bindings"]?.array?.compactMap(\.table) ?? [] {
            if let device = binding["device"]?.string, gone.contains(device) { continue }
            keptBindings.append(binding)
        }
        root["bindings"] = keptBindings
    }
}

/// The facts about a site file the runner needs: gateway and shelter ids, buses, and which bus each device is on.
public struct SiteSummary: Sendable, Hashable {
    public var gatewayID: String
    public var shelterID: String
    /// Bus name → kind (`serial`, `tcp`, …).
    public var buses: [String: String]
    /// Device name → bus name.
    public var devices: [String: String]

    /// Reads the summary from site-file text.
    /// - Throws: `ScenarioError` `.invalid` when the text is not TOML or lacks `gateway.id` or `record.id`.
    public init(text: String, subject: String) throws(ScenarioError) {
        let root = try Self.parse(text, subject: subject)
        guard let gatewayID = root["gateway"]?.table?["id"]?.string,
            let shelterID = root["record"]?.table?["id"]?.string
        else {
            throw ScenarioError(code: .invalid, subject: subject, "the site file needs gateway.id and record.id")
        }
        self.gatewayID = gatewayID
        self.shelterID = shelterID
        var buses: [String: String] = [:]
        for bus in root["buses"]?.array?.compactMap(\.table) ?? [] {
            if let name = bus["name"]?.string { buses[name] = bus["kind"]?.string ?? "" }
        }
        self.buses = buses
        var devices: [String: String] = [:]
        for device in root["devices"]?.array?.compactMap(\.table) ?? [] {
            if let name = device["name"]?.string { devices[name] = device["bus"]?.string ?? "" }
        }
        self.devices = devices
    }

    static func parse(_ text: String, subject: String) throws(ScenarioError) -> TOMLTable {
        do {
            return try TOMLText.parse(text)
        } catch {
            throw ScenarioError(code: .invalid, subject: subject, issues: [Scenario.issue(decoding: error)])
        }
    }
}
