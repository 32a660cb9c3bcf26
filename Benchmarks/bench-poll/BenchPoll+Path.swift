import ArgumentParser
import DeviceSimulator
import Logging
import ModbusFloor
import ShelterCore
import ShelterRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

extension BenchPoll {
    /// `bench-poll path`: CPU per request of the agent's polling path (bus worker, decoding, site state) ÷ the
    /// plain libmodbus loop (the C floor), at 10, 60 and 125 holding registers per request (issue 13 targets
    /// ≤ 1.2 / 1.5 / 2.0). One device of N UINT16 points (one request of N registers) on the in-process simulator
    /// over loopback TCP, polled back to back; CPU is the polling thread's own (`RUSAGE_THREAD`), so the
    /// simulator's threads do not count. Rounds are paired (agent, then plain, same server); the median round's
    /// ratio is printed.
    ///
    /// Prints one JSON line per register count: registers, requests per round, rounds, agent_us_per_request,
    /// plain_us_per_request, ratio.
    struct Path: ParsableCommand {
        @Option(help: "Requests measured per round.") var requests = 2000
        @Option(help: "Paired rounds.") var rounds = 5
        @Option(parsing: .upToNextOption, help: "Registers per request.") var registers: [Int] = [10, 60, 125]

        func run() throws {
            let configuration = try SiteConfiguration.pathBench(registers: registers)
            let simulator = try SiteSimulator(configuration: configuration)
            defer { simulator.stop() }
            guard let site = configuration.buses.first else { return }
            let bus = simulator.redirect(site)
            guard case .tcp(let host, let port) = bus.transport else { return }
            for device in configuration.devices {
                let count = device.points.count
                let plain = try ModbusPlainReadLoop(host: host, port: port, unitID: device.unitID.rawValue)
                var agentRounds: [Double] = []
                var plainRounds: [Double] = []
                for _ in 0..<rounds {
                    agentRounds.append(agentRound(device.polled(every: .zero), bus: bus, site: configuration))
                    let before = threadCPUMicroseconds()
                    _ = try plain.readHoldingRegisters(startingAt: 0, count: count, reads: requests)
                    plainRounds.append(Double(threadCPUMicroseconds() - before) / Double(requests))
                }
                let ratios = zip(agentRounds, plainRounds).map { $0 / max($1, 0.001) }
                print(
                    "{\"mode\":\"path\",\"registers\":\(count),\"requests\":\(requests),"
                        + "\"rounds\":\(rounds),\"agent_us_per_request\":\(try median(agentRounds)),"
                        + "\"plain_us_per_request\":\(try median(plainRounds)),\"ratio\":\(try median(ratios))}")
            }
        }

        /// One round of the agent's path: CPU µs per request of the bus thread (site state included), measured
        /// between the warm-up and the last result.
        func agentRound(_ device: Device, bus: Bus, site: SiteConfiguration) -> Double {
            let store = SiteStateStore(configuration: site)
            let meter = ThreadCPUMeter(warmUp: 200, measured: requests)
            var logger = Logger(label: "bench")
            logger.logLevel = .warning
            let worker = BusWorker(bus: bus, devices: [device], sink: FanOutSink([store, meter]), logger: logger)
            worker.start()
            while meter.perResult() == nil { sleep(for: .milliseconds(20)) }
            stopAndWait(worker)
            return meter.perResult() ?? 0
        }
    }
}

/// Blocks the calling (non-pool) thread until `worker` has stopped.
func stopAndWait(_ worker: BusWorker) {
    let done = Mutex(false)
    Task {
        await worker.stop()
        done.withLock { $0 = true }
    }
    while !done.withLock({ $0 }) { sleep(for: .milliseconds(5)) }
}

/// The delivering thread's CPU between result `warmUp` and result `warmUp + measured`, per result.
final class ThreadCPUMeter: SampleSink {
    let warmUp: Int
    let measured: Int
    private let state = Mutex<(count: Int, start: Int, perResult: Double?)>((0, 0, nil))

    init(warmUp: Int, measured: Int) {
        self.warmUp = warmUp
        self.measured = measured
    }

    func deliver(_ result: DevicePollResult) {
        // The thread's CPU is read at the two marks only: reading it (getrusage, a system call) at every result
        // charged the meter's own cost to the agent, about 0.3 µs per request.
        let count = state.withLock { s in
            s.count += 1
            return s.count
        }
        guard count == warmUp || count == warmUp + measured else { return }
        let cpu = threadCPUMicroseconds()
        state.withLock { s in
            if count == warmUp { s.start = cpu } else { s.perResult = Double(cpu - s.start) / Double(measured) }
        }
    }

    func perResult() -> Double? { state.withLock { $0.perResult } }
}

/// CPU time this thread has used, in microseconds.
func threadCPUMicroseconds() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(1), &usage)  // RUSAGE_THREAD (Linux), not imported into Swift
    return Int(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000
        + Int(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
}

/// The median of `values`; throws when nothing was measured, so an empty run never prints as a 0 figure.
func median(_ values: [Double]) throws -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { throw ValidationError("nothing was measured: no figure to print") }
    return sorted[sorted.count / 2]
}

extension SiteConfiguration {
    /// One TCP bus with one device per register count: device `dN` (unit id N) has `registers[N-1]` UINT16
    /// holding registers at 0..., polled every `pollSeconds` (default: the site default).
    static func pathBench(registers: [Int], pollSeconds: Int? = nil) throws -> SiteConfiguration {
        var site = """
            [gateway]
            id = "gw-bench"
            state_directory = "/tmp/shelter-bench"
            registry_url = "https://registry.example.org/"
            ca_bundle = "ca.pem"
            client_certificate = "gw.pem"
            client_key = "gw.key"

            [[buses]]
            name = "lan"
            kind = "tcp"
            host = "127.0.0.1"
            port = 502

            [record]
            id = "BENCH"
            name = "Bench site"
            effective_area_square_metres = 3000
            capacity_persons = 1000

            [record.location]
            address = "loopback"

            [[record.water_tanks]]
            name = "t1"
            capacity_litres = 1000
            height_metres = 1

            """
        var profiles: [String: String] = [:]
        for (i, count) in registers.enumerated() {
            site += "\n[[devices]]\nname = \"d\(i + 1)\"\nbus = \"lan\"\nunit_id = \(i + 1)\n"
            site += "profile = \"bench-\(count)\"\n"
            if let pollSeconds { site += "poll_interval_seconds = \(pollSeconds)\n" }
            var profile = "vendor = \"Bench\"\nmodel = \"\(count)\"\ndocument = \"bench-poll path\"\n"
            for r in 0..<count {
                profile += "\n[[points]]\nname = \"r\(r)\"\nfunction = \"holding\"\naddress = \(r)\ntype = \"UINT16\"\n"
            }
            profiles["bench-\(count)"] = profile
        }
        let loader = SiteConfigurationLoader(checksFiles: false)
        switch loader.load(siteText: site, file: "path-bench.toml", profileTexts: profiles) {
        case .success(let configuration): return configuration
        case .failure(let error): throw ValidationError("\(error)")
        }
    }
}
