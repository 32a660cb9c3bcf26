import Logging
import ShelterCore
@testable import ShelterRuntime
import Synchronization
import Testing

/// Keeps every log entry, for tests that assert what an operator sees.
final class CapturingLogHandler: LogHandler, @unchecked Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    let entries = Mutex<[Entry]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        entries.withLock {
            $0.append(Entry(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
        }
    }
}

@Suite("Reopening a bus")
struct BusReopenLogTests {
    @Test("every failed reopen is logged on its back-off, with the path, the errno and the delay")
    func logsEveryFailedReopen() async throws {
        let handler = CapturingLogHandler()
        let logger = Logger(label: "test") { _ in handler }
        let path = "/nonexistent/ttyUSB-\(UInt32.random(in: 0...UInt32.max))"
        let schedule = TestProfiles.schedule(
            bus: "rs485", transport: .serial(SerialLine(device: path, parity: .even)), devices: [("m1", 1)])
        var configuration = TestProfiles.fastRecovery
        configuration.reconnect = BackoffPolicy(
            initialDelay: .milliseconds(20), maximumDelay: .milliseconds(40), jitter: 0)
        let sink = CollectingSink()
        let worker = BusWorker(schedule: schedule, sink: sink, configuration: configuration, logger: logger)
        worker.start()
        let failures = { handler.entries.withLock { $0.filter { $0.message == "bus connection failed" } } }
        let deadline = ContinuousClock.now + .seconds(20)
        while failures().count < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        await worker.stop()
        let logged = failures()
        try #require(logged.count >= 3)
        #expect(logged.map { $0.metadata["attempt"] }.prefix(3) == ["1", "2", "3"])
        for entry in logged.prefix(3) {
            #expect(entry.level == .warning)
            #expect(entry.metadata["bus.endpoint"] == path)
            #expect(entry.metadata["error"]?.contains("(errno 2)") == true, "\(entry.metadata)")
            // Written for people ("0.5 s", "1.1 s"), never a Swift `Duration` dump ("0.5123456 seconds").
            let retry = try #require(entry.metadata["retry_in"]).description
            #expect(retry.hasSuffix(" s") && !retry.contains("seconds"), "\(retry)")
        }
        #expect(sink.latest("m1")?.reason("voltage")?.kind == .linkLost)
        // Every result of the bus carries the one bus fault, so the checks raise one condition for the bus.
        #expect(sink.latest("m1")?.busFault?.endpoint == path)
        #expect(sink.latest("m1")?.busFault?.error.contains("(errno 2)") == true)
    }

    @Test(
        "a bus that cannot be opened is retried when its log line says, not at the next poll (issue 11: 'retry_in 0.4 s', then 5 s)"
    )
    func retriesOnItsBackoffBetweenPolls() async throws {
        let handler = CapturingLogHandler()
        let logger = Logger(label: "test") { _ in handler }
        let path = "/nonexistent/ttyUSB-\(UInt32.random(in: 0...UInt32.max))"
        let schedule = TestProfiles.schedule(
            bus: "rs485", transport: .serial(SerialLine(device: path, parity: .even)), devices: [("m1", 1)],
            pollInterval: .seconds(120))
        var configuration = TestProfiles.fastRecovery
        configuration.reconnect = BackoffPolicy(
            initialDelay: .milliseconds(50), maximumDelay: .milliseconds(100), jitter: 0)
        let worker = BusWorker(schedule: schedule, sink: CollectingSink(), configuration: configuration, logger: logger)
        let deadline = ContinuousClock.now + .seconds(30)
        worker.start()
        let failures = { handler.entries.withLock { $0.filter { $0.message == "bus connection failed" } } }
        while failures().count < 4, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        await worker.stop()
        // Four attempts 50 + 100 + 100 ms apart. Retried only when the device falls due, the second attempt
        // would come after the 120 s poll interval, long after this 30 s deadline (no timing is asserted:
        // the count is what a loaded machine cannot fake).
        #expect(failures().count >= 4)
    }
}
