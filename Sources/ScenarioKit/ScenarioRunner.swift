import FoundationEssentials
import HTTPClient
import Platform
import ShelterCore

/// How a scenario run is set up.
public struct ScenarioRunOptions: Sendable {
    /// Directory holding `shelter-registry`, `shelter-agent` and `shelter-sim` (the running `shelter-sim`'s own
    /// build directory by default).
    public var binaryDirectory: String
    /// The script that makes a development PKI (`Scripts/pki`); a path that is not executable fails the run's
    /// setup with a message saying so.
    public var pkiScript: String
    /// Buses that are real hardware: bus name → serial device (e.g. `rs485-1` → `/dev/ttyUSB0`). The simulator
    /// serves only the other buses.
    public var realBuses: [String: String]
    /// How often the registry's admin lists are polled. The default is 1 second.
    public var pollInterval: Duration
    /// How long each child may take to become ready. The default is 90 seconds (a loaded 2-core CI box).
    public var readinessTimeout: Duration
    /// Keep the run's temp directory (logs, patched site file, state) instead of removing it.
    public var keepsWorkDirectory: Bool
    /// Progress lines as the run goes (setup, steps, verdicts).
    public var progress: @Sendable (String) -> Void

    public init(
        binaryDirectory: String, pkiScript: String, realBuses: [String: String] = [:],
        pollInterval: Duration = .seconds(1), readinessTimeout: Duration = .seconds(90),
        keepsWorkDirectory: Bool = false, progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.binaryDirectory = binaryDirectory
        self.pkiScript = pkiScript
        self.realBuses = realBuses
        self.pollInterval = pollInterval
        self.readinessTimeout = readinessTimeout
        self.keepsWorkDirectory = keepsWorkDirectory
        self.progress = progress
    }
}

/// Runs one scenario end to end on real processes: makes a development PKI, starts the reference registry,
/// the simulator and the agent as children, plays the timeline, judges the expectations by polling the
/// registry's admin endpoints, and stops every child it started (by PID), also on failure or interrupt.
public enum ScenarioRunner {
    /// Runs `scenario`.
    /// - Returns: the result; never throws: a setup failure is the result's `setupError` (and every
    ///   expectation not yet decided is reported as not decided).
    public static func run(_ scenario: Scenario, options: ScenarioRunOptions) async -> ScenarioRunResult {
        let session = ScenarioSession(scenario: scenario, options: options)
        return await session.run()
    }
}

/// One run's state: its children, temp directory, clients and the log. Not thread-safe; used by one task.
final class ScenarioSession {
    let scenario: Scenario
    let options: ScenarioRunOptions
    let clock = ContinuousClock()
    let startedAt = Date.now
    let runStart: ContinuousClock.Instant
    var log: [String] = []
    var workDirectory = ""
    var children: [String: ChildProcess] = [:]
    var registryArguments: [String] = []
    var registryBinary = ""
    var restarts = 0
    var uplinkFaulted = false
    var lifecycleState = LifecycleState.standby
    var registryPort = 0
    var registryStopped = false
    var registry: RegistryAdmin?
    var simulator: SimulatorControl?
    var site: SiteSummary?
    var timelineStart: ContinuousClock.Instant
    var timelineStartWall = Date.now
    var observations = RegistryObservations()
    var verdicts: [ScenarioRunResult.Verdict]
    var ramps: [Ramp] = []
    var capPassed = true
    /// Serial paths given by `bus_path` steps, by bus name; they override where the simulator serves the bus.
    var busPaths: [String: String] = [:]
    /// The gateway whose certificate a `gateway_certificate` step gave the agent; `nil`: its own.
    var certificateGateway: String?
    /// The agent's site text and patch, to write its copy again for a `bus_path` step.
    var agentSite: (text: String, patch: SitePatch)?
    /// The run's development PKI, once made.
    var pki: DevelopmentPKI?

    struct Ramp {
        var device: String
        var point: String
        var from: Double
        var to: Double
        var start: Duration
        var over: Duration
        var lastSent: Duration
    }

    init(scenario: Scenario, options: ScenarioRunOptions) {
        self.scenario = scenario
        self.options = options
        runStart = clock.now
        timelineStart = runStart
        verdicts = scenario.expectations.map {
            .init(expectation: $0, outcome: .pending("not started"), decidedAt: .zero)
        }
    }

    func note(_ line: String) {
        log.append(line)
        options.progress(line)
    }

    /// Time since t = 0.
    var now: Duration { clock.now - timelineStart }

