import DeviceSimulator
import ShelterCore
import ShelterRuntime
import Testing

/// Issue 13: a repaired device is read again within one poll interval of its return, by an opportunistic probe
/// when the bus has slack, not at its next back-off slot. The back-off here is a minute, so a read within
/// seconds can only come from such a probe; and on a bus without slack the device is still skipped between
/// probes (`DeadDeviceCycleTests`).
@Suite("A repaired device", .serialized)
struct RepairedDeviceTests {
    @Test("is read again long before its back-off slot when the bus has slack", arguments: [true, false])
    func readAgainOnReturn(overTCP: Bool) async throws {
        let device = try TestProfiles.meterDevice(name: "m1", unitID: 1, isTCP: overTCP)
        let bus =
            overTCP
            ? try SimulatedBus(name: "bus", devices: [device])
            : try SimulatedBus(name: "bus", rtu: SerialLineSettings(baud: 115_200), devices: [device])
        defer { bus.stop() }
        let (transport, gap) = bus.transportAt115200
        let schedule = TestProfiles.schedule(
            bus: "bus", transport: transport, interFrameGap: gap, devices: [("m1", 1)],
            pollInterval: .milliseconds(200), responseTimeout: .milliseconds(100))
        var configuration = BusWorker.Configuration()
        configuration.poller.deviceBackoff = BackoffPolicy(
            initialDelay: .seconds(60), maximumDelay: .seconds(60), jitter: 0)
        configuration.poller.failuresBeforeBackoff = 2
        let sink = CollectingSink()
        let worker = BusWorker(
            schedule: schedule, sink: sink, configuration: configuration, logger: TestProfiles.logger)
        worker.start()
        await sink.waitForResult(of: "m1") { $0.hasMeterValues }

        device.isDown = true
        await sink.waitForResult(of: "m1", after: sink.mark) { $0.linkState == .down }
        // In back-off, with slack on the bus: probed every poll interval (one request each), never skipped.
        let mark = sink.mark
        await sink.wait("two probes of m1 in back-off") { results in
            results.dropFirst(mark).filter { $0.device == "m1" && $0.reason("voltage")?.kind == .timeout }.count >= 2
        }
        #expect(sink.all.dropFirst(mark).allSatisfy { $0.reason("voltage")?.kind != .deviceSkipped })

        device.isDown = false
        let back = await sink.waitForResult(of: "m1", after: sink.mark, upTo: .seconds(10)) { $0.hasMeterValues }
        #expect(back?.linkState == .up)
        await worker.stop()
    }
}
