import DeviceSimulator
import ModbusTestSupport
import ShelterCore
import ShelterRuntime
import Testing

@Suite("BusWorker over Modbus TCP", .serialized)
struct BusWorkerTCPTests {
    @Test("reads and decodes every point of two devices behind one TCP endpoint, one request each")
    func readsValues() async throws {
        let devices = [
            try TestProfiles.meterDevice(name: "m1", unitID: 1, isTCP: true),
            try TestProfiles.meterDevice(name: "m2", unitID: 2, isTCP: true),
        ]
        let bus = try SimulatedBus(name: "tcp", devices: devices)
        defer { bus.stop() }
        guard case .tcp(let host, let port) = bus.endpoint else { return }
        let sink = CollectingSink()
        let schedule = TestProfiles.schedule(
            bus: "tcp", transport: .tcp(host: host, port: port), devices: [("m1", 1), ("m2", 2)])
        #expect(RequestPlanner.requests(for: schedule.devices[0]).count == 1)
        let worker = BusWorker(schedule: schedule, sink: sink, logger: TestProfiles.logger)
        worker.start()
        let m1 = await sink.waitForResult(of: "m1") { $0.hasMeterValues }
        let m2 = await sink.waitForResult(of: "m2") { $0.hasMeterValues }
        await worker.stop()
        #expect(m1?.linkState == .up)
        #expect(m2 != nil)
        let counters = worker.counters()
        #expect(counters.allSatisfy { $0.requests > 0 && $0.successes == $0.requests && $0.lastSuccessAt != nil })
        #expect(counters.allSatisfy { $0.meanRoundTrip != nil })
    }

    /// Runs the two-device TCP bus with `faults` on m1 and returns the sink, the worker and the bus.
    func withBus(
        faults: FaultPlan = .init(), configuration: BusWorker.Configuration = TestProfiles.fastRecovery,
        _ body: (CollectingSink, BusWorker, SimulatedBus) async throws -> Void
    ) async throws {
        let devices = [
            try TestProfiles.meterDevice(name: "m1", unitID: 1, isTCP: true, faults: faults),
            try TestProfiles.meterDevice(name: "m2", unitID: 2, isTCP: true),
        ]
        let bus = try SimulatedBus(name: "tcp", devices: devices)
        defer { bus.stop() }
        guard case .tcp(let host, let port) = bus.endpoint else { return }
        let sink = CollectingSink()
        let schedule = TestProfiles.schedule(
            bus: "tcp", transport: .tcp(host: host, port: port), devices: [("m1", 1), ("m2", 2)])
        let worker = BusWorker(
            schedule: schedule, sink: sink, configuration: configuration, logger: TestProfiles.logger)
        worker.start()
        try await body(sink, worker, bus)
        await worker.stop()
    }

    @Test("no answer: m1's points have no sample (timeout), m2 keeps its values")
    func noAnswer() async throws {
        var faults = FaultPlan()
        faults.noAnswer = true
        try await withBus(faults: faults) { sink, worker, _ in
            let m1 = await sink.waitForResult(of: "m1") { $0.reason("voltage")?.kind == .timeout }
            #expect(m1?.samples.allSatisfy { $0.reading.reason?.kind == .timeout } == true)
            await sink.waitForResult(of: "m2", after: sink.mark) { $0.hasMeterValues }
            // Repeated silence puts m1 in back-off: skipped, link down; m2 still read.
            let skipped = await sink.waitForResult(of: "m1") { $0.linkState == .down }
            #expect(skipped != nil)
            await sink.waitForResult(of: "m1") { $0.reason("voltage")?.kind == .deviceSkipped }
            await sink.waitForResult(of: "m2", after: sink.mark) { $0.hasMeterValues && $0.linkState == .up }
            let c = worker.counters()[0]
            #expect(c.failures[.timeout, default: 0] >= 2)
            #expect(c.linkState == .down)
        }
    }

    @Test("exception 4 on the address of one point: the request's points name it; m2 is untouched")
    func exceptionOnRange() async throws {
        var faults = FaultPlan()
        faults.exceptions = [.init(function: .holdingRegister, addresses: 7...7, code: 4)]
        try await withBus(faults: faults) { sink, _, _ in
            let m1 = await sink.waitForResult(of: "m1") { $0.reason("level") != nil }
            #expect(m1?.reason("level")?.kind == .exception)
            #expect(m1?.reason("level")?.exceptionCode == 4)
            #expect(m1?.reason("level")?.detail.contains("exception 4") == true)
            await sink.waitForResult(of: "m2", after: sink.mark) { $0.hasMeterValues }
        }
    }

