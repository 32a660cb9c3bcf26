public import ServiceLifecycle

/// Tells systemd the agent is alive: `WATCHDOG=1` every half `WatchdogSec` while `isHealthy()` says the
/// agent's loops are turning (the assessment loop ticked recently), so a wedged agent is restarted.
public struct WatchdogService: Service {
    let notifier: SystemdNotifier
    let isHealthy: @Sendable () -> Bool

    /// - Parameters:
    ///   - notifier: where to send.
    ///   - isHealthy: whether to send this time; a `false` lets the watchdog fire.
    public init(notifier: SystemdNotifier, isHealthy: @escaping @Sendable () -> Bool) {
        self.notifier = notifier
        self.isHealthy = isHealthy
    }

    public func run() async throws {
        guard let interval = notifier.watchdogPingInterval else {
            try? await gracefulShutdown()
            return
        }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if isHealthy() { notifier.notify("WATCHDOG=1") }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
