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

    /// Creates a snapshot. Both queues default to empty.
    public init(alerts: Queue = .empty, status: Queue = .empty) {
        self.alerts = alerts
        self.status = status
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

    /// Total queued bytes, all kinds.
    public var byteCount: Int { alerts.byteCount + status.byteCount }
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

/// What to remove when the outbox is over a bound: the oldest items of one kind.
public struct OutboxEviction: Sendable, Hashable {
    /// The kind to evict from.
    public var kind: OutboxKind
    /// Remove every item of `kind` queued before this time; `nil` for no age rule.
    public var createdBefore: Date?
    /// Remove the oldest items of `kind` until at least this many bytes are freed; 0 for no byte rule.
    public var bytesToFree: Int

    /// Creates an eviction order.
    public init(kind: OutboxKind, createdBefore: Date? = nil, bytesToFree: Int = 0) {
        self.kind = kind
        self.createdBefore = createdBefore
        self.bytesToFree = bytesToFree
    }
}

/// Why an item was moved to the dead-letter table instead of being delivered.
public struct DeadLetterReason: Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status the registry answered with (a 4xx other than 408 and 429).
    public var statusCode: Int

    /// Creates a reason for a rejection with `statusCode`.
    public init(rejectedWith statusCode: Int) {
        self.statusCode = statusCode
    }

    public var description: String { "rejected by the registry with HTTP \(statusCode)" }
}
