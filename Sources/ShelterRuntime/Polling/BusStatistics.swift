/// One bus's polling statistics, as its worker keeps them (the per-bus seam for metrics; per-device figures are
/// in `DeviceCounters`). A value copied out under the worker's lock (`BusWorker.statistics()`).
public struct BusStatistics: Sendable, Hashable {
    /// Bus name.
    public var bus: String
    /// Batches handed to the sink (about one per poll cycle; a long cycle hands over every `batchLatency`).
    public var batches = 0
    /// Device results handed over (one per device poll, skipped polls included).
    public var results = 0
    /// Requests sent on the bus, summed over its devices (busy retries included).
    public var requests = 0
    /// Requests answered with data, summed over its devices.
    public var successes = 0
    /// The last cycle's time: from its first poll after an idle bus to the hand-over of its last results.
    public var lastCycleTime: Duration?

    public init(bus: String) { self.bus = bus }
}
