import ArgumentParser
import FoundationEssentials
import Logging
import ServiceLifecycle
import ShelterCore
import ShelterRuntime
import Synchronization
import UnixSignals

/// `shelter-agent run FILE` (or `--config FILE`, as the systemd unit passes it): the agent itself (DESIGN §1),
/// until SIGTERM or SIGINT.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the agent: poll the devices, assess the shelter, report to the registry.",
        discussion: """
            Refuses to start (exit 65) when the site file has problems, listing every one. SIGTERM or SIGINT: \
            finishes the batch in flight, closes the outbox cleanly and exits 0. SIGHUP: reloads the site file; \
            one with problems is refused and the running configuration stays. Logs go to stderr, one line \
            per event as key=value pairs. Under systemd (Type=notify) sends READY=1 and WATCHDOG=1.
            """)

    @Argument(help: "Site file (Firmware-Config/sites/<site>.toml), as the other commands take it.")
    var file: String?

    @Option(name: .customLong("config"), help: "Site file, given as an option (the systemd unit does).")
    var configOption: String?

    /// The site file, from the argument or `--config` (`validate()` makes sure there is exactly one).
    var configFile: String { file ?? configOption ?? "" }

    @Option(name: .customLong("profiles"), help: "Profile directory. Default: ../profiles next to the site file.")
    var profileDirectory: String?

    @Option(help: "Lowest log level written: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        switch (file, configOption) {
        case (nil, nil): throw ValidationError("give the site file: shelter-agent run FILE (or --config FILE)")
        case (let a?, let b?) where a != b: throw ValidationError("two site files given: '\(a)' and --config '\(b)'")
        default: break
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown log level '\(logLevel)'") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { LogfmtLogHandler(label: $0, level: level) }
        let logger = Logger(label: "shelter-agent")
        let environment = ProcessInfo.processInfo.environment
        let notifier = SystemdNotifier(environment: environment)
        // systemd's RuntimeDirectory= (the packaged unit: /run/shelter-agent); a list when several are set.
        let runtimeDirectory = environment["RUNTIME_DIRECTORY"]?.split(separator: ":").first.map(String.init)
        let loader = SiteConfigurationLoader(profileDirectory: profileDirectory)

        var site: SiteConfiguration
        switch loader.load(siteFile: configFile) {
        case .success(let loaded): site = loaded
        case .failure(let error):
            for issue in error.issues { logger.error("configuration", metadata: ["issue": "\(issue)"]) }
            throw ExitCode(ExitStatus.dataError.rawValue)
        }

        let lock: StateDirectoryLock
        do {
            lock = try StateDirectoryLock(stateDirectory: site.gateway.stateDirectory)
        } catch {
            logger.error("not started", metadata: ["error": "\(error)"])
            throw ExitCode(ExitStatus.temporaryFailure.rawValue)  // try again once the other agent has stopped
        }
        defer { withExtendedLifetime(lock) {} }

        // One SIGHUP watcher for the whole process: a watcher per service group would, on each reload, tear the
        // handler down and set it up again, and a SIGHUP arriving in between would be lost or kill the agent.
        let reload = ReloadController(loader: loader, file: configFile, logger: logger)
        let hangups = Task {
            for await _ in await UnixSignalsSequence(trapping: .sighup) { await reload.hangUp() }
        }
        defer { hangups.cancel() }

        // Carried over a reload: a device's counts and last answer, and the hold time of pending conditions.
        var carried = ShelterAgent.Carryover()
        var isFirstStart = true
        while true {
            let agent = try await ShelterAgent.make(
                configuration: site, agentVersion: ShelterVersion.current, notifier: notifier,
                runtimeDirectory: runtimeDirectory, carrying: carried, logger: logger)
            let group = ServiceGroup(
                configuration: .init(
                    services: agent.services.map { .init(service: $0) },
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            reload.attach(group, agent: agent)
            logger.info(
                isFirstStart ? "agent started" : "agent restarted its services with the reloaded configuration",
                metadata: [
                    "gateway.id": "\(site.gateway.id)", "shelter.id": "\(site.record.id)",
                    "site.devices": "\(site.devices.count)", "site.buses": "\(site.buses.count)",
                    "agent.version": "\(ShelterVersion.current)",
                ])
            notifier.notify("READY=1\nSTATUS=polling \(site.devices.count) devices on \(site.buses.count) buses")
            try await group.run()
            carried = agent.carryover()
            isFirstStart = false
            await agent.close()
            guard let next = reload.takeAccepted() else { break }
            notifier.notify("RELOADING=1")
            logger.info("configuration reloaded", metadata: ["config.file": "\(configFile)"])
            site = next
        }
        notifier.notify("STOPPING=1")
        logger.info("agent stopped")
    }
}

/// Handles SIGHUP: loads and validates the site file again; a valid one replaces the running configuration
/// (the running service group is shut down gracefully and rebuilt), one with problems is logged and refused.
final class ReloadController: Sendable {
    private let loader: SiteConfigurationLoader
    private let file: String
    private let logger: Logger
    private let state = Mutex<(group: ServiceGroup?, agent: ShelterAgent?, accepted: SiteConfiguration?)>(
        (nil, nil, nil))

    init(loader: SiteConfigurationLoader, file: String, logger: Logger) {
        self.loader = loader
        self.file = file
        self.logger = logger
    }

    /// The service group a valid reload shuts down, and the running agent, whose status file shows a refused
    /// reload.
    func attach(_ group: ServiceGroup, agent: ShelterAgent) {
        state.withLock {
            $0.group = group
            $0.agent = agent
        }
    }

    /// The configuration a reload accepted since the last call, if any.
    func takeAccepted() -> SiteConfiguration? {
        state.withLock { s in
            defer { s.accepted = nil }
            return s.accepted
        }
    }

    func hangUp() async {
        switch loader.load(siteFile: file) {
        case .failure(let error):
            logger.error(
                "reload refused; the running configuration stays",
                metadata: ["config.file": "\(file)", "config.problems": "\(error.issues.count)"])
            for issue in error.issues { logger.error("configuration", metadata: ["issue": "\(issue)"]) }
            let refusal = AgentStatus.ReloadRefusal(at: Date(), file: file, problems: error.issues.map { "\($0)" })
            if let agent = state.withLock({ $0.agent }) {
                agent.shared.withLock { $0.reloadRefusal = refusal }
                agent.writeStatusNow()  // `systemctl reload` says nothing: `status` shows it at once
            }
        case .success(let next):
            let group = state.withLock { s in
                s.accepted = next
                defer {
                    s.group = nil
                    s.agent = nil
                }
                return s.group
            }
            await group?.triggerGracefulShutdown()
        }
    }
}
