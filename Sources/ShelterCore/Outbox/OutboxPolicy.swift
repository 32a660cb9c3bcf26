public import FoundationEssentials

/// Decides what the forwarder does next with the outbox: send a batch, wait, evict over-bound items, and what to
/// do with a batch once the registry has answered.
///
/// A pure state machine in the style of async-http-client's: feed it a snapshot or an outcome with the current
/// time, get an action back. It does no I/O and reads no clock. Delivery history (attempts, next attempt time)
/// lives in the entries, so a restarted agent keeps backing off where it left off.
///
/// Rules (issue 6, DESIGN §4 and §7, issue 12 items 3 and 7, issue 11 item 2):
/// - over a bound first: evict status reports older than their age bound, then alerts older than theirs, then
///   expired dead letters; then, while over the byte bound (dead letters count), the oldest status reports,
///   then the oldest dead letters, alerts only when nothing else is left;
/// - then alerts before status reports, each kind oldest first, in batches of one kind (one endpoint);
/// - 2xx: delete; network/TLS failure, 408, 429 and 5xx: retry after exponential back-off with jitter, or after
///   `Retry-After` when given; a request abandoned because the registry answered again elsewhere: at once;
/// - 400, 413, 422 (the body is wrong, `UplinkFault.isBodyFault`): dead letter. A batch of several rejected so
///   is resent one entry at a time so only the bad entries become dead letters;
/// - any other answer is a configuration fault (`UplinkFault`: redirect, 401, 403, 404, a 400 about the
///   gateway's identity, a protocol mismatch): nothing is dead-lettered, the batch is held and retried on the
///   slow hold back-off (or at once after a reload or when a heartbeat gets through);
/// - back-off holds for the whole registry: nothing is sent until the head of every queue is due, so after an
///   outage alerts still go first. A registry that keeps failing alerts while it would accept status reports
///   therefore also holds the status reports back (they stay queued, within the bounds).
///
/// Not thread-safe (a value type); owned by one forwarder.
public struct OutboxPolicy: Sendable {
    /// What the forwarder should do next.
    public enum Action: Sendable, Hashable {
        /// Send these entries as one request to the batch kind's endpoint, then report the outcome with
        /// `batchFinished(_:outcome:now:)`.
        case send(OutboxBatch)
        /// Nothing is due: wait until this time, or until something is enqueued; `nil` means until something is
        /// enqueued.
        case wait(until: Date?)
        /// Remove these items to bring the outbox back within its bounds, then ask again.
        case evict(OutboxEviction)
    }

    /// What to do with a batch after the registry answered (or did not).
    public enum Completion: Sendable, Hashable {
        /// Delivered (2xx): delete the entries.
        case acknowledge(OutboxBatch)
        /// Retryable failure: keep the entries, count one more attempt and do not send them before `notBefore`.
        case retry(OutboxBatch, notBefore: Date)
        /// Rejected for good: move the entries to the dead-letter table with the reason.
        case deadLetter(OutboxBatch, reason: DeadLetterReason)
        /// A configuration fault: keep the entries, count one more attempt, do not send anything before
        /// `notBefore`, and say why the outbox is held (log, heartbeat, `status`).
        case hold(OutboxBatch, fault: UplinkFault, notBefore: Date)
        /// Rejected as a whole: keep the entries unchanged; the policy now sends them one at a time to find
        /// which ones the registry refuses.
        case resendIndividually(OutboxBatch)
    }

    /// The knobs in force.
    public let configuration: Configuration
    private var random: any RandomNumberGenerator & Sendable
    /// Per kind: entries still to send one at a time after a batch was rejected as a whole.
    private var individualSendsLeft: [OutboxKind: Int] = [:]

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - configuration: batch sizes, back-off and bounds.
    ///   - random: source of back-off jitter; tests pass a fixed sequence. The default is the system generator.
    public init(
        configuration: Configuration = Configuration(),
        random: any RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()
    ) {
        self.configuration = configuration
        self.random = random
    }

    /// Decides the next step for the outbox as it is now.
    ///
    /// - Parameters:
    ///   - snapshot: queue totals and heads (each head at least `configuration.batch.maximumCount` long when the
    ///     queue is).
    ///   - now: the current wall-clock time.
    /// - Returns: an eviction while over a bound, else a batch to send, else how long to wait.
    public mutating func nextAction(_ snapshot: OutboxSnapshot, now: Date) -> Action {
        if let eviction = eviction(snapshot, now: now) { return .evict(eviction) }
        // Back-off is registry-wide: the registry is one server behind one connection, and a kind that is still
        // backing off must not be overtaken by a lower-priority kind once the registry answers again.
        let heads = OutboxKind.sendOrder.compactMap { snapshot[$0].head.first }
        if let readyAt = heads.compactMap(\.notBefore).max(), readyAt > now {
            return .wait(until: readyAt)
        }
        guard let kind = heads.first?.kind else { return .wait(until: nil) }
        return .send(batch(of: kind, from: snapshot[kind].head))
    }

