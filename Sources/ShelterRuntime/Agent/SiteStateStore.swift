public import FoundationEssentials
public import ShelterCore
import Synchronization

/// A `SiteState` behind a lock, fed by bus workers: the sink the agent's pipeline reads snapshots from.
///
/// `deliver` holds the lock only to update the state (no I/O, no waiting), so polling never waits on the
/// consumers (DESIGN §1). Thread-safe.
public final class SiteStateStore: SampleSink {
    private let state: Mutex<SiteState>

    /// Creates a store for `configuration`, nothing read yet.
    public init(configuration: SiteConfiguration) {
        state = Mutex(SiteState(configuration: configuration))
    }

    public func deliver(_ result: DevicePollResult) {
        let now = Date()
        state.withLock { Self.ingest(result, into: &$0, at: now) }
    }

    public func deliver(batch: [DevicePollResult]) {
        let now = Date()
        state.withLock { state in
            for result in batch { Self.ingest(result, into: &state, at: now) }
        }
    }

    /// By index when the worker gave one (no name hashed), else by name.
    static func ingest(_ result: DevicePollResult, into state: inout SiteState, at now: Date) {
        if let d = result.deviceIndex {
            state.ingest(
                deviceIndex: d, linkState: result.linkState, readings: result.readings, busFault: result.busFault,
                observedAt: result.observedAt, at: now)
        } else if let d = state.table.deviceIndex(named: result.device),
            state.table.pointCount(ofDevice: d) == result.readings.count
        {
            state.ingest(
                deviceIndex: d, linkState: result.linkState, readings: result.readings, busFault: result.busFault,
                observedAt: result.observedAt, at: now)
        } else {
            state.ingest(
                device: result.device, linkState: result.linkState, samples: result.samples,
                busFault: result.busFault, at: now)
        }
    }

    /// The site as the checks see it at `now`.
    public func snapshot(at now: Date) -> SiteSnapshot { state.withLock { $0.snapshot(at: now) } }

    /// The latest of one point, or `nil` if never polled.
    public func point(device: String, point: String) -> SiteState.PointState? {
        state.withLock { $0.point(device: device, point: point) }
    }
}

/// Delivers each result to several sinks in turn (e.g. the site state and a stream for logging).
public struct FanOutSink: SampleSink {
    private let sinks: [any SampleSink]

    public init(_ sinks: [any SampleSink]) { self.sinks = sinks }

    public func deliver(_ result: DevicePollResult) {
        for sink in sinks { sink.deliver(result) }
    }

    public func deliver(batch: [DevicePollResult]) {
        for sink in sinks { sink.deliver(batch: batch) }
    }
}
