import FoundationEssentials
import HTTPClient
import Platform
import ShelterCore

#if canImport(Glibc)
    import Glibc
#endif

/// The files of a development PKI made by `Scripts/pki DIR --gateway ID` for one run.
struct DevelopmentPKI {
    let directory: String
    let gatewayID: String
    /// Gateways other than the site's that get a client certificate too (`gateway_certificate` steps).
    var otherGateways: [String] = []

    var caBundle: String { "\(directory)/ca.crt" }
    var registryCertificate: String { "\(directory)/registry.crt" }
    var registryKey: String { "\(directory)/registry.key" }
    var gatewayCertificate: String { "\(directory)/\(gatewayID).crt" }
    var gatewayKey: String { "\(directory)/\(gatewayID).key" }
    /// The certificate and key issued for `gateway`.
    func files(of gateway: String) -> (certificate: String, key: String) {
        ("\(directory)/\(gateway).crt", "\(directory)/\(gateway).key")
    }
    var operatorCertificate: String { "\(directory)/operator.crt" }
    var operatorKey: String { "\(directory)/operator.key" }

    /// The script's arguments: output directory and the gateway to issue a client certificate for (the
    /// script also issues the registry's server certificate and an operator certificate for the admin API).
    var scriptArguments: [String] {
        [directory, "--gateway", gatewayID] + otherGateways.flatMap { ["--gateway", $0] }
    }
}

extension ScenarioSession {
    /// Checks the scenario against the site and the options, makes the work directory and PKI, starts the
    /// registry, the simulator and the agent, and plays the steps at t = 0 before the agent's first poll.
    /// t = 0 is set when the registry has the agent's first heartbeat.
    func setUp() async throws(ScenarioError) {
        let binaries = try binaryPaths()
        guard let siteText = FileSystem.read(scenario.sitePath) else {
            throw ScenarioError(code: .unreadable, subject: scenario.sitePath, "cannot read the site file")
        }
        let site = try SiteSummary(text: siteText, subject: scenario.sitePath)
        self.site = site
        try checkAgainstSite(site)

        workDirectory = try FileSystem.makeTemporaryDirectory(prefix: "/tmp/shelter-hil-")
        note("work directory \(workDirectory)")
        for sub in ["pki", "state", "sites", "logs"] { try FileSystem.makeDirectory("\(workDirectory)/\(sub)") }
        // The site copies live in <work>/sites, so "../profiles next to the site file" must resolve there too.
        let profiles = FileSystem.absolute(FileSystem.directory(of: scenario.sitePath) + "/../profiles")
        try FileSystem.link("\(workDirectory)/profiles", to: profiles)

        var pki = DevelopmentPKI(directory: "\(workDirectory)/pki", gatewayID: site.gatewayID)
        pki.otherGateways = Array(
            Set(
                scenario.steps.compactMap { step -> String? in
                    if case .gatewayCertificate(let gateway?) = step.action, gateway != site.gatewayID {
                        gateway
                    } else {
                        nil
                    }
                })
        ).sorted()
        self.pki = pki
        try await makePKI(pki)
        try await fileRecord(agent: binaries.agent, site: site)
        try await startRegistry(binary: binaries.registry, pki: pki, site: site)
        if !scenario.initialLifecycle.isEmpty {
            note("registry lifecycle: \(scenario.initialLifecycle)")
            try await changeLifecycle(scenario.initialLifecycle)
        }
        let patch = SitePatch(
            stateDirectory: "\(workDirectory)/state", registryURL: "https://127.0.0.1:\(registryPort)/",
            caBundle: pki.caBundle, clientCertificate: pki.gatewayCertificate, clientKey: pki.gatewayKey,
            reportInterval: scenario.agent.reportInterval, heartbeatInterval: scenario.agent.heartbeatInterval,
            thresholds: scenario.thresholds)
        let endpoints = try await startSimulator(binary: binaries.simulator, siteText: siteText, patch: patch)

        timelineStart = clock.now
        for step in scenario.steps where step.at == .zero { try await perform(step) }

        var agentPatch = patch
        agentPatch.buses = endpoints.merging(options.realBuses.mapValues { .serial(device: $0) }) { _, real in real }
        try await startAgent(binary: binaries.agent, siteText: siteText, patch: agentPatch)
        timelineStart = clock.now
        timelineStartWall = Date.now
    }

