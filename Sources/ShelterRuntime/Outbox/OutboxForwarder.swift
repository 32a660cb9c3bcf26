public import FoundationEssentials
public import Logging
public import ServiceLifecycle
public import ShelterCore

/// The service that drains the outbox to the registry: it asks the `OutboxPolicy` what to do, sends batches as
/// JSON arrays through the `RegistryTransport`, deletes what was delivered, backs off, and dead-letters what the
/// registry refuses.
///
/// - Important: On graceful shutdown the batch in flight is finished and its outcome recorded before `run()`
///   returns, so nothing is sent twice needlessly and nothing is marked sent that was not. Waiting is cancelled
///   at once.
public struct OutboxForwarder: Service {
    private let store: SQLiteOutboxStore
    private let transport: any RegistryTransport
    private let shelterId: String
    private let policy: OutboxPolicy
    private let logger: Logger
    private let now: @Sendable () -> Date

    /// Creates the forwarder.
    ///
    /// - Parameters:
    ///   - store: the outbox to drain.
    ///   - transport: posts to the registry.
    ///   - shelterId: the shelter id used in the endpoint paths; must be URL-path safe.
    ///   - policy: batching, back-off and bounds.
    ///   - logger: info on delivery state changes, warnings on dead letters.
    ///   - now: the wall clock. The default is `Date.init`.
    public init(
        store: SQLiteOutboxStore, transport: any RegistryTransport, shelterId: String,
        policy: OutboxPolicy = OutboxPolicy(), logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.transport = transport
        self.shelterId = shelterId
        self.policy = policy
        self.logger = logger
        self.now = now
    }

    /// Runs until graceful shutdown or cancellation.
    ///
    /// - Throws: `OutboxStoreError` when the database fails; the service group then shuts the agent down.
    public func run() async throws {
        var policy = self.policy
        var isFailing = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let snapshot = try await store.snapshot(headLimit: policy.configuration.batch.maximumCount)
            switch policy.nextAction(snapshot, now: now()) {
            case .evict(let eviction):
                if try await store.evict(eviction) == 0 {
                    // Should not happen (the policy only evicts what the snapshot shows); do not spin if it does.
                    logger.error("outbox eviction removed nothing", metadata: ["outbox.kind": "\(eviction.kind.rawValue)"])
                    let store = self.store
                    await cancelWhenGracefulShutdown { await store.waitForEnqueue(timeout: .seconds(1)) }
                }
            case .wait(let until):
                let timeout = until.map { Duration.milliseconds(max(0, $0.unixMilliseconds - now().unixMilliseconds)) }
                let store = self.store
                await cancelWhenGracefulShutdown { await store.waitForEnqueue(timeout: timeout) }
            case .send(let batch):
                let completion = try await send(batch, policy: &policy)
                isFailing = logTransition(completion, wasFailing: isFailing)
            }
        }
    }

    /// Sends one batch and records its outcome; runs to the end even during graceful shutdown.
    private func send(_ batch: OutboxBatch, policy: inout OutboxPolicy) async throws -> OutboxPolicy.Completion {
        let payloads = try await store.payloads(for: batch)
        let outcome = await transport.post(
            path: batch.kind.registryPath(shelterId: shelterId), body: Self.jsonArray(payloads))
        let completion = policy.batchFinished(batch, outcome: outcome, now: now())
        try await store.apply(completion, now: now())
        logger.trace(
            "outbox batch sent",
            metadata: [
                "outbox.kind": "\(batch.kind.rawValue)", "outbox.batch_size": "\(batch.entries.count)",
                "outbox.outcome": "\(outcome)",
            ])
        return completion
    }

    private func logTransition(_ completion: OutboxPolicy.Completion, wasFailing: Bool) -> Bool {
        switch completion {
        case .acknowledge:
            if wasFailing { logger.info("registry accepts batches again") }
            return false
        case .retry(let batch, let notBefore):
            if !wasFailing {
                logger.info(
                    "registry unreachable or busy, backing off",
                    metadata: ["outbox.kind": "\(batch.kind.rawValue)", "outbox.retry_at": "\(notBefore)"])
            }
            return true
        case .deadLetter(let batch, let reason):
            logger.warning(
                "registry refused an item, kept as dead letter",
                metadata: ["outbox.id": "\(batch.ids.joined(separator: ","))", "outbox.reason": "\(reason)"])
            return wasFailing
        case .resendIndividually(let batch):
            logger.info(
                "registry refused a batch, resending its items one by one",
                metadata: ["outbox.kind": "\(batch.kind.rawValue)", "outbox.batch_size": "\(batch.entries.count)"])
            return wasFailing
        }
    }

    /// Joins JSON payloads into one JSON array: `[p1,p2,…]`.
    static func jsonArray(_ payloads: [[UInt8]]) -> [UInt8] {
        var body: [UInt8] = [UInt8(ascii: "[")]
        body.reserveCapacity(payloads.reduce(2) { $0 + $1.count + 1 })
        for (index, payload) in payloads.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: payload)
        }
        body.append(UInt8(ascii: "]"))
        return body
    }
}
