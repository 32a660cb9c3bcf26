public import FoundationEssentials
public import Logging
public import ServiceLifecycle
public import ShelterCore

/// The service that drains the outbox to the registry: it asks the `OutboxPolicy` what to do, sends batches as
/// JSON arrays through the `RegistryTransport`, deletes what was delivered, backs off, dead-letters what the
/// registry refuses as wrong, and holds everything when the registry refuses the gateway itself (`UplinkFault`).
/// While the registry accepts batches and no status report is queued in the file, new status reports go
/// straight from the store's hand-off, and only those not acknowledged are written (`SQLiteOutboxStore`).
///
/// - Important: On graceful shutdown the batch in flight is finished and its outcome recorded before `run()`
///   returns, so nothing is sent twice needlessly and nothing is marked sent that was not. Waiting is cancelled
///   at once.
public struct OutboxForwarder: Service {
    private let store: SQLiteOutboxStore
    private let transport: any RegistryTransport
    private let shelterId: String
    private let policy: OutboxPolicy
    private let idleRecheck: Duration
    private let logger: Logger
    private let now: @Sendable () -> Date

    /// Creates the forwarder.
    ///
    /// - Parameters:
    ///   - store: the outbox to drain.
    ///   - transport: posts to the registry.
    ///   - shelterId: the shelter id used in the endpoint paths; must be URL-path safe.
    ///   - policy: batching, back-off and bounds.
    ///   - idleRecheck: longest wait with nothing due before the forwarder looks at the queue again, so a dead
    ///     letter put back by `shelter-agent outbox retry` (another process) is sent. The default is 30 s.
    ///   - logger: info on delivery state changes, warnings on dead letters, errors on configuration faults.
    ///   - now: the wall clock. The default is `Date.init`.
    public init(
        store: SQLiteOutboxStore, transport: any RegistryTransport, shelterId: String,
        policy: OutboxPolicy = OutboxPolicy(), idleRecheck: Duration = .seconds(30), logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.transport = transport
        self.shelterId = shelterId
        self.policy = policy
        self.idleRecheck = idleRecheck
        self.logger = logger
        self.now = now
    }

    /// Where delivery stands, for logging state changes once.
    private enum Delivery: Equatable {
        case delivering
        case failing
        case held(String)
    }

