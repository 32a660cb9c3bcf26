public import FoundationEssentials

/// What the outbox policy knows about one queued item: never its payload, only its id, kind, age, size and
/// delivery history.
public struct OutboxEntry: Sendable, Hashable {
    /// The payload's own unique id: `eventId` for an alert event, `reportId` for a status report. The registry
    /// de-duplicates on it, so resending is safe (DESIGN §4: delivery is at least once).
    public var id: String
    /// Alert event or status report.
    public var kind: OutboxKind
    /// Wall-clock time the agent queued the item.
    public var createdAt: Date
    /// Size of the JSON payload in bytes.
    public var byteCount: Int
    /// Failed delivery attempts so far; 0 for an item never sent.
    public var attempts: Int
    /// Earliest wall-clock time of the next attempt after a failure; `nil` when the item may go at once.
    public var notBefore: Date?

    /// Creates an entry; `attempts` defaults to 0 and `notBefore` to `nil` (a new item).
    public init(
        id: String, kind: OutboxKind, createdAt: Date, byteCount: Int, attempts: Int = 0, notBefore: Date? = nil
    ) {
        self.id = id
        self.kind = kind
        self.createdAt = createdAt
        self.byteCount = byteCount
        self.attempts = attempts
        self.notBefore = notBefore
    }
}

/// The state of the outbox as the policy sees it before each decision: per kind, totals and the oldest entries.
public struct OutboxSnapshot: Sendable, Hashable {
    /// One kind's queue.
    public struct Queue: Sendable, Hashable {
        /// Number of queued items of this kind.
        public var count: Int
        /// Sum of their payload sizes in bytes.
        public var byteCount: Int
        /// Wall-clock time the oldest item was queued; `nil` when empty.
        public var oldestCreatedAt: Date?
        /// The oldest items, oldest first, at least `OutboxPolicy.Configuration.Batch.maximumCount` of them
        /// when there are that many (fewer only when the queue is shorter).
        public var head: [OutboxEntry]

        /// Creates a queue summary.
        public init(count: Int = 0, byteCount: Int = 0, oldestCreatedAt: Date? = nil, head: [OutboxEntry] = []) {
            self.count = count
            self.byteCount = byteCount
            self.oldestCreatedAt = oldestCreatedAt
            self.head = head
        }

        /// An empty queue.
        public static let empty = Queue()
    }

    /// The alert events queue.
    public var alerts: Queue
    /// The status reports queue.
    public var status: Queue
    /// The dead letters, all kinds: `count`, `byteCount` and, in `oldestCreatedAt`, when the oldest became
    /// a dead letter; `head` is empty (dead letters are never sent by the forwarder).
    public var deadLetters: Queue

    /// Creates a snapshot. Every queue defaults to empty.
    public init(alerts: Queue = .empty, status: Queue = .empty, deadLetters: Queue = .empty) {
        self.alerts = alerts
        self.status = status
        self.deadLetters = deadLetters
    }

    /// The queue for `kind`.
    public subscript(kind: OutboxKind) -> Queue {
        get {
            switch kind {
            case .alert: alerts
            case .status: status
            }
        }
        set {
            switch kind {
            case .alert: alerts = newValue
            case .status: status = newValue
            }
        }
    }

    /// Total bytes kept, all kinds, dead letters included: what the byte bound applies to.
    public var byteCount: Int { alerts.byteCount + status.byteCount + deadLetters.byteCount }
    /// Total queued items, all kinds.
    public var count: Int { alerts.count + status.count }
}

/// A group of entries of one kind sent as one JSON array in one request.
public struct OutboxBatch: Sendable, Hashable {
    /// The endpoint kind; every entry has it.
    public var kind: OutboxKind
    /// The entries in send order (oldest first); never empty.
    public var entries: [OutboxEntry]

    /// Creates a batch. `entries` must be non-empty and all of `kind` (programmer error otherwise).
    public init(kind: OutboxKind, entries: [OutboxEntry]) {
        precondition(!entries.isEmpty && entries.allSatisfy { $0.kind == kind }, "a batch holds entries of one kind")
        self.kind = kind
        self.entries = entries
    }

    /// The payload ids in send order.
    public var ids: [String] { entries.map(\.id) }
}

/// What to remove when the outbox is over a bound: the oldest queued items of one kind, or the oldest dead
/// letters.
public struct OutboxEviction: Sendable, Hashable {
    /// The kind to evict from; for dead letters, unused (`.status`).
    public var kind: OutboxKind
    /// Whether to evict from the dead letters (all kinds, oldest first) rather than the queue of `kind`.
    public var isDeadLetters: Bool
    /// Remove every item queued (dead letter: dead-lettered) before this time; `nil` for no age rule.
    public var createdBefore: Date?
    /// Remove the oldest items until at least this many bytes are freed; 0 for no byte rule.
    public var bytesToFree: Int

    /// Creates an eviction order for the queue of `kind`.
    public init(kind: OutboxKind, createdBefore: Date? = nil, bytesToFree: Int = 0) {
        self.kind = kind
        self.isDeadLetters = false
        self.createdBefore = createdBefore
        self.bytesToFree = bytesToFree
    }

    /// An eviction order for the dead letters: those dead-lettered before `createdBefore` (they expired), or
    /// the oldest until `bytesToFree` bytes are freed.
    public static func deadLetters(createdBefore: Date? = nil, bytesToFree: Int = 0) -> OutboxEviction {
        var eviction = OutboxEviction(kind: .status, createdBefore: createdBefore, bytesToFree: bytesToFree)
        eviction.isDeadLetters = true
        return eviction
    }

    /// `"status"`, `"alert"` or `"dead_letter"`: the counter and log name of what is evicted.
    public var target: String { isDeadLetters ? "dead_letter" : kind.rawValue }
}

/// Why an item was moved to the dead-letter table instead of being delivered: the registry said its body
/// is wrong (400, 413 or 422, `UplinkFault.isBodyFault`).
public struct DeadLetterReason: Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status the registry answered with: 400, 413 or 422.
    public var statusCode: Int
    /// The registry's own words (`RegistryRefusal.detail`), when it gave any.
    public var detail: String?

    /// Creates a reason for a rejection with `statusCode`.
    public init(rejectedWith statusCode: Int, detail: String? = nil) {
        self.statusCode = statusCode
        self.detail = detail
    }

    public var description: String {
        "rejected by the registry with HTTP \(statusCode)" + (detail.map { ": \($0)" } ?? "")
    }
}
