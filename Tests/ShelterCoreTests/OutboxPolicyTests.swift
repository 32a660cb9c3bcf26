import FoundationEssentials
import ShelterCore
import Testing
import ShelterTesting

@Suite("OutboxPolicy")
struct OutboxPolicyTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func entry(
        _ id: String, _ kind: OutboxKind, age: Duration = .zero, bytes: Int = 100, attempts: Int = 0,
        notBefore: Date? = nil
    ) -> OutboxEntry {
        OutboxEntry(
            id: id, kind: kind, createdAt: t0.addingTimeInterval(-Double(age.components.seconds)), byteCount: bytes,
            attempts: attempts, notBefore: notBefore)
    }

    func queue(_ entries: [OutboxEntry]) -> OutboxSnapshot.Queue {
        OutboxSnapshot.Queue(
            count: entries.count, byteCount: entries.reduce(0) { $0 + $1.byteCount },
            oldestCreatedAt: entries.map(\.createdAt).min(), head: entries)
    }

    func policy(
        batch: OutboxPolicy.Configuration.Batch = .init(maximumCount: 3, maximumBytes: 1000),
        limits: OutboxPolicy.Configuration.Limits = .init(), random: SequenceRandom = .zero
    ) -> OutboxPolicy {
        OutboxPolicy(
            configuration: .init(
                batch: batch,
                retry: .init(initialBackoff: .seconds(1), maximumBackoff: .seconds(60), multiplier: 2, jitter: 0.2),
                limits: limits),
            random: random)
    }

    @Test("an empty outbox waits for the next enqueue")
    func emptyWaits() {
        var policy = policy()
        #expect(policy.nextAction(OutboxSnapshot(), now: t0) == .wait(until: nil))
    }

    @Test("alerts go before older status reports; each batch holds one kind, oldest first, at most maximumCount")
    func alertsFirstThenOldestStatus() {
        var policy = policy()
        let status = (1...5).map { entry("s\($0)", .status, age: .seconds(100 - $0)) }
        let alerts = [entry("a1", .alert, age: .seconds(5)), entry("a2", .alert, age: .seconds(1))]
        var snapshot = OutboxSnapshot(alerts: queue(alerts), status: queue(status))

        guard case .send(let first) = policy.nextAction(snapshot, now: t0) else {
            Issue.record("expected a send")
            return
        }
        #expect(first.kind == .alert)
        #expect(first.ids == ["a1", "a2"])
        #expect(policy.batchFinished(first, outcome: .response(statusCode: 201), now: t0) == .acknowledge(first))

        snapshot.alerts = .empty
        guard case .send(let second) = policy.nextAction(snapshot, now: t0) else {
            Issue.record("expected a send")
            return
        }
        #expect(second.kind == .status)
        #expect(second.ids == ["s1", "s2", "s3"])
    }

    @Test("a batch stops before exceeding maximumBytes, but an oversized entry still goes alone")
    func batchByteLimit() {
        var policy = policy(batch: .init(maximumCount: 10, maximumBytes: 250))
        let entries = [entry("s1", .status, bytes: 100), entry("s2", .status, bytes: 100), entry("s3", .status)]
        guard case .send(let batch) = policy.nextAction(OutboxSnapshot(status: queue(entries)), now: t0) else {
            Issue.record("expected a send")
            return
        }
        #expect(batch.ids == ["s1", "s2"])

        let big = [entry("big", .status, bytes: 5000), entry("s4", .status)]
        guard case .send(let alone) = policy.nextAction(OutboxSnapshot(status: queue(big)), now: t0) else {
            Issue.record("expected a send")
            return
        }
        #expect(alone.ids == ["big"])
    }

    @Test("5xx retries after exponential back-off; jitter comes from the injected source; the cap holds")
    func serverErrorBacksOff() {
        var policy = policy(random: .half)
        for (attempts, expected) in [(0, 0.9), (1, 1.8), (2, 3.6), (3, 7.2), (6, 54.0), (7, 54.0), (20, 54.0)] {
            let batch = OutboxBatch(kind: .status, entries: [entry("s1", .status, attempts: attempts)])
            let completion = policy.batchFinished(batch, outcome: .response(statusCode: 503), now: t0)
            #expect(completion == .retry(batch, notBefore: t0.addingTimeInterval(expected)), "attempts \(attempts)")
        }
    }

    @Test("the back-off formula without jitter doubles from the initial delay up to the cap")
    func backoffFormula() {
        let policy = policy()
        let delays = (1...8).map { policy.backoff(afterFailures: $0, jitterFraction: 0) }
        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60].map { Duration.seconds($0) })
        #expect(policy.backoff(afterFailures: 1, jitterFraction: 1) == .milliseconds(800))
    }

    @Test(
        "408, 429, every 5xx and every transport failure are retried",
        arguments: [
            TransportOutcome.response(statusCode: 408), .response(statusCode: 429), .response(statusCode: 500),
            .response(statusCode: 502), .response(statusCode: 599),
            .failed(TransportFailure(kind: .network, message: "Connection refused")),
            .failed(TransportFailure(kind: .tls, message: "certificate verify failed")),
            .failed(TransportFailure(kind: .timeout, message: "Operation timed out")),
        ])
    func retryable(outcome: TransportOutcome) {
        var policy = policy()
        let batch = OutboxBatch(kind: .alert, entries: [entry("a1", .alert)])
        #expect(policy.batchFinished(batch, outcome: outcome, now: t0) == .retry(batch, notBefore: t0 + 1))
    }

    @Test("429 with Retry-After waits exactly that long, capped at maximumRetryAfter")
    func retryAfterHonoured() {
        var policy = policy(random: .half)
        let batch = OutboxBatch(kind: .status, entries: [entry("s1", .status, attempts: 4)])
        #expect(
            policy.batchFinished(batch, outcome: .response(statusCode: 429, retryAfter: .seconds(30)), now: t0)
                == .retry(batch, notBefore: t0 + 30))
        #expect(
            policy.batchFinished(batch, outcome: .response(statusCode: 503, retryAfter: .seconds(86_400)), now: t0)
                == .retry(batch, notBefore: t0 + 3600))
        #expect(TransportOutcome.retryAfter(parsing: " 120 ") == .seconds(120))
        #expect(TransportOutcome.retryAfter(parsing: "Wed, 21 Oct 2015 07:28:00 GMT") == nil)
        #expect(TransportOutcome.retryAfter(parsing: "-5") == nil)
    }

    @Test("after a failure nothing is sent until every head is due; then alerts go first")
    func waitsForHeadNotBefore() {
        var policy = policy()
        let retryAt = t0 + 10
        let alerts = queue([entry("a1", .alert, attempts: 1, notBefore: retryAt)])
        let status = queue([entry("s1", .status, attempts: 2, notBefore: t0 + 4), entry("s2", .status)])
        #expect(policy.nextAction(OutboxSnapshot(alerts: alerts), now: t0) == .wait(until: retryAt))
        #expect(policy.nextAction(OutboxSnapshot(alerts: alerts, status: status), now: t0 + 5) == .wait(until: retryAt))

        guard case .send(let first) = policy.nextAction(OutboxSnapshot(alerts: alerts, status: status), now: retryAt)
        else {
            Issue.record("expected a send once due")
            return
        }
        #expect(first.ids == ["a1"])
        #expect(policy.batchFinished(first, outcome: .response(statusCode: 200), now: retryAt) == .acknowledge(first))
        guard case .send(let second) = policy.nextAction(OutboxSnapshot(status: status), now: retryAt) else {
            Issue.record("expected a send")
            return
        }
        #expect(second.ids == ["s1", "s2"])
    }

    @Test("400 on a single entry makes a dead letter with the status")
    func rejectedSingleIsDeadLetter() {
        var policy = policy()
        let batch = OutboxBatch(kind: .alert, entries: [entry("a1", .alert)])
        #expect(
            policy.batchFinished(batch, outcome: .response(statusCode: 400), now: t0)
                == .deadLetter(batch, reason: DeadLetterReason(rejectedWith: 400)))
        #expect(DeadLetterReason(rejectedWith: 422).description == "rejected by the registry with HTTP 422")
    }

    @Test("400 on a batch resends its entries one at a time, dead-letters only the bad one, then batches again")
    func rejectedBatchIsSplit() {
        var policy = policy()
        var entries = (1...4).map { entry("s\($0)", .status) }
        let first = OutboxBatch(kind: .status, entries: Array(entries.prefix(3)))
        #expect(policy.nextAction(OutboxSnapshot(status: queue(entries)), now: t0) == .send(first))
        #expect(policy.batchFinished(first, outcome: .response(statusCode: 400), now: t0) == .resendIndividually(first))

        // s1 good, s2 bad, s3 good: three single sends.
        for (id, status) in [("s1", 202), ("s2", 400), ("s3", 200)] {
            let single = OutboxBatch(kind: .status, entries: [entries[0]])
            #expect(single.ids == [id])
            #expect(policy.nextAction(OutboxSnapshot(status: queue(entries)), now: t0) == .send(single))
            let completion = policy.batchFinished(single, outcome: .response(statusCode: status), now: t0)
            if status == 400 {
                #expect(completion == .deadLetter(single, reason: DeadLetterReason(rejectedWith: 400)))
            } else {
                #expect(completion == .acknowledge(single))
            }
            entries.removeFirst()
        }
        entries += [entry("s5", .status), entry("s6", .status)]
        guard case .send(let batched) = policy.nextAction(OutboxSnapshot(status: queue(entries)), now: t0) else {
            Issue.record("expected a send")
            return
        }
        #expect(batched.ids == ["s4", "s5", "s6"])
    }

    @Test("status reports past their age bound are evicted before anything is sent; alerts keep a longer bound")
    func ageEviction() {
        var policy = policy(limits: .init(maximumStatusAge: .seconds(3600), maximumAlertAge: .seconds(7200)))
        let status = queue([entry("old", .status, age: .seconds(4000)), entry("new", .status)])
        let alerts = queue([entry("a", .alert, age: .seconds(5000))])
        #expect(
            policy.nextAction(OutboxSnapshot(alerts: alerts, status: status), now: t0)
                == .evict(OutboxEviction(kind: .status, createdBefore: t0 - 3600)))
        let oldAlerts = queue([entry("a", .alert, age: .seconds(8000))])
        #expect(
            policy.nextAction(OutboxSnapshot(alerts: oldAlerts, status: queue([entry("new", .status)])), now: t0)
                == .evict(OutboxEviction(kind: .alert, createdBefore: t0 - 7200)))
    }

    @Test("over the byte bound the oldest status reports go first; alerts only when no status report is left")
    func byteEviction() {
        var policy = policy(limits: .init(maximumBytes: 1000))
        let alerts = queue([entry("a1", .alert, bytes: 600)])
        let status = queue([entry("s1", .status, bytes: 300), entry("s2", .status, bytes: 300)])
        #expect(
            policy.nextAction(OutboxSnapshot(alerts: alerts, status: status), now: t0)
                == .evict(OutboxEviction(kind: .status, bytesToFree: 200)))

        let smallStatus = queue([entry("s2", .status, bytes: 100)])
        let bigAlerts = queue([entry("a1", .alert, bytes: 600), entry("a2", .alert, bytes: 600)])
        #expect(
            policy.nextAction(OutboxSnapshot(alerts: bigAlerts, status: smallStatus), now: t0)
                == .evict(OutboxEviction(kind: .status, bytesToFree: 100)))
        #expect(
            policy.nextAction(OutboxSnapshot(alerts: bigAlerts), now: t0)
                == .evict(OutboxEviction(kind: .alert, bytesToFree: 200)))
    }

    @Test("attempts recorded in the entries drive the back-off after a restart")
    func backoffResumesFromStoredAttempts() {
        var policy = policy()
        let batch = OutboxBatch(kind: .status, entries: [entry("s1", .status, attempts: 3), entry("s2", .status)])
        #expect(
            policy.batchFinished(batch, outcome: .failed(.init(kind: .network, message: "down")), now: t0)
                == .retry(batch, notBefore: t0 + 8))
    }
}

extension Date {
    fileprivate static func + (date: Date, seconds: Double) -> Date { date.addingTimeInterval(seconds) }
    fileprivate static func - (date: Date, seconds: Double) -> Date { date.addingTimeInterval(-seconds) }
}
