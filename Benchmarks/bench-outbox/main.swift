// bench-outbox: queues N status reports in a fresh outbox, then drains them through the forwarder and prints
// reports/s, batches and the CPU the agent side used. The baseline, measured in the same run, is the same
// drain into a transport that accepts everything without I/O (store + policy + forwarder alone). With
// --registry-url (and the TLS files) it then drains to that registry over HTTPS through the libcurl client.
// Usage: bench-outbox [--count 10000] [--batch-size 100] [--directory DIR]
//        [--registry-url https://127.0.0.1:PORT --ca-bundle ca.pem --client-certificate gw.pem --client-key gw.key
//         --shelter-id SH-0001]

import ArgumentParser
import FoundationEssentials
import HTTPClient
import Logging
import ShelterCore
import ShelterRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@main
struct OutboxBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-outbox", abstract: "Measure how fast the outbox drains queued status reports.")

    @Option(help: "Status reports to queue and drain.")
    var count = 10_000

    @Option(help: "Reports per request (OutboxPolicy batch maximumCount).")
    var batchSize = 100

    @Option(help: "Directory for the outbox database (default: a fresh directory under /tmp).")
    var directory: String?

    @Option(help: "Registry base URL (https://host:port); without it only the no-I/O baseline runs.")
    var registryURL: String?

    @Option(help: "CA bundle (PEM) the registry's certificate must lead to.")
    var caBundle: String?

    @Option(help: "Gateway client certificate (PEM) for mutual TLS.")
    var clientCertificate: String?

    @Option(help: "Private key (PEM) of the client certificate.")
    var clientKey: String?

    @Option(help: "Shelter id in the report paths and payloads.")
    var shelterId = "SH-BENCH"

    @Option(help: "Gateway id in the payloads (must match the client certificate for a real registry).")
    var gatewayId = "GW-BENCH"

    mutating func run() async throws {
        let directory = try directory ?? makeTemporaryDirectory()
        var logger = Logger(label: "bench-outbox")
        logger.logLevel = .warning
        let reports = try (0..<count).map { index in
            let report = Self.report(index: index, shelterId: shelterId, gatewayId: gatewayId)
            return (report.reportId, Array(try RegistryJSON.makeEncoder().encode(report)))
        }
        print("bench-outbox: \(count) status reports of \(reports.first?.1.count ?? 0) bytes, batches of \(batchSize)")
        print("database directory: \(directory)")

        let baseline = try await measure(
            name: "null transport (store + policy + forwarder, no I/O): baseline", reports: reports,
            transport: CountingTransport(), path: "\(directory)/baseline.sqlite", logger: logger)
        print(baseline.lines(relativeTo: nil))

        guard let registryURL else {
            print("no --registry-url: HTTPS drain not measured")
            return
        }
        let client = try HTTPClient(
            configuration: .init(
                tls: .init(caBundlePath: caBundle, clientCertificatePath: clientCertificate, clientKeyPath: clientKey)))
        defer { client.shutdown() }
        let https = try await measure(
            name: "HTTPS with mTLS, kept-alive connection, to \(registryURL)", reports: reports,
            transport: CountingTransport(forwardingTo: HTTPRegistryTransport(client: client, baseURL: registryURL)),
            path: "\(directory)/https.sqlite", logger: logger)
        print(https.lines(relativeTo: baseline))
    }

    func measure(
        name: String, reports: [(String, [UInt8])], transport: CountingTransport, path: String, logger: Logger
    ) async throws -> Measurement {
        let store = try await SQLiteOutboxStore.open(
            path: path, configuration: .init(handOffCapacity: max(count, 1)), logger: logger)
        let enqueueStart = ContinuousClock.now
        for (id, payload) in reports {
            store.enqueueStatus(id: id, payload: payload, createdAt: Date())
        }
        let handOffTime = ContinuousClock.now - enqueueStart
        try await store.flush()
        let enqueueTime = ContinuousClock.now - enqueueStart
        let queued = try await store.statistics().statusCount
        guard queued == count else { throw ValidationError("queued \(queued) of \(count) reports") }
        let queuedFileBytes = Self.fileBytes(path)

        let policy = OutboxPolicy(configuration: .init(batch: .init(maximumCount: batchSize, maximumBytes: 4 << 20)))
        let forwarder = OutboxForwarder(
            store: store, transport: transport, shelterId: shelterId, policy: policy, logger: logger)
        let cpuStart = CPUTime.now()
        let drainStart = ContinuousClock.now
        let task = Task { try await forwarder.run() }
        while transport.acceptedReports < count {
            try await Task.sleep(for: .milliseconds(1))
        }
        let drainTime = ContinuousClock.now - drainStart
        let cpu = CPUTime.now() - cpuStart
        task.cancel()
        try await task.value
        let depth = try await store.statistics().depth
        guard depth == 0 else { throw ValidationError("outbox must be empty after the drain, holds \(depth)") }
        // What the forwarder does when it next has nothing to send: give the freed pages back.
        let reclaimStart = ContinuousClock.now
        while try await store.reclaimSpace() {}
        let reclaimTime = ContinuousClock.now - reclaimStart
        print(
            "  outbox file (database + WAL): \(queuedFileBytes) bytes queued, \(Self.fileBytes(path)) bytes after the "
                + "drain (incremental vacuum and checkpoint took \(reclaimTime))")
        return Measurement(
            name: name, reports: count, batches: transport.requests, handOff: handOffTime, enqueue: enqueueTime,
            drain: drainTime, cpu: cpu)
    }

    /// A status report like the agent sends: lifecycle, capacity, resources, three devices, six readings.
    static func report(index: Int, shelterId: String, gatewayId: String) -> StatusReport {
        let observedAt = Date(timeIntervalSince1970: 1_796_223_338 + Double(index))
        let readings = (0..<6).map { point in
            ReadingStatus(
                device: "tank\(point % 3)", point: "level\(point)", value: Double(index % 1000) / 10,
                unit: "%", quality: .good, observedAt: observedAt)
        }
        return StatusReport(
            reportId: "bench-\(index)-\(observedAt.timeIntervalSince1970)", sequence: Int64(index + 1),
            shelterId: shelterId, gatewayId: gatewayId, recordVersion: 1, observedAt: observedAt,
            lifecycle: LifecycleStatus(state: .activated),
            capacity: CapacityStatus(registered: 2000, occupied: index % 2000),
            resources: ResourceStatus(power: .adequate, water: .adequate, sanitation: .adequate, comms: .adequate),
            checks: [], devices: (0..<3).map { DeviceLinkStatus(device: "tank\($0)", link: .up) },
            readings: readings, lastUpdate: ZonedTime(instant: observedAt, utcOffsetMinutes: 480))
    }

    /// Bytes of the database file and its WAL.
    static func fileBytes(_ path: String) -> Int {
        [path, path + "-wal"].reduce(0) { total, file in
            var info = stat()
            return total + (stat(file, &info) == 0 ? Int(info.st_size) : 0)
        }
    }

    func makeTemporaryDirectory() throws -> String {
        var template = Array("/tmp/bench-outbox-XXXXXX".utf8CString)
        guard let result = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap(mkdtemp) }) else {
            throw ValidationError("cannot create a temporary directory under /tmp")
        }
        return String(cString: result)
    }
}

