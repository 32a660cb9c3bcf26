import FoundationEssentials
public import Logging
public import ShelterCore
import Synchronization
public import Platform

/// Polls every device of one bus on a dedicated thread, turning each request's outcome into samples.
///
/// - One POSIX thread per bus: libmodbus blocks, and blocking calls never run on the Swift concurrency pool
///   (DESIGN §3).
/// - Connection recovery is the core's `ReconnectStateMachine` (reconnect forever with capped back-off and
///   jitter; after a timeout or bad reply on TCP reconnect before the next request, on RTU flush).
/// - What to send to a device and what its points read is the core's `DevicePoller` (busy retries, splits on
///   exception 2 in the same poll, holes, a device that refuses every address, skip and probe of a silent
///   device, plausible range); the worker only executes it.
/// - Devices are taken in order of due time from a `DueQueue` (O(log n) per poll).
/// - On RTU the worker keeps `Bus.interFrameGap` of silence between transactions.
///
/// Results go to a `SampleSink`, which must not block, a cycle at a time (`SampleSink.deliver(batch:)`); the
/// worker keeps per-device counters (`counters()`), updated in place. Thread-safe: `start`, `stop` and `counters` may be
/// called from any thread.
public final class BusWorker: Sendable {
    /// Back-off and probing knobs.
    public struct Configuration: Sendable {
        /// Back-off between failed connection attempts. Default 0.5 s doubling to 30 s, 20 % jitter.
        public var reconnect = BackoffPolicy()
        /// The per-device policy (device and hole back-off, busy retries).
        public var poller = DevicePoller<MonotonicInstant>.Configuration()
        /// Longest a result waits for the rest of its cycle before the worker hands over what it has. The
        /// default is 20 ms: a cycle's results go to the assessment together, and an alert waits at most this
        /// long for the devices polled after its own (issue 13: under 50 ms above poll phase, wire and hold).
        public var batchLatency: Duration = .milliseconds(20)

        public init() {}
    }

    /// The bus this worker polls.
    public let bus: Bus
    /// The devices on it, in site-file order.
    public let devices: [Device]
    private let sink: any SampleSink
    private let configuration: Configuration
    private let logger: Logger
    private let shared: Mutex<Shared>
    private let linkFactory: @Sendable () -> any ModbusLink
    let stopSignal = StopSignal()

    /// Each device's index in the site's `PointTable`, when the worker was made for a site.
    private let siteIndices: [Int]?

    private struct Shared: Sendable {
        var counters: [DeviceCounters]
        var isRunning = false
    }

    /// Creates a worker for `devices` on `bus`, talking to the bus through libmodbus; call `start()`.
    /// - Parameter siteIndices: each device's index in the site's device order (`PointTable`), so results are
    ///   taken by index (`DevicePollResult.deviceIndex`); `nil` (the default) and consumers go by name.
    /// - Parameter counters: counters to continue from (a reload's): a device with the same name, bus and
    ///   unit id keeps its counts and last answer; its link state starts unknown again, as its health does.
    public convenience init(
        bus: Bus, devices: [Device], siteIndices: [Int]? = nil, sink: some SampleSink,
        configuration: Configuration = .init(), carrying counters: [DeviceCounters] = [], logger: Logger
    ) {
        let transport = bus.transport
        self.init(
            bus: bus, devices: devices, siteIndices: siteIndices, sink: sink, configuration: configuration,
            carrying: counters, logger: logger, linkFactory: { ModbusContextLink(transport: transport) })
    }

    /// One worker per bus of a validated configuration.
    public static func workers(
        for site: SiteConfiguration, sink: some SampleSink, configuration: Configuration = .init(),
        carrying counters: [DeviceCounters] = [], logger: Logger
    ) -> [BusWorker] {
        site.buses.map { bus in
            let indices = site.devices.indices.filter { site.devices[$0].busName == bus.name }
            return BusWorker(
                bus: bus, devices: indices.map { site.devices[$0] }, siteIndices: indices, sink: sink,
                configuration: configuration, carrying: counters, logger: logger)
        }
    }

    init(
        bus: Bus, devices: [Device], siteIndices: [Int]? = nil, sink: some SampleSink, configuration: Configuration,
        carrying carried: [DeviceCounters] = [], logger: Logger,
        linkFactory: @escaping @Sendable () -> any ModbusLink
    ) {
        self.bus = bus
        self.devices = devices
        self.siteIndices = siteIndices.flatMap { $0.count == devices.count ? $0 : nil }
        self.sink = sink
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "bus.name"] = "\(bus.name)"
        self.logger = logger
        self.linkFactory = linkFactory
        shared = Mutex(
            Shared(
                counters: devices.map { device in
                    let unitID = device.unitID.rawValue
                    guard
                        var kept = carried.first(where: {
                            $0.device == device.name && $0.bus == bus.name && $0.unitID == unitID
                        })
                    else { return DeviceCounters(device: device.name, bus: bus.name, unitID: unitID) }
                    kept.linkState = .unknown
                    kept.holes = []
                    return kept
                }))
    }

    /// Starts the bus thread, named `bus NAME` (cut to 15 bytes) in `top -H` and `ps -L`. Calling it again while
    /// running does nothing.
    public func start() {
        let alreadyRunning = shared.withLock { s in
            defer { s.isRunning = true }
            return s.isRunning
        }
        guard !alreadyRunning else { return }
        PlatformThread.detach(name: "bus \(bus.name)") { [self] in
            var loop = PollLoop(worker: self, link: linkFactory())
            loop.run()
            shared.withLock { $0.isRunning = false }
        }
    }

    /// Asks the bus thread to stop and waits until it has (at most about one response timeout).
    public func stop() async {
        stopSignal.stop()
        while shared.withLock({ $0.isRunning }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// A copy of every device's counters.
    public func counters() -> [DeviceCounters] { shared.withLock { $0.counters } }

    /// The site index of the worker's device `i`, or `nil`.
    func siteIndex(ofDevice i: Int) -> Int? { siteIndices?[i] }

    var isStopping: Bool { stopSignal.isStopped }

    func updateCounters(device index: Int, _ body: (inout DeviceCounters) -> Void) {
        shared.withLock { body(&$0.counters[index]) }
    }

    func deliver(batch: [DevicePollResult]) { sink.deliver(batch: batch) }

    var log: Logger { logger }
    var config: Configuration { configuration }
}
