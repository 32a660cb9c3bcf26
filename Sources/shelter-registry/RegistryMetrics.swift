import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import Prometheus
import ServiceLifecycle
import Synchronization

/// The registry's own figures for maintainers (issue 17), served as Prometheus text 0.0.4 at `GET /metrics` on
/// the separate plain-HTTP listener `--metrics-listen` (loopback; never on the gateways' TLS port, so neither a
/// gateway certificate nor the admin token reaches it, and a scraper needs no certificate).
///
/// - Requests by path template and status: Hummingbird's `MetricsMiddleware` through swift-metrics into
///   swift-prometheus, renamed here: `shelter_registry_http_requests_total{route,method,status}` (`route` is
///   the template, e.g. `/v1/shelters/{shelterId}/status`; unmatched paths are `NotFound`, so a scanner cannot
///   grow the label set), `shelter_registry_http_request_duration_seconds` (histogram),
///   `shelter_registry_http_active_requests`.
/// - Store latency: `shelter_registry_store_duration_seconds{operation}` (histogram) around the gateway paths'
///   store calls (`shelter`, `reports`, `alerts`, `heartbeat`).
/// - Connected gateways: `shelter_registry_connected_gateways`, the gateways that made an authenticated request
///   to this instance within the last `connectedWindow` (90 s: three missed heartbeats at the default 30 s).
///
/// Thread-safe.
final class RegistryMetrics: Sendable {
    /// What `/metrics` renders.
    let prometheus = PrometheusCollectorRegistry()
    /// How recent a gateway's last request must be to count as connected.
    let connectedWindow: Duration = .seconds(90)
    private let lastSeen = Mutex<[String: ContinuousClock.Instant]>([:])
    private let connected: Prometheus.Gauge

    init() {
        connected = prometheus.makeGauge(
            name: "shelter_registry_connected_gateways",
            help: "Gateways with an authenticated request to this instance in the last 90 s.")
    }

    /// Routes swift-metrics (Hummingbird's `MetricsMiddleware`) into `prometheus`. Once per process.
    func bootstrap() {
        var factory = PrometheusMetricsFactory(registry: prometheus)
        factory.nameAndLabelSanitizer = { name, labels in
            (Self.names[name] ?? Self.sanitize(name), labels.map { ((Self.names[$0.0] ?? Self.sanitize($0.0)), $0.1) })
        }
        MetricsSystem.bootstrap(factory)
    }

    /// Hummingbird's metric and dimension names, as the registry's page names them.
    static let names = [
        "hb.requests": "shelter_registry_http_requests_total",
        "hb.request.errors": "shelter_registry_http_request_errors_total",
        "http.server.request.duration": "shelter_registry_http_request_duration_seconds",
        "http.server.active_requests": "shelter_registry_http_active_requests",
        "http.route": "route", "http.request.method": "method", "http.response.status_code": "status",
        "error.type": "status",
    ]

    /// A name with every character outside `[a-zA-Z0-9_]` turned into `_`.
    static func sanitize(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    /// Counts a gateway as connected now.
    func gatewaySeen(_ gatewayId: String) {
        lastSeen.withLock { $0[gatewayId] = .now }
    }

    /// Runs a store call and records how long it took under `operation`.
    func timeStore<T>(_ operation: String, _ body: () async throws -> T) async rethrows -> T {
        let started = ContinuousClock.now
        defer {
            prometheus.makeDurationHistogram(
                name: "shelter_registry_store_duration_seconds", labels: [("operation", operation)],
                buckets: Self.storeBuckets, help: "Time of one store call on the gateway paths."
            ).record(started.duration(to: .now))
        }
        return try await body()
    }

    static let storeBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
    ]

    /// The page: every family in Prometheus text 0.0.4.
    func render() -> String {
        let cutoff = ContinuousClock.now - connectedWindow
        connected.set(
            Double(
                lastSeen.withLock { seen in
                    seen = seen.filter { $0.value >= cutoff }
                    return seen.count
                }))
        return prometheus.emitToString()
    }

    /// The plain-HTTP application serving `GET /metrics` on `host:port`; prints
    /// `shelter-registry: metrics on http://HOST:PORT/metrics` once listening.
    func application(host: String, port: Int, logger: Logger) -> any Service {
        let router = Router()
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: self.render())))
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "shelter-registry"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? 0
                FileHandle.standardOutput.write(
                    Data("shelter-registry: metrics on http://\(host):\(bound)/metrics\n".utf8))
            }, logger: logger)
    }

    /// `HOST:PORT` for `--metrics-listen`: host and port, or `nil` when malformed.
    static func address(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port), colon > text.startIndex
        else { return nil }
        return (String(text[..<colon]), port)
    }
}