/// Counts reports and requests; forwards to another transport, or accepts everything without I/O.
final class CountingTransport: RegistryTransport {
    private let inner: (any RegistryTransport)?
    private let counts = Mutex((reports: 0, requests: 0, rejected: 0))

    init(forwardingTo inner: (any RegistryTransport)? = nil) {
        self.inner = inner
    }

    /// Reports in batches answered with a 2xx.
    var acceptedReports: Int { counts.withLock { $0.reports } }
    var requests: Int { counts.withLock { $0.requests } }

    static let marker = Array(#""reportId":"#.utf8)

    func post(path: String, body: [UInt8]) async -> TransportOutcome {
        let outcome = await inner?.post(path: path, body: body) ?? .response(statusCode: 200)
        let reports = Self.occurrences(of: Self.marker, in: body)
        counts.withLock {
            $0.requests += 1
            if case .response(let status, _, _) = outcome, (200..<300).contains(status) { $0.reports += reports }
        }
        if case .response(let status, _, _) = outcome, !(200..<300).contains(status) {
            FileDescriptorError.write("registry answered HTTP \(status) to a batch of \(reports)\n")
        } else if case .failed(let failure) = outcome {
            FileDescriptorError.write("request failed: \(failure)\n")
        }
        return outcome
    }

    /// Non-overlapping occurrences of `pattern` in `bytes`.
    static func occurrences(of pattern: [UInt8], in bytes: [UInt8]) -> Int {
        var count = 0
        var index = 0
        while index + pattern.count <= bytes.count {
            if bytes[index] == pattern[0] && bytes[index..<index + pattern.count].elementsEqual(pattern) {
                count += 1
                index += pattern.count
            } else {
                index += 1
            }
        }
        return count
    }
}

enum FileDescriptorError {
    static func write(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}

struct Measurement {
    var name: String
    var reports: Int
    var batches: Int
    var handOff: Duration
    var enqueue: Duration
    var drain: Duration
    var cpu: Duration

    var reportsPerSecond: Double { Double(reports) / drain.secondsValue }

    func lines(relativeTo baseline: Measurement?) -> String {
        var text = """
            \(name)
              enqueue: hand-off \(format(handOff.secondsValue * 1000)) ms, committed after \(format(enqueue.secondsValue * 1000)) ms (\(format(Double(reports) / enqueue.secondsValue)) reports/s)
              drain:   \(format(drain.secondsValue * 1000)) ms, \(format(reportsPerSecond)) reports/s, \(batches) batches
              agent CPU during drain: \(format(cpu.secondsValue * 1000)) ms (\(format(100 * cpu.secondsValue / drain.secondsValue)) % of one core)
            """
        if let baseline {
            text += "\n  drain rate vs baseline: \(format(reportsPerSecond / baseline.reportsPerSecond)) ×"
        }
        return text
    }
}

func format(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
}

extension Duration {
    var secondsValue: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}

/// User + system CPU time of this process.
enum CPUTime {
    static func now() -> Duration {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return .seconds(Int64(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec))
            + .microseconds(Int64(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec))
    }
}
