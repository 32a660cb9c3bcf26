// outbox-bench: queues N status reports in a fresh outbox, then drains them through the forwarder and prints
// reports/s, batches and the CPU the agent side used. The baseline, measured in the same run, is the same
// drain into a transport that accepts everything without I/O (store + policy + forwarder alone).
// Usage: outbox-bench [--count 10000] [--batch-size 100] [--directory DIR]

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import ArgumentParser
import FoundationEssentials
import Logging
import ShelterCore
import ShelterRuntime
import Synchronization

@main
struct OutboxBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox-bench", abstract: "Measure how fast the outbox drains queued status reports.")

    @Option(help: "Status reports to queue and drain.")
    var count = 10_000

    @Option(help: "Reports per request (OutboxPolicy batch maximumCount).")
    var batchSize = 100

    @Option(help: "Directory for the outbox database (default: a fresh directory under /tmp).")
    var directory: String?

    mutating func run() async throws {
        let directory = try directory ?? makeTemporaryDirectory()
        var logger = Logger(label: "outbox-bench")
        logger.logLevel = .warning
        print("outbox-bench: \(count) status reports of \(Self.payload(index: 0).count) bytes, batches of \(batchSize)")
        print("database directory: \(directory)")

        let baseline = try await measure(
            name: "null transport (store + policy + forwarder, no I/O)", transport: CountingTransport(),
            path: "\(directory)/baseline.sqlite", logger: logger)
        print(baseline.lines(relativeTo: nil))
    }

    func measure(
        name: String, transport: CountingTransport, path: String, logger: Logger
    ) async throws -> Measurement {
        let store = try await SQLiteOutboxStore.open(
            path: path, configuration: .init(handOffCapacity: max(count, 1)), logger: logger)
        let reports = (0..<count).map { ("report-\($0)", Self.payload(index: $0)) }
        let enqueueStart = ContinuousClock.now
        for (id, payload) in reports {
            store.enqueueStatus(id: id, payload: payload, createdAt: Date())
        }
        let handOffTime = ContinuousClock.now - enqueueStart
        try await store.flush()
        let enqueueTime = ContinuousClock.now - enqueueStart
        let queued = try await store.statistics().statusCount
        guard queued == count else { throw ValidationError("queued \(queued) of \(count) reports") }

        let policy = OutboxPolicy(configuration: .init(batch: .init(maximumCount: batchSize, maximumBytes: 4 << 20)))
        let forwarder = OutboxForwarder(
            store: store, transport: transport, shelterId: "SH-BENCH", policy: policy, logger: logger)
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
        return Measurement(
            name: name, reports: count, batches: transport.requests, handOff: handOffTime, enqueue: enqueueTime,
            drain: drainTime, cpu: cpu)
    }

    /// A status report shaped like the real ones (about 600 bytes of JSON).
    static func payload(index: Int) -> [UInt8] {
        let readings = (0..<8).map { #"{"point":"tank\#($0).level","value":\#(Double(index % 1000) / 10 + Double($0)),"unit":"%","quality":"good","observedAt":"2026-11-29T15:00:00Z"}"# }
        return Array(
            #"{"reportId":"report-\#(index)","sequence":\#(index),"observedAt":"2026-11-29T15:00:00Z","occupancy":{"count":\#(index % 500),"capacity":500},"readings":[\#(readings.joined(separator: ","))]}"#
                .utf8)
    }

    func makeTemporaryDirectory() throws -> String {
        var template = Array("/tmp/outbox-bench-XXXXXX".utf8CString)
        guard let result = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap(mkdtemp) }) else {
            throw ValidationError("cannot create a temporary directory under /tmp")
        }
        return String(cString: result)
    }
}

/// Accepts every batch without I/O, counting reports and requests.
final class CountingTransport: RegistryTransport {
    private let counts = Mutex((reports: 0, requests: 0))
    var acceptedReports: Int { counts.withLock { $0.reports } }
    var requests: Int { counts.withLock { $0.requests } }

    static let marker = Array(#"{"reportId":"#.utf8)

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

    func post(path: String, body: [UInt8]) async -> TransportOutcome {
        let reports = Self.occurrences(of: Self.marker, in: body)
        counts.withLock {
            $0.reports += reports
            $0.requests += 1
        }
        return .response(statusCode: 200)
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
