/// Where the agent serves its metrics (`GET /metrics`, OpenMetrics or Prometheus text) for maintainers: the
/// site file's `[metrics]` table (issue 17). Absent table: no listener, nothing opened.
///
/// File keys:
/// - `listen` (string `"HOST:PORT"`, required in the table): an IPv4 address (or `localhost`) and a TCP port
///   0...65535, e.g. `"127.0.0.1:9469"`. Port 0 takes a free port and logs it (tests).
/// - `allow_non_loopback` (boolean, default `false`): the metrics carry device names, addresses and uplink
///   health and the listener has no authentication, so an address outside 127.0.0.0/8 is refused unless this
///   is `true` (then a firewall is the operator's job). Scrape a gateway through an SSH tunnel or a Prometheus
///   agent on the box instead.
public struct MetricsListener: Sendable, Hashable {
    /// IPv4 address in dotted-quad form (`localhost` is stored as `127.0.0.1`).
    public let host: String
    /// TCP port; 0 means any free port.
    public let port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Whether `host` is in 127.0.0.0/8.
    public var isLoopback: Bool { host.hasPrefix("127.") }

    /// `"HOST:PORT"` split and checked: `nil` unless HOST is a dotted-quad IPv4 address or `localhost` and
    /// PORT an integer 0...65535.
    public static func parse(_ text: String) -> MetricsListener? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port = UInt16(parts[1]) else { return nil }
        let host = parts[0] == "localhost" ? "127.0.0.1" : String(parts[0])
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ $0.count <= 3 && UInt8($0) != nil }) else { return nil }
        return MetricsListener(host: host, port: port)
    }
}

extension SiteValidator {
    /// `[metrics]`: the listener, and whether the table (absent or present) is valid.
    mutating func validateMetrics(_ raw: SiteFile.Metrics?) -> (MetricsListener?, Bool) {
        guard let raw else { return (nil, true) }
        guard
            let text = site.requireText(
                raw.listen, "metrics.listen", fix: "add listen = \"127.0.0.1:9469\", or remove [metrics] to turn it off"
            )
        else { return (nil, false) }
        guard let listener = MetricsListener.parse(text) else {
            site.add(
                "metrics.listen", quoted(text), "not an IPv4 HOST:PORT",
                fix: "write an IPv4 address and a port 0...65535, e.g. \"127.0.0.1:9469\"")
            return (nil, false)
        }
        if !listener.isLoopback, raw.allowNonLoopback != true {
            site.add(
                "metrics.listen", quoted(text), "not a loopback address; the metrics have no authentication",
                fix: "use 127.0.0.1:PORT and scrape through an SSH tunnel or a Prometheus agent on the gateway, "
                    + "or set metrics.allow_non_loopback = true to expose them on purpose")
            return (nil, false)
        }
        return (listener, true)
    }
}
