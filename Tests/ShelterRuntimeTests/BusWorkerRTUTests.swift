import DeviceSimulator
import Modbus
import ShelterCore
import ShelterRuntime
import Testing

@Suite("BusWorker over Modbus RTU (paced pty)", .serialized)
struct BusWorkerRTUTests {
    /// Runs a two-device RTU bus at `baud` 8E1 with `faults` on m1.
    func withBus(
        baud: Int = 38400, faults: FaultPlan = .init(),
        _ body: (CollectingSink, BusWorker, SimulatedBus) async throws -> Void
    ) async throws {
        let settings = SerialLineSettings(baud: baud, parity: .even)
        let devices = [
            try TestProfiles.meterDevice(name: "m1", unitID: 1, isTCP: false, faults: faults),
            try TestProfiles.meterDevice(name: "m2", unitID: 2, isTCP: false),
        ]
        let bus = try SimulatedBus(name: "rtu", rtu: settings, devices: devices)
        defer { bus.stop() }
        guard case .rtu(let path, _) = bus.endpoint else { return }
        let line = SerialLine(device: path, baudRate: baud, parity: .even)
        let sink = CollectingSink()
        let schedule = TestProfiles.schedule(
            bus: "rtu", transport: .serial(line), interFrameGap: line.t35, devices: [("m1", 1), ("m2", 2)])
        let worker = BusWorker(
            schedule: schedule, sink: sink, configuration: TestProfiles.fastRecovery, logger: TestProfiles.logger)
        worker.start()
        try await body(sink, worker, bus)
        await worker.stop()
    }

    @Test("a port another process holds is the bus's fault, named as such; the bus opens once it is released")
    func portHeldElsewhere() async throws {
        let settings = SerialLineSettings(baud: 38400, parity: .even)
        let bus = try SimulatedBus(
            name: "rtu", rtu: settings, devices: [try TestProfiles.meterDevice(name: "m1", unitID: 1, isTCP: false)])
        defer { bus.stop() }
        guard case .rtu(let path, _) = bus.endpoint else {
            Issue.record("not an RTU bus")
            return
        }
        // A `read --parity N` left running on the agent's port (new-user trial: it took the agent's bus down).
        let holder = try ModbusContext.rtu(device: path, baud: 9600, parity: .none)
        try holder.connect()
        let line = SerialLine(device: path, baudRate: 38400, parity: .even)
        let sink = CollectingSink()
        let worker = BusWorker(
            schedule: TestProfiles.schedule(
                bus: "rtu", transport: .serial(line), interFrameGap: line.t35, devices: [("m1", 1)]),
            sink: sink, configuration: TestProfiles.fastRecovery, logger: TestProfiles.logger)
        worker.start()
        let held = await sink.waitForResult(of: "m1") { $0.busFault != nil }
        #expect(held?.busFault?.error.contains("in use by another process") == true, "\(String(describing: held))")
        #expect(held?.hasMeterValues == false)
        holder.close()
        await sink.waitForResult(of: "m1", after: sink.mark) { $0.hasMeterValues && $0.busFault == nil }
        await worker.stop()
    }

    @Test("reads every point of two devices on one RTU line")
    func readsValues() async throws {
        try await withBus { sink, worker, _ in
            await sink.waitForResult(of: "m1") { $0.hasMeterValues }
            await sink.waitForResult(of: "m2") { $0.hasMeterValues }
            #expect(worker.counters().allSatisfy { $0.successes > 0 })
        }
    }

    @Test("no answer on RTU: timeout for m1; m2 keeps its values; m1 goes into back-off")
    func noAnswer() async throws {
        var faults = FaultPlan()
        faults.noAnswer = true
        try await withBus(faults: faults) { sink, _, _ in
            await sink.waitForResult(of: "m1") { $0.reason("voltage")?.kind == .timeout }
            await sink.waitForResult(of: "m1") { $0.linkState == .down }
            await sink.waitForResult(of: "m2", after: sink.mark) { $0.hasMeterValues }
        }
    }

    @Test("bad CRC (junk) on RTU: bad data for m1, then values again")
    func junk() async throws {
        var faults = FaultPlan()
        faults.junkBytes = true
        try await withBus(faults: faults) { sink, _, bus in
            let bad = await sink.waitForResult(of: "m1") { $0.reason("voltage") != nil }
            #expect([.badData, .timeout].contains(bad?.reason("voltage")?.kind))
            await sink.waitForResult(of: "m2", after: sink.mark) { $0.hasMeterValues }
            bus.device(named: "m1")?.updateFaults { $0.junkBytes = false }
            await sink.waitForResult(of: "m1", after: sink.mark) { $0.hasMeterValues }
        }
    }

    @Test("exception and busy on RTU carry their codes")
    func exceptionAndBusy() async throws {
        var faults = FaultPlan()
        faults.exceptions = [.init(function: .holdingRegister, addresses: 0...0, code: 4)]
        try await withBus(faults: faults) { sink, _, bus in
            let e = await sink.waitForResult(of: "m1") { $0.reason("voltage") != nil }
            #expect(e?.reason("voltage")?.exceptionCode == 4)
            bus.device(named: "m1")?.updateFaults {
                $0.exceptions = []
                $0.busy = true
            }
            let b = await sink.waitForResult(of: "m1", after: sink.mark) { $0.reason("voltage")?.kind == .busy }
            #expect(b?.reason("voltage")?.exceptionCode == 6)
            await sink.waitForResult(of: "m2", after: sink.mark) { $0.hasMeterValues }
        }
    }

    @Test("a late reply on RTU is flushed, never read as the next device's answer")
    func lateReply() async throws {
        try await withBus { sink, _, bus in
            await sink.waitForResult(of: "m1") { $0.hasMeterValues }
            bus.device(named: "m1")?.updateFaults { $0.lateReply = .milliseconds(220) }
            let mark = sink.mark
            await sink.waitForResult(of: "m1", after: mark) { $0.reason("voltage")?.kind == .timeout }
            await sink.waitForResult(of: "m2", after: sink.mark) { $0.hasMeterValues }
            bus.device(named: "m1")?.updateFaults { $0.lateReply = nil }
            await sink.waitForResult(of: "m1", after: sink.mark) { $0.hasMeterValues }
            for result in sink.all.dropFirst(mark) where result.samples.allSatisfy({ $0.reading.value != nil }) {
                #expect(result.hasMeterValues, "\(result.device) got shifted values")
            }
        }
    }
}
