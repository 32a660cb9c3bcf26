extension OutboxPolicy {
    /// Knobs of the outbox: batch sizes, retry back-off and bounds. Defaults are site policy; each field says
    /// its unit and range.
    public struct Configuration: Sendable, Hashable {
        /// How large one request may be.
        public struct Batch: Sendable, Hashable {
            /// Most entries in one request, 1 or more. The default is 100.
            public var maximumCount: Int
            /// Most payload bytes in one request; a single larger entry still goes alone. The default is 1 MiB.
            public var maximumBytes: Int

            /// Creates batch limits with the defaults.
            public init(maximumCount: Int = 100, maximumBytes: Int = 1 << 20) {
                precondition(maximumCount >= 1 && maximumBytes >= 1, "batch limits must be positive")
                self.maximumCount = maximumCount
                self.maximumBytes = maximumBytes
            }
        }

        /// Exponential back-off with jitter for retryable failures (DESIGN §4: network and TLS errors, 408,
        /// 429, 5xx).
        public struct Retry: Sendable, Hashable {
            /// Delay after the first failure. The default is 1 second.
            public var initialBackoff: Duration
            /// Cap on the delay. The default is 5 minutes.
            public var maximumBackoff: Duration
            /// Growth factor per further failure, 1 or more. The default is 2.
            public var multiplier: Double
            /// Fraction of the delay removed at random, 0...1: the delay is `d·(1 − jitter·r)`, r uniform in
            /// [0, 1) from the policy's random source. The default is 0.2.
            public var jitter: Double
            /// Cap on an honoured `Retry-After`. The default is 1 hour.
            public var maximumRetryAfter: Duration
            /// Delay before the first retry while the outbox is held by a configuration fault
            /// (`UplinkFault`): slow, because only a person's fix helps, and a reload (SIGHUP), a restart or a
            /// heartbeat that gets through retries at once anyway. The default is 1 minute.
            public var holdInitialBackoff: Duration
            /// Cap on the delay between retries while held. The default is 15 minutes.
            public var holdMaximumBackoff: Duration

            /// Creates a retry policy with the defaults.
            public init(
                initialBackoff: Duration = .seconds(1), maximumBackoff: Duration = .seconds(300),
                multiplier: Double = 2, jitter: Double = 0.2, maximumRetryAfter: Duration = .seconds(3600),
                holdInitialBackoff: Duration = .seconds(60), holdMaximumBackoff: Duration = .seconds(900)
            ) {
                precondition(multiplier >= 1 && (0...1).contains(jitter), "multiplier ≥ 1, jitter in 0...1")
                self.initialBackoff = initialBackoff
                self.maximumBackoff = maximumBackoff
                self.multiplier = multiplier
                self.jitter = jitter
                self.maximumRetryAfter = maximumRetryAfter
                self.holdInitialBackoff = holdInitialBackoff
                self.holdMaximumBackoff = holdMaximumBackoff
            }
        }

        /// Bounds on what the outbox keeps (DESIGN §7: bounded in bytes and age, telemetry evicted first;
        /// issue 12 item 7: dead letters inside the bound, and they expire).
        public struct Limits: Sendable, Hashable {
            /// Most payload bytes kept, all kinds, dead letters included. The store returns freed pages to the
            /// file system (incremental vacuum), so the file follows this bound. The default is 64 MiB.
            public var maximumBytes: Int
            /// Status reports older than this are evicted. The default is 7 days.
            public var maximumStatusAge: Duration
            /// Alert events older than this are evicted. The default is 30 days.
            public var maximumAlertAge: Duration
            /// Dead letters are removed (and counted) this long after they became dead letters: time enough
            /// for a person to look at them with `shelter-agent outbox list`. The default is 30 days.
            public var maximumDeadLetterAge: Duration

            /// Creates bounds with the defaults.
            public init(
                maximumBytes: Int = 64 << 20, maximumStatusAge: Duration = .seconds(7 * 86_400),
                maximumAlertAge: Duration = .seconds(30 * 86_400),
                maximumDeadLetterAge: Duration = .seconds(30 * 86_400)
            ) {
                self.maximumBytes = maximumBytes
                self.maximumStatusAge = maximumStatusAge
                self.maximumAlertAge = maximumAlertAge
                self.maximumDeadLetterAge = maximumDeadLetterAge
            }

            /// The age bound for `kind`.
            public func maximumAge(of kind: OutboxKind) -> Duration {
                kind == .alert ? maximumAlertAge : maximumStatusAge
            }
        }

        /// Request size limits.
        public var batch: Batch
        /// Back-off for retryable failures.
        public var retry: Retry
        /// Byte and age bounds.
        public var limits: Limits

        /// Creates a configuration; every group defaults to its defaults.
        public init(batch: Batch = Batch(), retry: Retry = Retry(), limits: Limits = Limits()) {
            self.batch = batch
            self.retry = retry
            self.limits = limits
        }
    }
}
