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
        state.withLock {
            $0.ingest(device: result.device, linkState: result.linkState, samples: result.samples, at: now)
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
}