    func run() async -> ScenarioRunResult {
        ScenarioInterrupt.install()
        note("scenario \(scenario.name): \(scenario.description)")
        var setupError: ScenarioError?
        do {
            try await setUp()
            try await playTimeline()
        } catch {
            setupError = error
            note("error: \(error)")
        }
        // A broken run judges nothing more: what was not decided is reported as not decided.
        var capValidation: ExpectationOutcome?
        if setupError == nil {
            await finalPoll()
            capValidation = await validateCAP()
        }
        let tails = tearDown()
        return ScenarioRunResult(
            scenario: scenario, startedAt: startedAt, elapsed: clock.now - runStart, verdicts: verdicts,
            setupError: setupError, log: log, childLogTails: tails, capValidation: capValidation)
    }

    // MARK: Timeline

    private func playTimeline() async throws(ScenarioError) {
        var pending = scenario.steps.filter { $0.at > .zero }[...]
        var nextPoll = Duration.zero
        note(
            "t=0s timeline starts (\(scenario.duration.secondsText) s, \(scenario.steps.count) steps, "
                + "\(scenario.expectations.count) expectations)")
        while true {
            try checkInterrupt()
            let t = now
            while let step = pending.first, step.at <= t {
                pending = pending.dropFirst()
                try await perform(step)
            }
            try advanceRamps(at: t)
            if t >= nextPoll {
                await poll(isFinal: false)
                nextPoll = t + options.pollInterval
            }
            try checkChildren()
            if t >= scenario.duration { break }
            if verdicts.allSatisfy(\.outcome.isDecided) && pending.isEmpty {
                note("t=\(Self.text(t))s every expectation decided")
                break
            }
            var wake = min(nextPoll, scenario.duration)
            if let step = pending.first { wake = min(wake, step.at) }
            if !ramps.isEmpty { wake = min(wake, t + .milliseconds(500)) }
            let nap = max(.milliseconds(20), min(wake - now, .milliseconds(250)))
            try? await Task.sleep(for: nap)
        }
    }

    func perform(_ step: Step) async throws(ScenarioError) {
        note("t=\(Self.text(now))s step \(step.index): \(step.action)")
        switch step.action {
        case .setLifecycle(let setting):
            try await changeLifecycle(setting)
        case .uplinkDown(let mode):
            if mode == .stop {
                stopRegistry()
            } else {
                try await registryAdmin().startOutage(mode)
                uplinkFaulted = true
            }
        case .uplinkUp:
            try await restoreUplink()
        case .busPath(let bus, let path):
            busPaths[bus] = path
            try reloadAgentSite()
        case .gatewayCertificate(let gateway):
            certificateGateway = gateway
            try reloadAgentSite()
        case .reload:
            try reloadAgentSite()
        case .rampPoint(let device, let point, let from, let to, let over):
            try simulatorControl().send("set \(device) \(point) \(Self.rampValue(from, from: from, to: to))")
            ramps.removeAll { $0.device == device && $0.point == point }
            ramps.append(Ramp(device: device, point: point, from: from, to: to, start: now, over: over, lastSent: now))
        case .setPoint, .startFault, .clearFault, .stopDevice, .startDevice:
            if case .setPoint(let device, let point, _) = step.action {
                ramps.removeAll { $0.device == device && $0.point == point }  // a set ends a ramp on the point
            }
            for line in SimulatorControl.lines(for: step.action) { try simulatorControl().send(line) }
        }
    }

    private func advanceRamps(at t: Duration) throws(ScenarioError) {
        var kept: [Ramp] = []
        for var ramp in ramps {
            let progress = min(1, (t - ramp.start).seconds / max(ramp.over.seconds, 0.001))
            if progress >= 1 || t - ramp.lastSent >= .milliseconds(500) {
                let value = ramp.from + (ramp.to - ramp.from) * progress
                try simulatorControl().send(
                    "set \(ramp.device) \(ramp.point) \(Self.rampValue(value, from: ramp.from, to: ramp.to))")
                ramp.lastSent = t
            }
            if progress < 1 { kept.append(ramp) }
        }
        ramps = kept
    }

    /// A ramp between whole numbers moves in whole numbers (counters); otherwise in thousandths.
    static func rampValue(_ value: Double, from: Double, to: Double) -> String {
        if from == from.rounded() && to == to.rounded() { return JSONValue.format(value.rounded()) }
        return JSONValue.format((value * 1000).rounded() / 1000)
    }

    // MARK: Polling and verdicts