    @Test(
        "illegal address on one point of a coalesced request: split in the same poll, the point a hole, the rest read")
    func illegalAddressBecomesHole() async throws {
        var faults = FaultPlan()
        faults.exceptions = [.init(function: .holdingRegister, addresses: 6...6, code: 2)]
        try await withBus(faults: faults) { sink, worker, _ in
            // The very first result of m1 already has every other point: the split parts were read in that poll.
            let isolated = await sink.waitForResult(of: "m1") { _ in true }
            #expect(isolated?.reason("status")?.kind == .hole)
            #expect(isolated?.value("level") == .uint(420))
            #expect(isolated?.value("energy") == .uint(70_000))
            #expect(isolated?.value("counter") == .uint(99))
            #expect(isolated?.samples.filter { $0.reading.value == nil }.map(\.point) == ["status"])
            #expect(worker.counters()[0].holes == ["status"])
        }
    }

    @Test("busy for two replies: retried, then read; busy for ever: no sample, reason busy")
    func busy() async throws {
        var faults = FaultPlan()
        faults.busyReplies = 2
        try await withBus(faults: faults) { sink, worker, bus in
            let m1 = await sink.waitForResult(of: "m1") { _ in true }
            #expect(m1?.hasMeterValues == true)
            #expect(worker.counters()[0].failures[.busy] == 2)
            bus.device(named: "m1")?.updateFaults { $0.busy = true }
            let busy = await sink.waitForResult(of: "m1", after: sink.mark) { $0.reason("voltage") != nil }
            #expect(busy?.reason("voltage")?.kind == .busy)
            #expect(busy?.reason("voltage")?.exceptionCode == 6)
            #expect(busy?.linkState == .up)  // a busy device answered
        }
    }

    @Test("late replies (beyond the timeout) never shift values into the wrong points")
    func lateReplyDoesNotShift() async throws {
        try await withBus { sink, worker, bus in
            await sink.waitForResult(of: "m1") { $0.hasMeterValues }
            // m1 answers 200 ms late (timeout 150 ms); m2's requests follow on the same connection.
            bus.device(named: "m1")?.updateFaults { $0.lateReply = .milliseconds(200) }
            let mark = sink.mark
            await sink.waitForResult(of: "m1", after: mark) { $0.reason("voltage")?.kind == .timeout }
            await sink.waitForResult(of: "m2", after: sink.mark) { _ in true }
            bus.device(named: "m1")?.updateFaults { $0.lateReply = nil }
            await sink.waitForResult(of: "m1", after: sink.mark) { $0.hasMeterValues }
            // Every value ever delivered is the right one for its point: no late reply was read as another's.
            let values = sink.all.dropFirst(mark).flatMap(\.samples).filter { $0.reading.value != nil }
            #expect(!values.isEmpty)
            for result in sink.all.dropFirst(mark) where result.samples.allSatisfy({ $0.reading.value != nil }) {
                #expect(result.hasMeterValues)
            }
            #expect(worker.counters()[0].failures[.timeout, default: 0] >= 1)
            #expect(worker.counters()[1].failures[.badData, default: 0] == 0)
        }
    }

    @Test("junk bytes: bad data, no sample; the next good reply is read")
    func junk() async throws {
        var faults = FaultPlan()
        faults.junkBytes = true
        try await withBus(faults: faults) { sink, _, bus in
            let m1 = await sink.waitForResult(of: "m1") { $0.reason("voltage") != nil }
            #expect(m1?.reason("voltage")?.kind == .badData)
            await sink.waitForResult(of: "m2", after: sink.mark) { $0.hasMeterValues }
            bus.device(named: "m1")?.updateFaults { $0.junkBytes = false }
            await sink.waitForResult(of: "m1", after: sink.mark) { $0.hasMeterValues }
        }
    }

    @Test("a dropped connection: link lost for that request, reconnected, read again")
    func droppedConnection() async throws {
        try await withBus { sink, worker, bus in
            await sink.waitForResult(of: "m1") { $0.hasMeterValues }
            bus.device(named: "m1")?.updateFaults { $0.dropConnection = true }
            let lost = await sink.waitForResult(of: "m1", after: sink.mark) { $0.reason("voltage") != nil }
            #expect(lost?.reason("voltage")?.kind == .linkLost)
            await sink.waitForResult(of: "m1", after: sink.mark) { $0.hasMeterValues }
            await sink.waitForResult(of: "m2", after: sink.mark) { $0.hasMeterValues }
            #expect(worker.counters()[0].failures[.linkLost] == 1)
        }
    }

    @Test("a slow device is read, only later")
    func slowDevice() async throws {
        var faults = FaultPlan()
        faults.slowResponse = .milliseconds(60)
        try await withBus(faults: faults) { sink, worker, _ in
            await sink.waitForResult(of: "m1") { $0.hasMeterValues }
            let rtt = try #require(worker.counters()[0].lastRoundTrip)
            #expect(rtt >= .milliseconds(60))
        }
    }