    private func binaryPaths() throws(ScenarioError) -> (registry: String, agent: String, simulator: String) {
        let dir = options.binaryDirectory
        let paths = (
            registry: "\(dir)/shelter-registry", agent: "\(dir)/shelter-agent", simulator: "\(dir)/shelter-sim"
        )
        for path in [paths.registry, paths.agent, paths.simulator] where !FileSystem.isExecutable(path) {
            throw ScenarioError(
                code: .setupFailed, subject: path,
                "not built: run `swift build` (the runner uses the binaries next to shelter-sim)")
        }
        return paths
    }

    /// Steps must name devices of the site, and none on a bus that is real hardware.
    private func checkAgainstSite(_ site: SiteSummary) throws(ScenarioError) {
        var issues = scenario.issues(againstDevices: Set(site.devices.keys))
        for (bus, device) in options.realBuses.sorted(by: { $0.key < $1.key }) where site.buses[bus] == nil {
            issues.append(
                ScenarioIssue(
                    path: "--bus \(bus)=\(device)", message: "no bus \(bus) in the site file",
                    hint: "buses: \(site.buses.keys.sorted().joined(separator: ", "))"))
        }
        for step in scenario.steps {
            guard let device = step.action.device, let bus = site.devices[device], options.realBuses[bus] != nil
            else { continue }
            issues.append(
                ScenarioIssue(
                    path: "steps[\(step.index)]",
                    message: "acts on \(device), which is on bus \(bus): real hardware here",
                    hint: "run this scenario without --bus \(bus), or drive that device by hand"))
        }
        if !issues.isEmpty { throw ScenarioError(code: .invalid, subject: scenario.name, issues: issues) }
    }

    private func makePKI(_ pki: DevelopmentPKI) async throws(ScenarioError) {
        guard FileSystem.isExecutable(options.pkiScript) else {
            throw ScenarioError(
                code: .setupFailed, subject: "pki",
                "no development PKI script at \"\(options.pkiScript)\": give --pki-script PATH")
        }
        try FileSystem.makeDirectory(pki.directory)
        let child = try ChildProcess.start(
            name: "pki", executable: options.pkiScript, arguments: pki.scriptArguments,
            logPath: "\(workDirectory)/logs/pki.log")
        try await waitUntil("the development PKI", timeout: options.readinessTimeout) { !child.isRunning }
        guard child.exitCode == 0 else {
            throw ScenarioError(
                code: .setupFailed, subject: "pki",
                "\(options.pkiScript) failed (\(child.exitDescription ?? "?")):\n"
                    + Self.tail(of: child.logPath, lines: 20))
        }
    }

    /// The registered record as the registry will serve it: `shelter-agent show-record SITE` (the same JSON
    /// the agent compares its copy with).
    private func fileRecord(agent: String, site: SiteSummary) async throws(ScenarioError) {
        let child = try ChildProcess.start(
            name: "show-record", executable: agent, arguments: ["show-record", scenario.sitePath],
            logPath: recordPath, errorLogPath: "\(workDirectory)/logs/show-record.log")
        try await waitUntil("the registered record", timeout: options.readinessTimeout) { !child.isRunning }
        guard child.exitCode == 0 else {
            throw ScenarioError(
                code: .setupFailed, subject: "show-record",
                "shelter-agent show-record \(scenario.sitePath) failed (\(child.exitDescription ?? "?")):\n"
                    + Self.tail(of: recordPath, lines: 20))
        }
    }

    private var recordPath: String { "\(workDirectory)/record.json" }

