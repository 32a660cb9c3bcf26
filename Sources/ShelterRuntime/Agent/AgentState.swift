public import FoundationEssentials
public import ShelterCore
import Synchronization

/// What the agent's services share: the registry's word on the lifecycle and record, the uplink's health, and
/// the last assessment, for heartbeats and the status file.
///
/// Thread-safe (a `Mutex`); every access is short and never waits on I/O, so a bus thread or the forwarder
/// is never held up by another service.
public final class AgentState: Sendable {
    /// The shared values.
    public struct Values: Sendable {
        /// The registered record in use and where it came from (`registry`, `cache` or `site-file`).
        public var record: ShelterRecord
        public var recordSource: String
        /// The registry's lifecycle word from the last heartbeat answer, not yet given to the tick machine.
        public var pendingLifecycle: LifecycleChange?
        /// A newer valid record from the registry, not yet given to the tick machine.
        public var pendingRecord: ShelterRecord?
        /// The lifecycle the assessment applied last.
        public var lifecycle: LifecycleStatus = .init(state: .standby)
        /// Uplink health, from the last heartbeat or record fetch.
        public var isRegistryReachable: Bool?
        public var lastRegistrySuccessAt: Date?
        public var lastRegistryError: String?
        /// Agent clock minus registry clock, seconds.
        public var clockSkewSeconds: Double?
        /// Link state per device, from the last assessment step.
        public var links: [String: LinkState] = [:]
        /// Outbox figures, from the last statistics read.
        public var outboxDepth = 0
        public var outboxOldestAge: Duration?
        public var outboxDeadLetters = 0
        public var outboxEvicted = 0
        /// The configuration fault holding the outbox (`UplinkFault` sentence), if any.
        public var outboxHold: String?
        /// The last SIGHUP reload refused while this configuration runs (`ReloadController`), for `status`.
        public var reloadRefusal: AgentStatus.ReloadRefusal?
    }

    private let values: Mutex<Values>

    /// Creates the state with the record from the site file (or the cache).
    public init(record: ShelterRecord, recordSource: String) {
        values = Mutex(Values(record: record, recordSource: recordSource))
    }

    /// Reads or changes the values under the lock. `body` must not block.
    public func withLock<R: Sendable>(_ body: (inout Values) -> R) -> R {
        values.withLock { body(&$0) }
    }
}
