public import Logging
public import ServiceLifecycle
public import ShelterCore

/// Runs one `BusWorker` (one thread) per bus of the site until graceful shutdown, then stops them.
///
/// Results go to `sink`, which never blocks: polling never waits on the assessment or the uplink (DESIGN §1).
public struct PollingService: Service {
    /// The workers, one per bus.
    public let workers: [BusWorker]

    /// Creates one worker per bus of `configuration`.
    /// - Parameter counters: counters to continue from (a reload's), matched by device name, bus and unit id.
    public init(
        configuration: SiteConfiguration, sink: some SampleSink, carrying counters: [DeviceCounters] = [],
        logger: Logger
    ) {
        workers = BusWorker.workers(for: configuration, sink: sink, carrying: counters, logger: logger)
    }

    /// Every device's counters, across buses.
    public func counters() -> [DeviceCounters] { workers.flatMap { $0.counters() } }

    public func run() async throws {
        for worker in workers { worker.start() }
        try? await gracefulShutdown()
        for worker in workers { await worker.stop() }
    }
}
