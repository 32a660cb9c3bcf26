import ArgumentParser
import DeviceSimulator
import Logging
import Platform
import ShelterCore
import ShelterRuntime
import Synchronization

extension BenchPoll {
    /// `bench-poll dead-device`: what a dead device costs its bus (the timing figure the dead-device test
    /// printed; tests assert counters only). Six devices of ten holding registers on one bus (TCP, then RTU at
    /// 115200 8E1 through the paced bridge), polled every 20 ms; d6 stops answering; each probe's time on the bus
    /// (from its start to the end of its recovery) is shown ÷ the response timeout (issue 13 target ≤ 1.1 on RTU).
    struct DeadDevice: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dead-device")
        @Option(help: "Seconds measured with the device dead.") var seconds: Double = 4

        func run() throws {
            for overTCP in [true, false] {
                let (perProbe, probes) = try measure(overTCP: overTCP)  // mean time a probe held the bus
                let ratio = perProbe / timeout
                print(
                    "{\"mode\":\"dead-device\",\"transport\":\"\(overTCP ? "tcp" : "rtu")\","
                        + "\"ms_per_probe\":\(perProbe.milliseconds),\"response_timeout_ms\":\(timeout.milliseconds),"
                        + "\"ratio\":\(ratio),\"probes\":\(probes)}")
            }
        }

        var timeout: Duration { .milliseconds(100) }
        var backoff: Duration { .seconds(1) }

        func measure(overTCP: Bool) throws -> (Duration, Int) {
            let profile = DeviceProfile(
                name: "bench-ten", vendor: "bench", model: "ten", document: "bench-poll dead-device",
                points: (0..<10).map { Point(name: "r\($0)", function: .holdingRegister, address: $0, type: .uint16) })
            let scripts = Dictionary(
                uniqueKeysWithValues: (0..<10).map { ("r\($0)", ValueScript.constant(.uint(UInt64($0)))) })
            let names = (1...6).map { ("d\($0)", UInt8($0)) }
            let simulated = try names.map {
                try SimulatedDevice(name: $0.0, unitID: $0.1, profile: profile, scripts: scripts, isTCP: overTCP)
            }
            let bus =
                overTCP
                ? try SimulatedBus(name: "bus", devices: simulated)
                : try SimulatedBus(name: "bus", rtu: SerialLineSettings(baud: 115_200), devices: simulated)
            defer { bus.stop() }
            let transport: Bus.Transport
            let gap: Duration
            switch bus.endpoint {
            case .tcp(let host, let port):
                transport = .tcp(host: host, port: port)
                gap = .zero
            case .rtu(let path, _):
                let line = SerialLine(device: path, baudRate: 115_200)
                transport = .serial(line)
                gap = line.t35
            }
            let devices = names.map { name, unit in
                Device(
                    name: name, busName: "bus", unitID: UnitID(rawValue: unit), profile: profile,
                    pollInterval: .milliseconds(20), responseTimeout: timeout, byteTimeout: timeout)
            }
            var configuration = BusWorker.Configuration()
            configuration.poller.deviceBackoff = BackoffPolicy(initialDelay: backoff, maximumDelay: backoff, jitter: 0)
            configuration.poller.failuresBeforeBackoff = 2
            var logger = Logger(label: "bench")
            logger.logLevel = .critical
            let sink = ProbeDurations()
            let worker = BusWorker(
                bus: Bus(name: "bus", transport: transport, interFrameGap: gap), devices: devices, sink: sink,
                configuration: configuration, logger: logger)
            worker.start()
            sleep(for: .seconds(1))  // connect, first cycles
            bus.device(named: "d6")?.updateFaults { $0.noAnswer = true }
            sleep(for: backoff * 2)  // into back-off
            let from = sink.probes.withLock { $0.count }
            sleep(for: .seconds(seconds))
            let probes = sink.probes.withLock { Array($0.dropFirst(from)) }
            worker.stopSoon()
            guard !probes.isEmpty else { return (.zero, 0) }
            return (probes.reduce(Duration.zero, +) / probes.count, probes.count)
        }
    }
}

/// How long each probe of d6 that timed out held the bus, recovery included.
final class ProbeDurations: SampleSink {
    let probes = Mutex<[Duration]>([])

    func deliver(_ result: DevicePollResult) {
        guard result.device == "d6", result.samples.first?.reading.reason?.kind == .timeout else { return }
        probes.withLock { $0.append(result.startedAt.duration(to: result.endedAt)) }
    }
}

extension BusWorker {
    /// Asks the bus thread to stop without waiting (the benchmark exits anyway).
    func stopSoon() { Task { await stop() } }
}
