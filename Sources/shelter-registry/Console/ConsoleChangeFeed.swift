import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Tells the console's open pages that something they show changed (issue 15 item 7): a report, an alert
/// event, a heartbeat, a lifecycle decision or an acknowledgement. Pages listen through server-sent events
/// (`GET /events`) and re-read themselves, so they update within a second or two without a reload.
///
/// On SQLite the feed is in-process. On PostgreSQL a change is published with `NOTIFY shelter_console` and
/// every instance's `ConsoleChangeListener` (`LISTEN`) passes it to its own subscribers, so a page served by
/// one instance hears a report that another instance stored. Thread-safe.
final class ConsoleChangeFeed: Sendable {
    /// What changed; the event name on the wire.
    enum Change: String, Sendable {
        case report, alert, heartbeat, lifecycle, acknowledgement
    }

    /// The PostgreSQL channel.
    static let channel = "shelter_console"

    private let subscribers = Mutex<(next: Int, continuations: [Int: AsyncStream<Change>.Continuation])>(
        (0, [:]))
    private let postgres: PostgresRegistryStore?
    private let lastHeartbeat = Mutex<ContinuousClock.Instant?>(nil)
    private let logger: Logger

    /// - Parameter postgres: the store to `NOTIFY` through; `nil` for in-process delivery (SQLite).
    init(postgres: PostgresRegistryStore?, logger: Logger) {
        self.postgres = postgres
        self.logger = logger
    }

    /// Announces a change to every subscriber of every instance. Never throws: a lost notification only
    /// delays a page until the next one.
    /// Heartbeats (one per gateway every 30 s: hundreds a second in a city) are passed on at most once a second
    /// per instance; the rest are dropped, since a page re-reads everything on any change.
    func publish(_ change: Change) async {
        if change == .heartbeat {
            let now = ContinuousClock.now
            let due = lastHeartbeat.withLock { last in
                guard last.map({ now - $0 >= .seconds(1) }) ?? true else { return false }
                last = now
                return true
            }
            guard due else { return }
        }
        guard let postgres else { return deliver(change) }
        do {
            try await postgres.notifyConsole(change.rawValue)
        } catch {
            logger.warning("console notify failed", metadata: ["error": "\(error)"])
            deliver(change)
        }
    }

    /// Passes a change to this instance's subscribers.
    func deliver(_ change: Change) {
        let continuations = subscribers.withLock { Array($0.continuations.values) }
        for continuation in continuations { continuation.yield(change) }
    }

    /// A stream of changes until the subscriber goes away. Buffers the newest 16.
    func subscribe() -> AsyncStream<Change> {
        let (stream, continuation) = AsyncStream.makeStream(of: Change.self, bufferingPolicy: .bufferingNewest(16))
        let id = subscribers.withLock { state in
            let id = state.next
            state.next += 1
            state.continuations[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    /// Number of open subscriptions (pages listening).
    var subscriberCount: Int { subscribers.withLock { $0.continuations.count } }
}

/// `LISTEN shelter_console` on one pooled connection for as long as the registry runs, passing every
/// notification to the feed; reconnects after a second when the connection drops.
struct ConsoleChangeListener: Service {
    let client: PostgresClient
    let feed: ConsoleChangeFeed
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: ConsoleChangeFeed.channel) { notifications in
                        for try await notification in notifications.cancelOnGracefulShutdown() {
                            if let change = ConsoleChangeFeed.Change(rawValue: notification.payload) {
                                feed.deliver(change)
                            }
                        }
                    }
                }
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                logger.warning("console listen failed; retrying", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