    @Test("a restarted device is read again at its next probe")
    func restartedDevice() async throws {
        try await withBus { sink, _, bus in
            await sink.waitForResult(of: "m1") { $0.hasMeterValues }
            bus.device(named: "m1")?.isDown = true
            await sink.waitForResult(of: "m1", after: sink.mark) { $0.linkState == .down }
            try bus.restart()
            bus.device(named: "m1")?.isDown = false
            let mark = sink.mark
            await sink.waitForResult(of: "m1", after: mark) { $0.hasMeterValues }
            // Counted, not timed: at most one probe was lost (to the connection the restart reset) before the
            // device was read again.
            let between = sink.all.dropFirst(mark).filter { $0.device == "m1" }.prefix { !$0.hasMeterValues }
            let failedProbes = between.filter { [.timeout, .linkLost].contains($0.reason("voltage")?.kind) }.count
            #expect(failedProbes <= 1)
        }
    }
}

@Suite("BusWorker with the bus down", .serialized)
struct BusWorkerLinkDownTests {
    @Test("nothing listening: link lost for every point, devices down; reconnected with back-off once it listens")
    func reconnectsForever() async throws {
        // Find a free port, then close it so nothing listens there.
        let probe = try SimulatedBus(
            name: "probe", devices: [try TestProfiles.meterDevice(name: "m1", unitID: 1, isTCP: true)])
        guard case .tcp(let host, let port) = probe.endpoint else { return }
        probe.stop()
        let sink = CollectingSink()
        let schedule = TestProfiles.schedule(bus: "tcp", transport: .tcp(host: host, port: port), devices: [("m1", 1)])
        let worker = BusWorker(
            schedule: schedule, sink: sink, configuration: TestProfiles.fastRecovery, logger: TestProfiles.logger)
        worker.start()
        let lost = await sink.waitForResult(of: "m1") { $0.reason("voltage")?.kind == .linkLost }
        #expect(lost?.linkState == .down)
        #expect(lost?.samples.allSatisfy { $0.reading.reason?.kind == .linkLost } == true)
        // The device comes up on that port: read again within the reconnect back-off (100 ms doubling to 400 ms).
        let bus = try SimulatedBus(
            name: "tcp", tcpHost: host, port: port,
            devices: [try TestProfiles.meterDevice(name: "m1", unitID: 1, isTCP: true)])
        defer { bus.stop() }
        await sink.waitForResult(of: "m1", after: sink.mark) { $0.hasMeterValues && $0.linkState == .up }
        await worker.stop()
    }
}

/// Issue 12: replies that are not the answer, from a real loopback socket, through the whole bus worker.
@Suite("BusWorker and bad Modbus TCP replies", .serialized)
struct BusWorkerBadReplyTests {
    func withServer(
        _ reply: @escaping @Sendable ([UInt8]) -> [UInt8], _ body: (CollectingSink, BusWorker) async throws -> Void
    ) async throws {
        let server = try RawModbusTCPServer(reply: reply)
        defer { server.stop() }
        let sink = CollectingSink()
        let schedule = TestProfiles.schedule(
            bus: "tcp", transport: .tcp(host: "127.0.0.1", port: server.port), devices: [("m1", 1), ("m2", 2)])
        let worker = BusWorker(
            schedule: schedule, sink: sink, configuration: TestProfiles.fastRecovery, logger: TestProfiles.logger)
        worker.start()
        try await body(sink, worker)
        await worker.stop()
    }

    @Test("a reply with one trailing byte is nothing for m1 and never marks the innocent m2 down")
    func trailingByte() async throws {
        try await withServer({ request in
            let reply = RawModbusTCPServer.goodReply(to: request)
            return request[6] == 1 ? reply + [0x42] : reply
        }) { sink, worker in
            let m1 = await sink.waitForResult(of: "m1") { $0.reason("voltage") != nil }
            #expect(m1?.reason("voltage")?.kind == .badData)
            await sink.waitForResult(of: "m1") { $0.linkState == .down }
            await sink.waitForResult(of: "m2", after: sink.mark) { $0.value("voltage") != nil }
            let counters = worker.counters()
            #expect(counters[0].replyFaults[.trailingBytes, default: 0] >= 2)
            #expect(counters[1].failures.isEmpty, "m2 failed: \(counters[1].failures)")
            #expect(counters[1].replyFaults.isEmpty)
            #expect(sink.results(for: "m2").allSatisfy { $0.linkState == .up })
        }
    }

    @Test("a reply from another unit id is never a reading; counted per device", arguments: [true, false])
    func wrongUnitOrProtocol(wrongUnit: Bool) async throws {
        try await withServer({ request in
            var reply = RawModbusTCPServer.goodReply(to: request)
            if request[6] == 1 {
                if wrongUnit { reply[6] = 2 } else { reply[3] = 1 }
            }
            return reply
        }) { sink, worker in
            await sink.waitForResult(of: "m1") { $0.linkState == .down }
            await sink.waitForResult(of: "m2", after: sink.mark) { $0.value("voltage") != nil }
            #expect(
                sink.results(for: "m1").allSatisfy { result in result.samples.allSatisfy { $0.reading.value == nil } })
            let fault: ReplyFault = wrongUnit ? .wrongUnitID : .wrongProtocolID
            #expect(worker.counters()[0].replyFaults[fault, default: 0] >= 2)
            #expect(worker.counters()[1].replyFaults.isEmpty)
        }
    }
}
