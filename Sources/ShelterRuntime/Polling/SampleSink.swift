public import FoundationEssentials
public import Platform
public import ShelterCore

/// The readings of one device from one poll (or skipped poll), as a bus worker hands them over: by index
/// (issue 13), with the names shared from the device's plan for output (`samples`).
public struct DevicePollResult: Sendable, Hashable {
    /// Bus name.
    public var bus: String
    /// Device name.
    public var device: String
    /// The device's index in the site's `PointTable` (the site file's device order), when the worker was made
    /// for a site (`BusWorker.workers(for:)`); `nil` otherwise, and the consumer goes by name.
    public var deviceIndex: Int?
    /// The device's link state after this poll.
    public var linkState: LinkState
    /// The names of the device's points, in plan order (shared, not copied per poll).
    public var pointNames: [String]
    /// One reading per point, in plan order (holes included, with reason `hole`).
    public var readings: PollReadings
    /// When the poll ended (wall clock): the time of every reading.
    public var observedAt: Date
    /// When the poll started (monotonic), for cycle-time measurements.
    public var startedAt: MonotonicInstant
    /// When the poll ended (monotonic).
    public var endedAt: MonotonicInstant
    /// The bus's fault while its connection cannot be opened; `nil` once it is open.
    public var busFault: BusFault?

    public init(
        bus: String, device: String, deviceIndex: Int? = nil, linkState: LinkState, pointNames: [String],
        readings: PollReadings, observedAt: Date, startedAt: MonotonicInstant, endedAt: MonotonicInstant,
        busFault: BusFault? = nil
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
        for index in batch.indices { deliver(batch[index]) }
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
