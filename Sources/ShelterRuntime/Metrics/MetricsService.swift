public import Logging
internal import LoopbackHTTP
public import ServiceLifecycle
public import ShelterCore

/// Serves `GET /metrics` on the site's `[metrics] listen` address (issue 17): OpenMetrics 1.0.0 when the
/// scraper asks for it (`Accept: application/openmetrics-text`), else Prometheus text 0.0.4. Any other path is
/// 404, any other method 405.
///
/// The listener is a `LoopbackHTTPServer` on a thread of its own, so a slow or hostile client never holds a
/// task of the concurrency pool, a bus thread or the tick; each scrape takes a snapshot under the services'
/// short locks (`snapshot`). A port that cannot be bound (taken, no permission) is logged as an error and
/// tried again every `retryInterval`; the agent polls and reports meanwhile: metrics never stop the main job.
public struct MetricsService: Service {
    /// Where to listen.
    public let listener: MetricsListener
    /// How long to wait before binding again after a failure. Default 10 s.
    public var retryInterval: Duration = .seconds(10)
    private let snapshot: @Sendable () -> AgentMetrics
    private let logger: Logger

    /// - Parameters:
    ///   - listener: the validated `[metrics]` table.
    ///   - snapshot: the figures now; called on the listener's thread, must not block.
    public init(listener: MetricsListener, snapshot: @escaping @Sendable () -> AgentMetrics, logger: Logger) {
        self.listener = listener
        self.snapshot = snapshot
        self.logger = logger
    }

    public func run() async throws {
        let server = LoopbackHTTPServer(host: listener.host, port: listener.port) { [snapshot] request in
            Self.respond(to: request, snapshot: snapshot)
        }
        var failures = 0
        while !Task.isShuttingDownGracefully {
            do {
                let port = try server.start()
                // Tests and port 0 read the port from this line.
                logger.info("metrics listening", metadata: ["metrics.listen": "\(listener.host):\(port)"])
                break
            } catch {
                failures += 1
                logger.log(
                    level: failures == 1 ? .error : .debug, "metrics listener not started; retrying",
                    metadata: [
                        "metrics.listen": "\(listener.host):\(listener.port)", "error": "\(error)",
                        "retry_in": "\(NumberText.duration(retryInterval))",
                    ])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: retryInterval) }
            }
        }
        try? await gracefulShutdown()
        await server.stop()
    }

    /// The reply to one request: the exposition for `GET /metrics`, 405 for another method, 404 elsewhere.
    static func respond(
        to request: LoopbackHTTPServer.Request, snapshot: @Sendable () -> AgentMetrics
    ) -> LoopbackHTTPServer.Response {
        guard request.path == "/metrics" else { return .init(status: 404, body: "not found; try /metrics\n") }
        guard request.method == "GET" else {
            return .init(status: 405, body: "only GET\n", headers: [.init("Allow", "GET")])
        }
        let format = MetricsExposition(accept: request.header("Accept"))
        return .init(status: 200, contentType: format.contentType, body: format.render(snapshot().families()))
    }
}