    func poll(isFinal: Bool) async {
        guard let registry, let site, !registryStopped else {
            if isFinal { decide(isFinal: true) }
            return
        }
        let t = now
        do {
            let alerts = try await registry.alerts(shelterID: site.shelterID)
            let reports = try await registry.reports(shelterID: site.shelterID)
            observations.update(alertListing: alerts, reportListing: reports, now: t, timelineStart: timelineStartWall)
        } catch {
            if isFinal { note("t=\(Self.text(t))s registry listing failed: \(error)") }
        }
        decide(isFinal: isFinal)
    }

    private func decide(isFinal: Bool) {
        let t = now
        for i in verdicts.indices {
            guard !verdicts[i].outcome.isDecided else { continue }
            let outcome = ExpectationEvaluator.evaluate(
                verdicts[i].expectation, observations: observations, now: t, isFinal: isFinal)
            verdicts[i].outcome = outcome
            if outcome.isDecided {
                verdicts[i].decidedAt = t
                note(
                    "t=\(Self.text(t))s \(outcome.isPassed ? "PASS" : "FAIL") \(verdicts[i].expectation): "
                        + outcome.detail)
            }
        }
    }

    private func finalPoll() async {
        if registryStopped || uplinkFaulted, registry != nil {
            do {
                try await restoreUplink()
            } catch {
                note("cannot restart the registry for the final check: \(error)")
            }
        }
        await poll(isFinal: true)
    }

    // MARK: Children

    private func checkChildren() throws(ScenarioError) {
        for (name, child) in children.sorted(by: { $0.key < $1.key }) {
            if name == "registry" && registryStopped { continue }
            if let exit = child.exitDescription {
                throw ScenarioError(
                    code: .setupFailed, subject: name,
                    "\(name) (pid \(child.pid)) ended unexpectedly: \(exit); log \(child.logPath)")
            }
        }
    }

    private func checkInterrupt() throws(ScenarioError) {
        if ScenarioInterrupt.isRequested {
            throw ScenarioError(code: .interrupted, subject: scenario.name, "interrupted by a signal")
        }
    }

    /// Stops the agent first (it finishes its batch in flight), then the simulator, then the registry.
    private func tearDown() -> [String: String] {
        var tails: [String: String] = [:]
        for name in ["agent", "simulator", "registry"] {
            guard let child = children[name] else { continue }
            let how = child.terminate(grace: .seconds(15))
            note("stopped \(name) (pid \(child.pid)): \(how)")
            tails[name] = Self.tail(of: child.logPath, lines: 40)
        }
        children = [:]
        if options.keepsWorkDirectory || !verdictsPassed {
            if !workDirectory.isEmpty { note("work directory kept: \(workDirectory)") }
        } else if !workDirectory.isEmpty {
            FileSystem.removeTree(workDirectory)
        }
        return tails
    }

    private var verdictsPassed: Bool { verdicts.allSatisfy(\.outcome.isPassed) && capPassed }

    static func tail(of path: String, lines: Int) -> String {
        guard let text = FileSystem.read(path) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    static func text(_ d: Duration) -> String { JSONValue.format((d.seconds * 10).rounded() / 10) }

    func registryAdmin() throws(ScenarioError) -> RegistryAdmin {
        guard let registry else { throw ScenarioError(code: .setupFailed, subject: "registry", "not started") }
        return registry
    }

    func simulatorControl() throws(ScenarioError) -> SimulatorControl {
        guard let simulator else { throw ScenarioError(code: .setupFailed, subject: "simulator", "not started") }
        return simulator
    }

    func siteSummary() throws(ScenarioError) -> SiteSummary {
        guard let site else { throw ScenarioError(code: .setupFailed, subject: "site", "not read") }
        return site
    }
}

extension ScenarioRunOptions {
    /// The directory of the running executable, where `swift build` put its sibling binaries; `nil` if unknown.
    public static var executableDirectory: String? { FileSystem.executableDirectory() }

    /// Finds `Scripts/pki` in `directory` or one of its parents (the build directory sits inside the
    /// repository), then in the current directory; `nil` if none.
    public static func locatePKIScript(near directory: String) -> String? {
        var candidate = FileSystem.absolute(directory)
        while !candidate.isEmpty && candidate != "/" {
            if FileSystem.isExecutable("\(candidate)/Scripts/pki") { return "\(candidate)/Scripts/pki" }
            candidate = FileSystem.directory(of: candidate)
        }
        return FileSystem.isExecutable("Scripts/pki") ? FileSystem.absolute("Scripts/pki") : nil
    }
}

extension JUnitReport {
    /// Writes `xml()` to `path`.
    /// - Throws: `ScenarioError` `.setupFailed` naming the path.
    public func write(to path: String) throws(ScenarioError) {
        try FileSystem.write(xml(), to: path)
    }
}
