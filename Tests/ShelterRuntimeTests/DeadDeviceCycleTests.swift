import DeviceSimulator
import ShelterCore
import ShelterRuntime
import Testing

/// DESIGN §7: a dead device costs only that device. Asserted with counters, not time windows: each probe of the
/// dead device is one request (one response timeout), the healthy devices are read in every result, and the
/// dead one is skipped between probes. The time a probe costs is a benchmark figure (`Scripts/bench-poll`).
@Suite("A dead device on a shared bus", .serialized)
struct DeadDeviceCycleTests {
    @Test(
        "one request per probe of the dead device; the five healthy devices read throughout", arguments: [true, false])
    func deadDeviceCostsOneRequestPerProbe(overTCP: Bool) async throws {
        // Long enough that a healthy device's reply is never late on a loaded CI machine (the simulator shares
        // this process with the parallel test run: at 100 ms a healthy reply was late under load); the
        // test counts requests, so the timeout's length only sets how long it runs.
        let timeout = Duration.seconds(1)
        let names = (1...6).map { ("d\($0)", UInt8($0)) }
        let devices = try names.map { try TestProfiles.meterDevice(name: $0.0, unitID: $0.1, isTCP: overTCP) }
        let bus =
            overTCP
            ? try SimulatedBus(name: "bus", devices: devices)
            : try SimulatedBus(name: "bus", rtu: SerialLineSettings(baud: 115_200), devices: devices)
        defer { bus.stop() }
        let (transport, gap) = bus.transportAt115200
        let schedule = TestProfiles.schedule(
            bus: "bus", transport: transport, interFrameGap: gap, devices: names, pollInterval: .milliseconds(20),
            responseTimeout: timeout)
        var configuration = BusWorker.Configuration()
        configuration.poller.deviceBackoff = BackoffPolicy(
            initialDelay: .milliseconds(300), maximumDelay: .milliseconds(300), jitter: 0)
        configuration.poller.failuresBeforeBackoff = 2
        let sink = CollectingSink()
        let worker = BusWorker(
            schedule: schedule, sink: sink, configuration: configuration, logger: TestProfiles.logger)
        worker.start()
        await sink.waitForResult(of: "d1") { $0.hasMeterValues }

        // d6 dies; once it is in back-off, count three probes.
        bus.device(named: "d6")?.updateFaults { $0.noAnswer = true }
        await sink.waitForResult(of: "d6", after: sink.mark) { $0.linkState == .down }
        let requestsBefore = worker.counters()[5].requests
        let mark = sink.mark
        await sink.wait("three probes of d6") { results in
            results.dropFirst(mark).filter { $0.device == "d6" && $0.reason("voltage")?.kind == .timeout }.count >= 3
        }
        await worker.stop()
        let window = Array(sink.all.dropFirst(mark))
        let d6 = window.filter { $0.device == "d6" }
        let probes = d6.filter { $0.reason("voltage")?.kind == .timeout }.count
        // Each probe is exactly one request: no retry, no second request of the plan.
        #expect(worker.counters()[5].requests - requestsBefore == probes)
        #expect(d6.filter { $0.reason("voltage")?.kind == .deviceSkipped }.count >= probes - 1)
        #expect(d6.allSatisfy { $0.linkState == .down })
        // The healthy devices were read in every result, and each several times per probe.
        for name in ["d1", "d2", "d3", "d4", "d5"] {
            let results = window.filter { $0.device == name }
            #expect(results.allSatisfy { $0.hasMeterValues }, "\(name)")
            #expect(results.count > probes, "\(name)")
        }
    }
}