    func startRegistry(binary: String, pki: DevelopmentPKI, site: SiteSummary) async throws(ScenarioError) {
        registryArguments = [
            "--port", "0", "--cert", pki.registryCertificate, "--key", pki.registryKey, "--client-ca", pki.caBundle,
            "--record", recordPath, "--gateway", "\(site.gatewayID)=\(site.shelterID)",
            "--database", "\(workDirectory)/registry.sqlite", "--enable-fault-injection",
        ]
        try await launchRegistry(binary: binary, arguments: registryArguments)
        registry = try RegistryAdmin(
            baseURL: "https://127.0.0.1:\(registryPort)",
            tls: .init(
                caBundlePath: pki.caBundle, clientCertificatePath: pki.operatorCertificate,
                clientKeyPath: pki.operatorKey))
        // Restarts after an outage reuse the port the agent was given.
        if let i = registryArguments.firstIndex(of: "--port") { registryArguments[i + 1] = String(registryPort) }
        registryBinary = binary
    }

    private func launchRegistry(binary: String, arguments: [String]) async throws(ScenarioError) {
        let logPath = "\(workDirectory)/logs/registry.log"
        let child = try ChildProcess.start(name: "registry", executable: binary, arguments: arguments, logPath: logPath)
        children["registry"] = child
        var port: Int?
        try await waitUntil("the registry to print its port", timeout: options.readinessTimeout) {
            port = FileSystem.read(logPath).flatMap { ReadinessLines.port(in: $0) }
            return port != nil || !child.isRunning
        }
        guard let port, child.isRunning else {
            throw ScenarioError(
                code: .setupFailed, subject: "registry",
                "exited before listening: \(child.exitDescription ?? "?")\n" + Self.tail(of: logPath, lines: 20))
        }
        registryPort = port
        registryStopped = false
        note("registry pid \(child.pid) on port \(port)")
    }

    /// Uplink outage by stopping the registry process (connections refused while it is down).
    func stopRegistry() {
        guard let child = children["registry"] else { return }
        registryStopped = true
        let how = child.terminate(grace: .seconds(10))
        note("t=\(Self.text(now))s registry stopped (pid \(child.pid), \(how))")
    }

    /// Changes the shelter's lifecycle at the registry; a drill-only change keeps the state last set (the
    /// registry's initial state is standby).
    func changeLifecycle(_ setting: LifecycleSetting) async throws(ScenarioError) {
        let state = setting.state ?? lifecycleState
        try await registryAdmin().setLifecycle(
            shelterID: try siteSummary().shelterID, state: state, isDrill: setting.isDrill)
        lifecycleState = state
    }

    /// Ends an outage: restarts the registry on the same port with the same database (after `stop`, and
    /// after `refuse` or `hang`, whose injected faults only a restart clears).
    func restoreUplink() async throws(ScenarioError) {
        if !registryStopped { stopRegistry() }
        if registryStopped {
            // Keep the earlier process's log beside the new one, whose port line must be read fresh.
            let log = "\(workDirectory)/logs/registry.log"
            restarts += 1
            rename(log, "\(workDirectory)/logs/registry-\(restarts).log")
            try await launchRegistry(binary: registryBinary, arguments: registryArguments)
            uplinkFaulted = false
        }
    }

