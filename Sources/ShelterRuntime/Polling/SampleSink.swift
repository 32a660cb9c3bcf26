public import FoundationEssentials
public import Platform
public import ShelterCore

/// The readings of one device from one poll (or skipped poll), as a bus worker hands them over: by index
/// (issue 13), with the names shared from the device's plan for output (`samples`).
///
/// Immutable, and held in one shared object: a copy is one reference count. As a struct of its fields each copy
/// retained and released every string and array in it, and a result is copied on its way from the bus thread
/// (into the cycle's batch, out to each sink): 3 000 of the bus thread's 9 600 instructions per request at 10
/// registers (callgrind, `bench-poll path`).
public struct DevicePollResult: Sendable, Hashable {
    private final class Storage: Sendable {
        let bus: String
        let device: String
        let deviceIndex: Int?
        let linkState: LinkState
        let pointNames: [String]
        let readings: PollReadings
        let observedAt: Date
        let startedAt: MonotonicInstant
        let endedAt: MonotonicInstant
        let busFault: BusFault?

        init(
            bus: String, device: String, deviceIndex: Int?, linkState: LinkState, pointNames: [String],
            readings: PollReadings, observedAt: Date, startedAt: MonotonicInstant, endedAt: MonotonicInstant,
            busFault: BusFault?
        ) {
            self.bus = bus
            self.device = device
            self.deviceIndex = deviceIndex
            self.linkState = linkState
            self.pointNames = pointNames
            self.readings = readings
            self.observedAt = observedAt
            self.startedAt = startedAt
            self.endedAt = endedAt
            self.busFault = busFault
        }
    }

    private let storage: Storage

    /// Bus name.
    public var bus: String { storage.bus }
    /// Device name.
    public var device: String { storage.device }
    /// The device's index in the site's `PointTable` (the site file's device order), when the worker was made
    /// for a site (`BusWorker.workers(for:)`); `nil` otherwise, and the consumer goes by name.
    public var deviceIndex: Int? { storage.deviceIndex }
    /// The device's link state after this poll.
    public var linkState: LinkState { storage.linkState }
    /// The names of the device's points, in plan order (shared, not copied per poll).
    public var pointNames: [String] { storage.pointNames }
    /// One reading per point, in plan order (holes included, with reason `hole`).
    public var readings: PollReadings { storage.readings }
    /// When the poll ended (wall clock): the time of every reading.
    public var observedAt: Date { storage.observedAt }
    /// When the poll started (monotonic), for cycle-time measurements.
    public var startedAt: MonotonicInstant { storage.startedAt }
    /// When the poll ended (monotonic).
    public var endedAt: MonotonicInstant { storage.endedAt }
    /// The bus's fault while its connection cannot be opened; `nil` once it is open.
    public var busFault: BusFault? { storage.busFault }

    public init(
        bus: String, device: String, deviceIndex: Int? = nil, linkState: LinkState, pointNames: [String],
        readings: PollReadings, observedAt: Date, startedAt: MonotonicInstant, endedAt: MonotonicInstant,
        busFault: BusFault? = nil
    ) {
        storage = Storage(
            bus: bus, device: device, deviceIndex: deviceIndex, linkState: linkState, pointNames: pointNames,
            readings: readings, observedAt: observedAt, startedAt: startedAt, endedAt: endedAt, busFault: busFault)
    }

    public static func == (lhs: DevicePollResult, rhs: DevicePollResult) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.bus == rhs.bus && lhs.device == rhs.device && lhs.deviceIndex == rhs.deviceIndex
                && lhs.linkState == rhs.linkState && lhs.pointNames == rhs.pointNames && lhs.readings == rhs.readings
                && lhs.observedAt == rhs.observedAt && lhs.startedAt == rhs.startedAt && lhs.endedAt == rhs.endedAt
                && lhs.busFault == rhs.busFault)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(bus)
        hasher.combine(device)
        hasher.combine(deviceIndex)
        hasher.combine(linkState)
        hasher.combine(pointNames)
        hasher.combine(readings)
        hasher.combine(observedAt)
        hasher.combine(startedAt)
        hasher.combine(endedAt)
        hasher.combine(busFault)
    }

    /// One sample per point, in plan order, with names (for output and tests; allocates).
    public var samples: [Sample] {
        zip(pointNames, readings).map { Sample(device: device, point: $0, reading: $1, observedAt: observedAt) }
    }

    /// The sample of `point`, if the device has that point.
    public func sample(_ point: String) -> Sample? {
        pointNames.firstIndex(of: point).map {
            Sample(device: device, point: point, reading: readings[$0], observedAt: observedAt)
        }
    }
}

/// Where a bus worker puts its results.
///
/// A worker hands over a cycle's results at once (`deliver(batch:)`): the devices polled back to back, handed
/// over when the bus is about to idle, or after `BusWorker.Configuration.batchLatency` at the latest. A sink
/// that wants them one by one implements only `deliver(_:)`.
///
/// - Important: both are called on the bus thread and must not block or wait on a consumer (DESIGN §1:
///   polling never waits on the uplink): drop the oldest, or take a short lock, but never wait.
public protocol SampleSink: Sendable {
    /// Takes one device's results; returns at once.
    func deliver(_ result: DevicePollResult)
    /// Takes the results of one cycle of a bus, in the order polled; returns at once. The default delivers
    /// them one by one.
    func deliver(batch: [DevicePollResult])
}

extension SampleSink {
    public func deliver(batch: [DevicePollResult]) {
        for result in batch { deliver(result) }
    }
}

/// A sink that feeds an `AsyncStream` of batches (one element per cycle of a bus), keeping the newest
/// `bufferSize` batches when the consumer lags.
public struct SampleStreamSink: SampleSink {
    private let continuation: AsyncStream<[DevicePollResult]>.Continuation

    /// Creates a stream and the sink that feeds it.
    /// - Parameter bufferSize: batches kept while nobody reads, ≥ 1; older ones are dropped. Default 1024.
    public static func makeStream(bufferSize: Int = 1024) -> (AsyncStream<[DevicePollResult]>, SampleStreamSink) {
        let (stream, continuation) = AsyncStream.makeStream(
            of: [DevicePollResult].self, bufferingPolicy: .bufferingNewest(bufferSize))
        return (stream, SampleStreamSink(continuation: continuation))
    }

    public func deliver(_ result: DevicePollResult) { continuation.yield([result]) }

    public func deliver(batch: [DevicePollResult]) { continuation.yield(batch) }

    /// Ends the stream.
    public func finish() { continuation.finish() }
}
