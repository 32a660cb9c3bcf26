import ArgumentParser
import DeviceSimulator
import Logging
import ShelterCore
import ShelterRuntime
import Synchronization

extension BenchPoll {
    /// `bench-poll dead-device`: what a dead device costs its bus (the timing figure the dead-device test
    /// printed; tests assert counters only). Six devices of ten holding registers on one bus (TCP, then RTU at
    /// 115200 8E1 through the paced bridge), polled every 20 ms; d6 stops answering; the added time per probe is
    /// (mean cycle of d1 with d6 dead − without) × cycles per back-off period, shown ÷ the response timeout
    /// (issue 13 target ≤ 1.1 on RTU).
    struct DeadDevice: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dead-device")
        @Option(help: "Seconds measured per phase.") var seconds: Double = 4

        func run() throws {
            for overTCP in [true, false] {
                let (perProbe, probes) = try measure(overTCP: overTCP)
                let ratio = perProbe / timeout
                print(
                    "{\"mode\":\"dead-device\",\"transport\":\"\(overTCP ? "tcp" : "rtu")\","
                        + "\"added_ms_per_probe\":\(perProbe.milliseconds),\"response_timeout_ms\":\(timeout.milliseconds),"
                        + "\"ratio\":\(ratio),\"probes\":\(probes)}")
            }
        }

        var timeout: Duration { .milliseconds(100) }
        var backoff: Duration { .seconds(1) }

        func measure(overTCP: Bool) throws -> (Duration, Int) {
            let profile = DeviceProfile(
                name: "bench-ten", vendor: "bench", model: "ten", document: "bench-poll dead-device",
                points: (0..<10).map { Point(name: "r\($0)", function: .holdingRegister, address: $0, type: .uint16) })
            let scripts = Dictionary(uniqueKeysWithValues: (0..<10).map { ("r\($0)", ValueScript.constant(.uint(UInt64($0)))) })
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
            let sink = StartsByDevice()
            let worker = BusWorker(
                bus: Bus(name: "bus", transport: transport, interFrameGap: gap), devices: devices, sink: sink,
                configuration: configuration, logger: logger)
            worker.start()
            sleep(for: .seconds(1))  // connect, first cycles
            let baseline = sink.meanCycle(of: "d1", over: .seconds(seconds))
            bus.device(named: "d6")?.updateFaults { $0.noAnswer = true }
            sleep(for: backoff * 2)  // into back-off
            let probesBefore = worker.counters()[5].requests
            let withDead = sink.meanCycle(of: "d1", over: .seconds(seconds))
            let probes = worker.counters()[5].requests - probesBefore
            worker.stopSoon()
            let cyclesPerPeriod = backoff / withDead
            return ((withDead - baseline) * cyclesPerPeriod, probes)
        }
    }
}

/// Poll start times per device.
final class StartsByDevice: SampleSink {
    let starts = Mutex<[String: [ContinuousClock.Instant]]>([:])

    func deliver(_ result: DevicePollResult) {
        starts.withLock { $0[result.device, default: []].append(result.startedAt) }
    }

    /// Mean time between consecutive poll starts of `device` during the next `window`.
    func meanCycle(of device: String, over window: Duration) -> Duration {
        let from = starts.withLock { $0[device]?.count ?? 0 }
        sleep(for: window)
        let seen = starts.withLock { Array(($0[device] ?? []).dropFirst(from)) }
        guard let first = seen.first, let last = seen.last, seen.count > 2 else { return .zero }
        return first.duration(to: last) / (seen.count - 1)
    }
}

extension BusWorker {
    /// Asks the bus thread to stop without waiting (the benchmark exits anyway).
    func stopSoon() { Task { await stop() } }
}
