import FoundationEssentials
public import Logging
public import ShelterCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Polls every device of one bus on a dedicated thread, turning each request's outcome into samples.
///
/// - One POSIX thread per bus: libmodbus blocks, and blocking calls never run on the Swift concurrency pool
///   (DESIGN §3).
/// - Recovery per DESIGN §3 (`ReconnectStateMachine`): reconnect forever with capped back-off and jitter;
///   after a timeout or bad data on TCP reconnect before the next request; on RTU flush.
/// - Isolation (`DeviceHealth`): a device that does not answer three polls in a row is skipped for a growing
///   back-off period and probed with one request, so the others keep their cycle; after a device stops
///   answering one request, its remaining requests in that poll are not sent. An illegal-address exception
///   (2) on a request of several points splits it next cycle (first into runs of adjacent points, then into
///   single points); a single point the device refuses is remembered as a hole and no longer read.
/// - Busy (exception 6) is retried `busyRetries` times, `busyRetryWait` apart.
/// - On RTU the worker keeps `interFrameGap` of silence between transactions.
///
/// Results go to a `SampleSink`, which must not block. Thread-safe: `start`, `stop` and `counters` may be
/// called from any thread.
public final class BusWorker: Sendable {
    /// Back-off and probing knobs.
    public struct Configuration: Sendable {
        /// Back-off between failed connection attempts. Default 0.5 s doubling to 30 s, 20 % jitter.
        public var reconnect = BackoffPolicy()
        /// Back-off between probes of a device that stopped answering. Default 2 s doubling to 60 s, 20 % jitter.
        public var deviceBackoff = BackoffPolicy(initialDelay: .seconds(2), maximumDelay: .seconds(60))
        /// Polls without any answer before a device is skipped. Default 3.
        public var failuresBeforeBackoff = 3

        public init() {}
    }

    /// The schedule this worker runs.
    public let schedule: PollSchedule
    private let sink: any SampleSink
    private let configuration: Configuration
    private let logger: Logger
    private let shared: Mutex<Shared>
    private let linkFactory: @Sendable () -> any ModbusLink

    private struct Shared: Sendable {
        var counters: [DeviceCounters]
        var isStopping = false
        var isRunning = false
    }

    /// Creates a worker for `schedule` talking to the bus through libmodbus; call `start()`.
    public convenience init(
        schedule: PollSchedule, sink: some SampleSink, configuration: Configuration = .init(), logger: Logger
    ) {
        let transport = schedule.transport
        self.init(
            schedule: schedule, sink: sink, configuration: configuration, logger: logger,
            linkFactory: { ModbusContextLink(transport: transport) })
    }

    init(
        schedule: PollSchedule, sink: some SampleSink, configuration: Configuration, logger: Logger,
        linkFactory: @escaping @Sendable () -> any ModbusLink
    ) {
        self.schedule = schedule
        self.sink = sink
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "bus.name"] = "\(schedule.bus)"
        self.logger = logger
        self.linkFactory = linkFactory
        shared = Mutex(
            Shared(counters: schedule.devices.map { DeviceCounters(device: $0.name, bus: schedule.bus, unitID: $0.unitID) }))
    }

    /// Starts the bus thread. Calling it again while running does nothing.
    public func start() {
        let alreadyRunning = shared.withLock { s in
            defer { s.isRunning = true }
            return s.isRunning
        }
        guard !alreadyRunning else { return }
        DedicatedThread { [self] in
            var loop = PollLoop(worker: self, link: linkFactory())
            loop.run()
            shared.withLock { $0.isRunning = false }
        }
    }

    /// Asks the bus thread to stop and waits until it has (at most one response timeout plus 50 ms).
    public func stop() async {
        shared.withLock { $0.isStopping = true }
        while shared.withLock({ $0.isRunning }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// A copy of every device's counters.
    public func counters() -> [DeviceCounters] { shared.withLock { $0.counters } }

    var isStopping: Bool { shared.withLock { $0.isStopping } }

    func updateCounters(device index: Int, _ body: (inout DeviceCounters) -> Void) {
        shared.withLock { body(&$0.counters[index]) }
    }

    func deliver(_ result: DevicePollResult) { sink.deliver(result) }

    var log: Logger { logger }
    var config: Configuration { configuration }
}