    /// Runs until graceful shutdown or cancellation.
    ///
    /// A hold left by an earlier run is released first: the agent was restarted or reloaded (SIGHUP), perhaps
    /// with the fix, so the held items are tried at once.
    /// - Throws: `OutboxStoreError` when the database fails; the service group then shuts the agent down.
    public func run() async throws {
        var policy = self.policy
        var delivery = Delivery.delivering
        if let hold = try await store.releaseHold() {
            logger.info(
                "outbox hold released at start or reload, sending again", metadata: ["error": "\(hold.message)"])
        }
        store.setSendsDirectly(true)
        defer { store.setSendsDirectly(false) }
        let limits = policy.configuration.batch
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let snapshot = try await store.snapshot(headLimit: limits.maximumCount)
            switch policy.nextAction(snapshot, now: now()) {
            case .evict(let eviction):
                if try await store.evict(eviction) == 0 {
                    // Should not happen (the policy only evicts what the snapshot shows); do not spin if it does.
                    logger.error("outbox eviction removed nothing", metadata: ["outbox.kind": "\(eviction.target)"])
                    let store = self.store
                    await cancelWhenGracefulShutdown { await store.waitForEnqueue(timeout: .seconds(1)) }
                }
            case .wait(let until):
                // Nothing queued is due. New reports go directly while the registry accepts and none is queued
                // (the registry still gets them oldest first).
                let reports =
                    delivery == .delivering && snapshot.status.count == 0
                    ? store.takeReportsToSendDirectly(
                        maximumCount: limits.maximumCount, maximumBytes: limits.maximumBytes) : []
                if !reports.isEmpty {
                    let batch = OutboxBatch(kind: .status, entries: reports.map(\.entry))
                    let (outcome, completion) = try await send(
                        batch, payloads: reports.map(\.payload), policy: &policy, queued: false)
                    delivery = logTransition(completion, outcome: outcome, from: delivery)
                    break
                }
                // Give pages freed by deliveries and evictions back to the file system first.
                while !Task.isCancelled, try await store.reclaimSpace() {}
                let timeout = until.map {
                    min(Duration.milliseconds(max(0, $0.unixMilliseconds - now().unixMilliseconds)), idleRecheck)
                }
                let store = self.store
                await cancelWhenGracefulShutdown { await store.waitForEnqueue(timeout: timeout ?? idleRecheck) }
            case .send(let batch):
                let payloads = try await store.payloads(for: batch)
                let (outcome, completion) = try await send(batch, payloads: payloads, policy: &policy, queued: true)
                delivery = logTransition(completion, outcome: outcome, from: delivery)
            }
            store.setSendsDirectly(delivery == .delivering)
        }
    }

    /// Sends one batch and records its outcome; runs to the end even during graceful shutdown. A `retryNow()`
    /// on the store (a heartbeat got through) cuts a hanging request short, and the batch goes again at once.
    /// `queued`: the batch is in the file (`false`: reports taken from the hand-off to send directly).
    private func send(
        _ batch: OutboxBatch, payloads: [[UInt8]], policy: inout OutboxPolicy, queued: Bool
    ) async throws
        -> (TransportOutcome, OutboxPolicy.Completion)
    {
        let (path, body) = (batch.kind.registryPath(shelterId: shelterId), Self.jsonArray(payloads))
        let (store, transport) = (self.store, self.transport)
        store.resetRetryNow()
        let outcome = await withTaskGroup(of: TransportOutcome?.self) { group -> TransportOutcome in
            group.addTask { await transport.post(path: path, body: body) }
            group.addTask {
                await store.waitForRetryNow()
                return nil
            }
            while let next = await group.next() {
                // The post's outcome ends the race; the retry signal (nil) cancels the post, whose outcome
                // (abandoned, or its answer if it came first) is then awaited.
                group.cancelAll()
                if let next { return next }
            }
            return .failed(TransportFailure(kind: .abandoned, message: "the request was cancelled"))
        }
        let completion = policy.batchFinished(batch, outcome: outcome, now: now())
        if queued {
            try await store.apply(completion, now: now())
        } else {
            try await store.finishDirectSend(completion, now: now())
        }
        logger.trace(
            "outbox batch sent",
            metadata: [
                "outbox.kind": "\(batch.kind.rawValue)", "outbox.batch_size": "\(batch.entries.count)",
                "outbox.outcome": "\(Self.describe(outcome, batch: batch))",
            ])
        return (outcome, completion)
    }

    private func logTransition(
        _ completion: OutboxPolicy.Completion, outcome: TransportOutcome, from delivery: Delivery
    ) -> Delivery {
        switch completion {
        case .acknowledge:
            if delivery != .delivering { logger.info("registry accepts batches again") }
            return .delivering
        case .retry(let batch, let notBefore):
            if delivery == .delivering {
                logger.info(
                    "registry unreachable or busy, backing off",
                    metadata: [
                        "outbox.kind": "\(batch.kind.rawValue)", "outbox.retry_at": "\(notBefore)",
                        "error": "\(Self.describe(outcome, batch: batch))",
                    ])
            }
            return delivery == .delivering ? .failing : delivery
        case .hold(let batch, let fault, let notBefore):
            if delivery != .held(fault.message) {
                logger.error(
                    "registry refused the gateway: outbox held until the configuration is fixed, nothing dead-lettered",
                    metadata: [
                        "outbox.kind": "\(batch.kind.rawValue)", "http.status": "\(fault.statusCode)",
                        "uplink.fault": "\(fault.kind)", "outbox.retry_at": "\(notBefore)", "error": "\(fault.message)",
                    ])
            }
            return .held(fault.message)
        case .deadLetter(let batch, let reason):
            logger.warning(
                "registry refused an item as wrong, kept as dead letter (shelter-agent outbox show ID)",
                metadata: ["outbox.id": "\(batch.ids.joined(separator: ","))", "outbox.reason": "\(reason)"])
            return delivery
        case .resendIndividually(let batch):
            logger.info(
                "registry refused a batch, resending its items one by one",
                metadata: [
                    "outbox.kind": "\(batch.kind.rawValue)", "outbox.batch_size": "\(batch.entries.count)",
                    "error": "\(Self.describe(outcome, batch: batch))",
                ])
            return delivery
        }
    }

    /// The outcome in words for the log: the registry's sentence for an answer, the failure otherwise.
    static func describe(_ outcome: TransportOutcome, batch: OutboxBatch) -> String {
        switch outcome {
        case .response(let status, _, let refusal):
            UplinkFault.sentence(
                statusCode: status, refusal: refusal, request: "\(batch.kind.endpointSegment) upload")
        case .failed(let failure):
            "\(failure)"
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
