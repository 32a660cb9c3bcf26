// bench-poll: the polling benchmarks of issue 4, driven by Scripts/bench-poll.
//
//   bench-poll agent --site FILE --tcp HOST:PORT --seconds 60   bus workers (the agent's polling path)
//   bench-poll plain --site FILE --tcp HOST:PORT --seconds 60   the same coalesced reads in a plain libmodbus loop
//                                                               (bench-modbus's ModbusPlainReadLoop, one per unit)
//   bench-poll rtu-cycle --site FILE --seconds 20               the site's serial bus through the paced bridge
//   bench-poll dead-device [--seconds 4]                        added time per probe of a dead device
//
// agent and plain print one JSON line: cpu_seconds, vmrss_kib, rssanon_kib, requests, failures.
import ArgumentParser
import DeviceSimulator
import FoundationEssentials
import Logging
import Platform
import Modbus
import ModbusFloor
import ShelterCore
import ShelterRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

@main
struct BenchPoll: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-poll", abstract: "Polling benchmarks (issue 4).",
        subcommands: [Agent.self, Plain.self, RTUCycle.self, DeadDevice.self, Path.self, Latency.self])
}

struct Common: ParsableArguments {
    @Option(help: "Site file.") var site: String
    @Option(help: "HOST:PORT of the simulator serving the site's TCP bus.") var tcp: String?
    @Option(help: "How long to poll, seconds.") var seconds: Double = 60

    func load() throws -> SiteConfiguration {
        switch SiteConfigurationLoader(checksFiles: false).load(siteFile: site) {
        case .success(let c): return c
        case .failure(let e): throw ValidationError("\(site): \(e)")
        }
    }

    func endpoint() throws -> (String, Int) {
        let parts = (tcp ?? "").split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { throw ValidationError("--tcp HOST:PORT") }
        return (String(parts[0]), port)
    }
}

/// Process figures: CPU seconds (user + system), VmRSS and RssAnon in KiB.
func processFigures() -> String {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let cpu =
        Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    var vmRSS = 0
    var rssAnon = 0
    if let text = try? String(decoding: Data(contentsOf: URL(fileURLWithPath: "/proc/self/status")), as: UTF8.self) {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("VmRSS:"), fields.count >= 2 { vmRSS = Int(fields[1]) ?? 0 }
            if line.hasPrefix("RssAnon:"), fields.count >= 2 { rssAnon = Int(fields[1]) ?? 0 }
        }
    }
    return "\"cpu_seconds\":\(cpu),\"vmrss_kib\":\(vmRSS),\"rssanon_kib\":\(rssAnon)"
}

func sleep(for duration: Duration) {
    let (s, atto) = duration.components
    var t = timespec(tv_sec: Int(s), tv_nsec: Int(atto / 1_000_000_000))
    var rest = timespec()
    while nanosleep(&t, &rest) == -1 && errno == EINTR { t = rest }
}

/// Counts results without keeping them.
final class CountingSink: SampleSink {
    let counts = Mutex<(results: Int, noSample: Int)>((0, 0))
    func deliver(_ result: DevicePollResult) {
        let missing = result.samples.filter { $0.reading.value == nil }.count
        counts.withLock { $0 = ($0.results + 1, $0.noSample + missing) }
    }
}

extension BenchPoll {
    struct Agent: ParsableCommand {
        @OptionGroup var common: Common

        func run() throws {
            let configuration = try common.load()
            let (host, port) = try common.endpoint()
            let store = SiteStateStore(configuration: configuration)
            let counter = CountingSink()
            var logger = Logger(label: "bench")
            logger.logLevel = .warning
            let workers = configuration.buses.map { bus in
                BusWorker(
                    bus: Bus(name: bus.name, transport: .tcp(host: host, port: port), interFrameGap: bus.interFrameGap),
                    devices: configuration.devices(on: bus), sink: FanOutSink([store, counter]), logger: logger)
            }
            workers.forEach { $0.start() }
            sleep(for: .seconds(common.seconds))
            let counters = workers.flatMap { $0.counters() }
            let requests = counters.reduce(0) { $0 + $1.requests }
            let failures = counters.reduce(0) { $0 + $1.requests - $1.successes }
            print("{\"mode\":\"agent\",\(processFigures()),\"requests\":\(requests),\"failures\":\(failures)}")
            Glibc.exit(0)  // the bus threads are detached; the figures are taken
        }
    }

