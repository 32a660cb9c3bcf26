import FoundationEssentials
public import ShelterCore

/// The samples of one device from one poll (or skipped poll), as a bus worker hands them over.
public struct DevicePollResult: Sendable, Hashable {
    /// Bus name.
    public var bus: String
    /// Device name.
    public var device: String
    /// The device's link state after this poll.
    public var linkState: LinkState
    /// One sample per point of the device, in plan order (holes included, with reason `hole`).
    public var samples: [Sample]
    /// When the poll started (monotonic), for cycle-time measurements.
    public var startedAt: ContinuousClock.Instant
    /// When the poll ended (monotonic).
    public var endedAt: ContinuousClock.Instant
    /// The bus's fault while its connection cannot be opened; `nil` once it is open.
    public var busFault: BusFault?

    public init(
        bus: String, device: String, linkState: LinkState, samples: [Sample], startedAt: ContinuousClock.Instant,
        endedAt: ContinuousClock.Instant, busFault: BusFault? = nil
    ) {
        self.busFault = busFault
        self.bus = bus
        self.device = device
        self.linkState = linkState
        self.samples = samples
        self.startedAt = startedAt
        self.endedAt = endedAt
    }

    /// The sample of `point`, if the device has that point.
    public func sample(_ point: String) -> Sample? { samples.first { $0.point == point } }
}

/// Where a bus worker puts its results.
///
/// - Important: `deliver` is called on the bus thread and must not block or wait on a consumer (DESIGN §1:
///   polling never waits on the uplink): drop the oldest, or take a short lock, but never wait.
public protocol SampleSink: Sendable {
    /// Takes one device's results; returns at once.
    func deliver(_ result: DevicePollResult)
}

/// A sink that feeds an `AsyncStream`, keeping the newest `bufferSize` results when the consumer lags.
public struct SampleStreamSink: SampleSink {
    private let continuation: AsyncStream<DevicePollResult>.Continuation

    /// Creates a stream and the sink that feeds it.
    /// - Parameter bufferSize: results kept while nobody reads, ≥ 1; older ones are dropped. Default 1024.
    public static func makeStream(bufferSize: Int = 1024) -> (AsyncStream<DevicePollResult>, SampleStreamSink) {
        let (stream, continuation) = AsyncStream.makeStream(
            of: DevicePollResult.self, bufferingPolicy: .bufferingNewest(bufferSize))
        return (stream, SampleStreamSink(continuation: continuation))
    }

    public func deliver(_ result: DevicePollResult) { continuation.yield(result) }

    /// Ends the stream.
    public func finish() { continuation.finish() }
}