    private func startSimulator(
        binary: String, siteText: String, patch: SitePatch
    ) async throws(ScenarioError)
        -> [String: BusEndpoint]
    {
        var simPatch = patch
        simPatch.removedBuses = Set(options.realBuses.keys)
        let sitePath = "\(workDirectory)/sites/simulator.toml"
        try FileSystem.write(try simPatch.apply(to: siteText, subject: scenario.sitePath), to: sitePath)
        let control = "\(workDirectory)/sim.sock"
        let logPath = "\(workDirectory)/logs/simulator.log"
        var arguments = ["serve", "--site", sitePath, "--profiles", "\(workDirectory)/profiles", "--control", control]
        if let values = scenario.valuesPath { arguments += ["--values", values] }
        let child = try ChildProcess.start(
            name: "simulator", executable: binary, arguments: arguments, logPath: logPath)
        children["simulator"] = child
        var announcement = ReadinessLines.SimulatorAnnouncement()
        try await waitUntil("the simulator to be ready", timeout: options.readinessTimeout) {
            announcement = ReadinessLines.simulator(in: FileSystem.read(logPath) ?? "")
            return announcement.isReady || !child.isRunning
        }
        guard announcement.isReady, child.isRunning else {
            throw ScenarioError(
                code: .setupFailed, subject: "simulator",
                "exited before ready: \(child.exitDescription ?? "?")\n" + Self.tail(of: logPath, lines: 20))
        }
        simulator = SimulatorControl(path: control)
        let buses = announcement.buses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        note("simulator pid \(child.pid): \(buses.joined(separator: ", "))")
        for (bus, device) in options.realBuses.sorted(by: { $0.key < $1.key }) {
            note("bus \(bus) is real hardware on \(device)")
        }
        return announcement.buses
    }

    private func startAgent(binary: String, siteText: String, patch: SitePatch) async throws(ScenarioError) {
        let sitePath = "\(workDirectory)/sites/agent.toml"
        agentSite = (siteText, patch)
        try writeAgentSite()
        let logPath = "\(workDirectory)/logs/agent.log"
        let child = try ChildProcess.start(
            name: "agent", executable: binary, arguments: ["run", "--config", sitePath], logPath: logPath)
        children["agent"] = child
        let registry = try registryAdmin()
        let gatewayID = try siteSummary().gatewayID
        try await waitUntil("the agent's first heartbeat at the registry", timeout: options.readinessTimeout) {
            guard child.isRunning else { return true }
            return (try? await registry.heartbeatCount(gatewayID: gatewayID)) ?? 0 > 0
        }
        guard child.isRunning else {
            throw ScenarioError(
                code: .setupFailed, subject: "agent",
                "exited before its first heartbeat: \(child.exitDescription ?? "?")\n"
                    + Self.tail(of: logPath, lines: 30))
        }
        note("agent pid \(child.pid) running, first heartbeat received")
    }

    /// Writes the agent's copy of the site file: its patch, with the serial paths of `bus_path` steps.
    private func writeAgentSite() throws(ScenarioError) {
        guard let (text, base) = agentSite else { return }
        var patch = base
        for (bus, path) in busPaths { patch.buses[bus] = .serial(device: path) }
        if let gateway = certificateGateway, let pki {
            (patch.clientCertificate, patch.clientKey) = pki.files(of: gateway)
        }
        try FileSystem.write(
            try patch.apply(to: text, subject: scenario.sitePath), to: "\(workDirectory)/sites/agent.toml")
    }

    /// A `bus_path`, `gateway_certificate` or `reload` step: before t = 0 the agent starts with it; afterwards its copy is
    /// rewritten and it gets SIGHUP (`shelter-agent run` reloads the site file, and with it the certificate).
    func reloadAgentSite() throws(ScenarioError) {
        try writeAgentSite()
        if let agent = children["agent"], agent.isRunning {
            agent.send(SIGHUP)
            note("t=\(Self.text(now))s agent \(agent.pid) sent SIGHUP to reload its site file")
        }
    }

    /// Polls `condition` every 100 ms until it holds.
    /// - Throws: `.setupFailed` after `timeout`, `.interrupted` on SIGINT/SIGTERM.
    func waitUntil(_ what: String, timeout: Duration, _ condition: () async -> Bool) async throws(ScenarioError) {
        let deadline = clock.now + timeout
        while !(await condition()) {
            if ScenarioInterrupt.isRequested {
                throw ScenarioError(code: .interrupted, subject: scenario.name, "interrupted while waiting for \(what)")
            }
            if clock.now >= deadline {
                throw ScenarioError(
                    code: .setupFailed, subject: scenario.name,
                    "timed out after \(timeout.secondsText) s waiting for \(what)")
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