    struct Plain: ParsableCommand {
        @OptionGroup var common: Common

        func run() throws {
            let configuration = try common.load()
            let (host, port) = try common.endpoint()
            let requests = RequestPlanner.plan(for: configuration).flatMap(\.requests)
            var loops: [UInt8: ModbusPlainReadLoop] = [:]
            for unit in Set(requests.map(\.unitID.rawValue)) {
                loops[unit] = try ModbusPlainReadLoop(host: host, port: port, unitID: unit)
            }
            let clock = ContinuousClock()
            let end = clock.now + .seconds(common.seconds)
            var next = clock.now
            var sent = 0
            var failures = 0
            while clock.now < end {
                for request in requests {
                    sent += 1
                    do throws(ModbusError) {
                        _ = try loops[request.unitID.rawValue]?.readHoldingRegisters(
                            startingAt: UInt16(request.start), count: request.count, reads: 1)
                    } catch {
                        failures += 1
                    }
                }
                next = next + .seconds(1)
                sleep(for: clock.now.duration(to: next))
            }
            print("{\"mode\":\"plain\",\(processFigures()),\"requests\":\(sent),\"failures\":\(failures)}")
        }
    }

    struct RTUCycle: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rtu-cycle")
        @OptionGroup var common: Common

        func run() throws {
            let configuration = try common.load()
            guard
                let plan = RequestPlanner.plan(for: configuration).first(where: {
                    configuration.bus(named: $0.bus)?.serialLine != nil
                }), let estimate = configuration.wireTimeEstimate(for: plan)
            else { throw ValidationError("the site has no serial bus") }
            let simulator = try SiteSimulator(configuration: configuration)
            defer { simulator.stop() }
            guard let bus = configuration.bus(named: plan.bus) else { return }
            let devices = configuration.devices(on: bus).map { $0.polled(every: .zero) }  // back to back
            let sink = CollectingStarts(device: devices.first?.name ?? "")
            var logger = Logger(label: "bench")
            logger.logLevel = .warning
            let worker = BusWorker(bus: simulator.redirect(bus), devices: devices, sink: sink, logger: logger)
            worker.start()
            sleep(for: .seconds(common.seconds))
            let starts = sink.starts.withLock { $0 }.dropFirst()  // the first cycle includes opening the port
            guard let first = starts.first, let last = starts.last, starts.count > 2 else {
                throw ValidationError("too few cycles measured")
            }
            let measured = first.duration(to: last) / (starts.count - 1)
            let ratio = measured / estimate.planned
            let failures = worker.counters().reduce(0) { $0 + $1.requests - $1.successes }
            print(
                "{\"mode\":\"rtu-cycle\",\"bus\":\"\(plan.bus)\",\"requests_per_cycle\":\(estimate.requestCount),"
                    + "\"cycles\":\(starts.count - 1),\"measured_ms\":\(measured.milliseconds),"
                    + "\"estimated_ms\":\(estimate.planned.milliseconds),\"ratio\":\(ratio),\"failures\":\(failures)}")
            Glibc.exit(0)
        }
    }
}

/// Keeps the start time of each poll of one device.
final class CollectingStarts: SampleSink {
    let device: String
    let starts = Mutex<[MonotonicInstant]>([])
    init(device: String) { self.device = device }
    func deliver(_ result: DevicePollResult) {
        guard result.device == device else { return }
        starts.withLock { $0.append(result.startedAt) }
    }
}

extension Duration {
    var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
