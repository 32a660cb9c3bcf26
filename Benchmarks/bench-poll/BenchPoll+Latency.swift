import ArgumentParser
import DeviceSimulator
import FoundationEssentials
import Logging
import Platform
import ShelterCore
import ShelterRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

extension BenchPoll {
    /// `bench-poll latency`: what the agent adds to an alert above poll phase + wire + hold (issue 13 target
    /// ≤ 0.05 s). The real path in one process: a bus worker polls a simulated device over loopback TCP every
    /// second into the assessment service (real tick machine, state files in a temporary directory); the device
    /// stops answering at a random phase; C-22 (hold 0) raises an alert for it. The figure is the time from the
    /// end of the first poll that found the device silent (the result's `endedAt`) to the alert's hand-over to
    /// the outbox; then the device answers again and the next round starts.
    ///
    /// Runs twice in the same process: with the periodic tick alone (`evaluatesOnArrival` off, the behaviour
    /// before issue 13: the baseline), then with evaluation on arrival. Prints one JSON line each: mode
    /// (`tick-only` or `on-arrival`), rounds, median_ms, max_ms, min_ms.
    struct Latency: ParsableCommand {
        @Option(help: "Alerts measured per mode.") var rounds = 8

        func run() throws {
            for onArrival in [false, true] {
                let sorted = try measure(onArrival: onArrival).sorted()
                guard let fastest = sorted.first, let slowest = sorted.last else {
                    throw ValidationError("no alert was measured (\(onArrival ? "on-arrival" : "tick-only"))")
                }
                print(
                    "{\"mode\":\"latency\",\"assessment\":\"\(onArrival ? "on-arrival" : "tick-only")\","
                        + "\"rounds\":\(sorted.count),\"median_ms\":\(try median(sorted)),"
                        + "\"max_ms\":\(slowest),\"min_ms\":\(fastest)}")
            }
        }

        func measure(onArrival: Bool) throws -> [Double] {
            let configuration = try SiteConfiguration.pathBench(registers: [10], pollSeconds: 1)
            let simulator = try SiteSimulator(configuration: configuration)
            defer { simulator.stop() }
            guard let site = configuration.buses.first, let device = simulator.device(named: "d1") else { return [] }
            let directory = "/tmp/bench-poll-latency-\(getpid())"
            mkdir(directory, 0o700)
            defer { _ = try? FileManager.default.removeItem(atPath: directory) }
            var logger = Logger(label: "bench")
            logger.logLevel = .critical
            let outbox = TimingOutbox()
            let silent = FirstSilentPoll()
            let (results, streamSink) = SampleStreamSink.makeStream()
            let worker = BusWorker(
                bus: simulator.redirect(site), devices: configuration.devices, sink: FanOutSink([streamSink, silent]),
                logger: logger)
            var serviceConfiguration = AssessmentService.Configuration()
            serviceConfiguration.evaluatesOnArrival = onArrival
            let service = AssessmentService(
                site: configuration, outbox: outbox, stateDirectory: FileStateDirectory(path: directory),
                clock: SystemWallClock(), shared: AgentState(record: configuration.record, recordSource: "site-file"),
                results: results, counters: { [] }, configuration: serviceConfiguration, startedAt: Date(),
                logger: logger)
            let running = Task { try await service.run() }
            worker.start()
            var latencies: [Double] = []
            var random = SystemRandomNumberGenerator()
            for _ in 0..<rounds {
                // Answering and assessed as fresh: no C-22 alert open for d1.
                while outbox.isOpen("d1") { sleep(for: .milliseconds(10)) }
                sleep(for: .milliseconds(Int.random(in: 0..<1000, using: &random)))
                silent.arm()
                let alertsBefore = outbox.alertCount("d1")
                device.isDown = true
                while outbox.alertCount("d1") == alertsBefore { sleep(for: .milliseconds(5)) }
                if let polled = silent.endedAt(), let raised = outbox.lastAlertAt("d1") {
                    latencies.append(polled.duration(to: raised).milliseconds)
                }
                device.isDown = false
            }
            running.cancel()
            stopAndWait(worker)
            return latencies
        }
    }
}

/// Records when an alert or cancel for C-22 reaches the outbox, by subject.
final class TimingOutbox: OutboxWriter {
    private let state = Mutex<[String: (alerts: Int, isOpen: Bool, lastAlertAt: MonotonicInstant?)]>([:])

    func standingAlerts() async throws -> [AlertEvent] { [] }

    func enqueueAlert(_ event: AlertEvent) async throws {
        let now = MonotonicInstant.now
        guard event.parameters.checkId == .dataFreshness else { return }
        state.withLock { s in
            var entry = s[event.parameters.subject] ?? (0, false, nil)
            if event.msgType == .cancel {
                entry.isOpen = false
            } else if event.msgType == .alert {
                entry.alerts += 1
                entry.isOpen = true
                entry.lastAlertAt = now
            }
            s[event.parameters.subject] = entry
        }
    }

    func enqueueReport(_ report: StatusReport) -> Bool { true }
    func health(now: Date) async throws -> OutboxHealth { OutboxHealth(depth: 0, oldestAge: nil, deadLetters: 0) }
    func resumeSending() async {}

    func isOpen(_ subject: String) -> Bool { state.withLock { $0[subject]?.isOpen ?? false } }
    func alertCount(_ subject: String) -> Int { state.withLock { $0[subject]?.alerts ?? 0 } }
    func lastAlertAt(_ subject: String) -> MonotonicInstant? { state.withLock { $0[subject]?.lastAlertAt } }
}

/// The end of the first poll of d1 that found it silent after `arm()`.
final class FirstSilentPoll: SampleSink {
    private let state = Mutex<(armed: Bool, endedAt: MonotonicInstant?)>((false, nil))

    func arm() { state.withLock { $0 = (true, nil) } }
    func endedAt() -> MonotonicInstant? { state.withLock { $0.endedAt } }

    func deliver(_ result: DevicePollResult) {
        guard result.device == "d1", result.linkState != .up else { return }
        state.withLock { s in
            if s.armed, s.endedAt == nil { s.endedAt = result.endedAt }
        }
    }
}
