import Foundation
import Logging
import ServiceLifecycle

/// The registry's periodic upkeep, one pass at start (`start()`, once the schema is migrated) and then every
/// `interval`: storage prepared ahead (`RegistryStore.prepareStorage`: PostgreSQL's month partitions) and,
/// when `retention` is set, retention (`RegistryStore.prune`: heartbeats, reports and closed alerts older
/// than `retention`, never what an open alert refers to). Several instances on one database may all run
/// it: each pass is idempotent.
///
/// A failed pass is logged and retried at the next interval; it never stops the registry.
struct RegistryMaintenance: Service {
    var store: any RegistryStore
    /// How long received data is kept; `nil` keeps everything.
    var retention: Duration?
    /// Time between passes. The default is one hour.
    var interval: Duration = .seconds(3600)
    var logger: Logger
    private let started: AsyncStream<Void>
    private let startedContinuation: AsyncStream<Void>.Continuation

    init(store: any RegistryStore, retention: Duration?, interval: Duration = .seconds(3600), logger: Logger) {
        self.store = store
        self.retention = retention
        self.interval = interval
        self.logger = logger
        (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
    }

    /// The first pass, run by the registry once its schema is migrated and before it serves; the periodic
    /// passes begin after it.
    func start(at now: Date) async {
        await pass(at: now)
        startedContinuation.yield()
        startedContinuation.finish()
    }

    func run() async throws {
        let interval = self.interval
        var isStarted = false
        for await _ in started.cancelOnGracefulShutdown() {
            isStarted = true
            break
        }
        guard isStarted else { return }
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return  // cancelled: the registry is stopping
            }
            await pass(at: Date())
        }
    }

    /// One pass at `now`; returns what retention deleted (zero counts without retention).
    @discardableResult
    func pass(at now: Date) async -> PruneCounts {
        do {
            let created = try await store.prepareStorage(at: now)
            if !created.isEmpty { logger.info("storage prepared", metadata: ["created": "\(created)"]) }
        } catch {
            logger.error("preparing storage failed", metadata: ["error": "\(error)"])
        }
        guard let retention else { return PruneCounts() }
        let (seconds, attoseconds) = retention.components
        let cutoff = now.addingTimeInterval(-(Double(seconds) + Double(attoseconds) / 1e18))
        do {
            let pruned = try await store.prune(before: cutoff)
            logger.info(
                "retention applied",
                metadata: [
                    "retention.heartbeats": "\(pruned.heartbeats)", "retention.reports": "\(pruned.reports)",
                    "retention.alert_events": "\(pruned.alertEvents)", "retention.alerts": "\(pruned.alerts)",
                ])
            return pruned
        } catch {
            logger.error("retention failed", metadata: ["error": "\(error)"])
            return PruneCounts()
        }
    }
}
