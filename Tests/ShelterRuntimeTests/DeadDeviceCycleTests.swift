import DeviceSimulator
import ShelterCore
import ShelterRuntime
import Testing

@Suite("A dead device on a shared bus", .serialized)
struct DeadDeviceCycleTests {
    /// Mean time between the starts of consecutive polls of `device` among `results`.
    func meanCycle(_ results: [DevicePollResult], device: String) -> Duration? {
        let starts = results.filter { $0.device == device }.map(\.startedAt)
        guard starts.count >= 3, let first = starts.first, let last = starts.last else { return nil }
        return first.duration(to: last) / (starts.count - 1)
    }

    @Test("five healthy devices' cycle grows by at most one response timeout per back-off period")
    func cycleTimeWithDeadDevice() async throws {
        let timeout = Duration.milliseconds(100)
        let backoff = Duration.seconds(1)
        let names = (1...6).map { ("d\($0)", UInt8($0)) }
        let devices = try names.map { try TestProfiles.meterDevice(name: $0.0, unitID: $0.1, isTCP: true) }
        let bus = try SimulatedBus(name: "tcp", devices: devices)
        defer { bus.stop() }
        guard case .tcp(let host, let port) = bus.endpoint else { return }
        // Poll interval 20 ms: the bus runs back to back, so the cycle is the time the six devices take.
        let schedule = TestProfiles.schedule(
            bus: "tcp", transport: .tcp(host: host, port: port), devices: names, pollInterval: .milliseconds(20),
            responseTimeout: timeout)
        var configuration = BusWorker.Configuration()
        configuration.deviceBackoff = BackoffPolicy(initialDelay: backoff, maximumDelay: backoff, jitter: 0)
        configuration.failuresBeforeBackoff = 2
        let sink = CollectingSink()
        let worker = BusWorker(schedule: schedule, sink: sink, configuration: configuration, logger: TestProfiles.logger)
        worker.start()
        let clock = ContinuousClock()

        // Baseline: all six healthy for 2 s.
        await sink.waitForResult(of: "d1") { $0.hasMeterValues }
        let baselineMark = sink.mark
        try await clock.sleep(for: .seconds(2))  // a measurement window, not synchronisation
        let baseline = try #require(meanCycle(Array(sink.all.dropFirst(baselineMark)), device: "d1"))

        // d6 dies; once it is in back-off, measure for 4 back-off periods.
        bus.device(named: "d6")?.updateFaults { $0.noAnswer = true }
        await sink.waitForResult(of: "d6", after: sink.mark) { $0.linkState == .down }
        let mark = sink.mark
        let windowStart = clock.now
        try await clock.sleep(for: backoff * 4)  // a measurement window
        let window = sink.all.dropFirst(mark)
        let withDead = try #require(meanCycle(Array(window), device: "d1"))
        let probes = window.filter { $0.device == "d6" && $0.reason("voltage")?.kind == .timeout }.count
        let periods = windowStart.duration(to: clock.now) / backoff
        let cyclesPerPeriod = backoff / withDead
        let extraPerPeriod = (withDead - baseline) * cyclesPerPeriod
        print(
            """
            dead-device cycle: baseline \(baseline) per cycle of 6 healthy; with d6 dead \(withDead); \
            \(probes) probes in \(periods) back-off periods of \(backoff); extra per back-off period \
            \(extraPerPeriod) (response timeout \(timeout))
            """)
        await worker.stop()
        // Loose: at most one response timeout (plus half for reconnect and scheduling on a loaded machine).
        #expect(extraPerPeriod <= timeout * 1.5)
        #expect(probes >= 2 && probes <= 5)
        // The healthy devices were read throughout.
        #expect(window.filter { $0.device == "d1" }.allSatisfy { $0.hasMeterValues })
    }
}