    /// Decides what to do with a batch after its request ended.
    ///
    /// - Parameters:
    ///   - batch: the batch returned by the last `.send`.
    ///   - outcome: the HTTP status (with `Retry-After`), or the failure.
    ///   - now: the current wall-clock time.
    public mutating func batchFinished(_ batch: OutboxBatch, outcome: TransportOutcome, now: Date) -> Completion {
        switch outcome {
        case .response(let status, _, _) where (200..<300).contains(status):
            countIndividualSend(batch)
            return .acknowledge(batch)
        case .response(let status, let retryAfter, _) where Self.isRetryable(status: status):
            return .retry(batch, notBefore: now + retryDelay(after: batch, retryAfter: retryAfter))
        case .response(let status, _, let refusal):
            let request = "\(batch.kind.endpointSegment) upload"
            if let fault = UplinkFault.classify(statusCode: status, refusal: refusal, request: request) {
                return .hold(batch, fault: fault, notBefore: now + holdDelay(after: batch))
            }
            if batch.entries.count > 1 {
                individualSendsLeft[batch.kind] = batch.entries.count
                return .resendIndividually(batch)
            }
            countIndividualSend(batch)
            return .deadLetter(batch, reason: DeadLetterReason(rejectedWith: status, detail: refusal?.detail))
        case .failed(let failure) where failure.kind == .abandoned:
            return .retry(batch, notBefore: now)
        case .failed:
            return .retry(batch, notBefore: now + retryDelay(after: batch, retryAfter: nil))
        }
    }

    /// Whether an HTTP status is worth retrying: 408, 429 and 5xx (DESIGN §4). Other non-2xx statuses are a
    /// body fault (dead letter) or a configuration fault (hold): see `UplinkFault`.
    public static func isRetryable(status: Int) -> Bool { UplinkFault.isRetryable(statusCode: status) }

    /// The back-off before attempt `attempts + 1`, given `attempts` failures so far (1 or more), with the jitter
    /// fraction `r` in [0, 1).
    public func backoff(afterFailures attempts: Int, jitterFraction r: Double) -> Duration {
        let retry = configuration.retry
        // The one back-off formula of the agent (`BackoffPolicy`), with the outbox's knobs.
        return BackoffPolicy(
            initialDelay: retry.initialBackoff, maximumDelay: retry.maximumBackoff, multiplier: retry.multiplier,
            jitter: retry.jitter
        ).delay(afterFailures: attempts, unitRandom: r)
    }

    /// The hold back-off after `attempts` failed attempts: `holdInitialBackoff` doubling to
    /// `holdMaximumBackoff`, no jitter (one gateway, one person fixing it). The same formula as `backoff`.
    public func holdBackoff(afterFailures attempts: Int) -> Duration {
        let retry = configuration.retry
        return BackoffPolicy(
            initialDelay: retry.holdInitialBackoff, maximumDelay: retry.holdMaximumBackoff, multiplier: 2, jitter: 0
        ).delay(afterFailures: attempts, unitRandom: 0)
    }

    private func holdDelay(after batch: OutboxBatch) -> Duration {
        holdBackoff(afterFailures: (batch.entries.map(\.attempts).max() ?? 0) + 1)
    }

    private mutating func retryDelay(after batch: OutboxBatch, retryAfter: Duration?) -> Duration {
        if let retryAfter {
            return min(max(retryAfter, .zero), configuration.retry.maximumRetryAfter)
        }
        let failures = (batch.entries.map(\.attempts).max() ?? 0) + 1
        return backoff(afterFailures: failures, jitterFraction: nextUnitInterval())
    }

    private mutating func nextUnitInterval() -> Double {
        Double(random.next() >> 11) * 0x1p-53
    }

    private mutating func countIndividualSend(_ batch: OutboxBatch) {
        guard let left = individualSendsLeft[batch.kind] else { return }
        individualSendsLeft[batch.kind] = left > batch.entries.count ? left - batch.entries.count : nil
    }

    private func batch(of kind: OutboxKind, from head: [OutboxEntry]) -> OutboxBatch {
        let limit = individualSendsLeft[kind] == nil ? configuration.batch.maximumCount : 1
        var entries: [OutboxEntry] = []
        var bytes = 0
        for entry in head.prefix(limit) {
            if !entries.isEmpty && bytes + entry.byteCount > configuration.batch.maximumBytes { break }
            entries.append(entry)
            bytes += entry.byteCount
        }
        return OutboxBatch(kind: kind, entries: entries)
    }

    private func eviction(_ snapshot: OutboxSnapshot, now: Date) -> OutboxEviction? {
        let limits = configuration.limits
        for kind in OutboxKind.evictionOrder {
            let cutoff = now - limits.maximumAge(of: kind)
            if let oldest = snapshot[kind].oldestCreatedAt, oldest < cutoff {
                return OutboxEviction(kind: kind, createdBefore: cutoff)
            }
        }
        let deadCutoff = now - limits.maximumDeadLetterAge
        if let oldest = snapshot.deadLetters.oldestCreatedAt, oldest < deadCutoff {
            return .deadLetters(createdBefore: deadCutoff)
        }
        let excess = snapshot.byteCount - limits.maximumBytes
        guard excess > 0 else { return nil }
        // Telemetry first, then what the registry refused, live alerts last.
        if snapshot.status.byteCount > 0 {
            return OutboxEviction(kind: .status, bytesToFree: min(excess, snapshot.status.byteCount))
        }
        if snapshot.deadLetters.byteCount > 0 {
            return .deadLetters(bytesToFree: min(excess, snapshot.deadLetters.byteCount))
        }
        if snapshot.alerts.byteCount > 0 {
            return OutboxEviction(kind: .alert, bytesToFree: min(excess, snapshot.alerts.byteCount))
        }
        return nil
    }
}

extension Date {
    static func + (date: Date, duration: Duration) -> Date {
        date.addingTimeInterval(duration.inSeconds)
    }

    static func - (date: Date, duration: Duration) -> Date {
        date.addingTimeInterval(-duration.inSeconds)
    }
}
