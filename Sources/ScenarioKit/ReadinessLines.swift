import FoundationEssentials

/// Reads the readiness lines the runner's children print (pure, so the formats are tested without processes).
enum ReadinessLines {
    /// The port a server says it listens on: a JSON line with a `port` number (`{"port":40123}` or
    /// `{"listening":"https://localhost:40123"}`), or text such as `listening on https://127.0.0.1:40123/`
    /// `port=40123` or `127.0.0.1:40123`. The first such line wins; `nil` if none yet.
    static func port(in log: String) -> Int? {
        for line in log.split(separator: "\n") {
            if let object = json(line) {
                if let port = object["port"]?.numberValue { return Int(port) }
                if let url = object["listening"]?.stringValue ?? object["url"]?.stringValue, let port = port(inURL: url)
                {
                    return port
                }
                continue
            }
            if let range = line.firstRange(of: "https://"), let port = port(inURL: String(line[range.lowerBound...])) {
                return port
            }
            for key in ["port=", "port ", "127.0.0.1:", "localhost:"] {
                if let range = line.firstRange(of: key) {
                    let digits = line[range.upperBound...].prefix(while: \.isNumber)
                    if let port = Int(digits), (1...65535).contains(port) { return port }
                }
            }
        }
        return nil
    }

    private static func port(inURL url: String) -> Int? {
        guard let scheme = url.firstRange(of: "://") else { return nil }
        let authority = url[scheme.upperBound...].prefix { $0 != "/" && $0 != " " && $0 != "\"" }
        guard let colon = authority.lastIndex(of: ":") else { return nil }
        let digits = authority[authority.index(after: colon)...].prefix(while: \.isNumber)
        guard let port = Int(digits), (1...65535).contains(port) else { return nil }
        return port
    }

    /// What `shelter-sim serve` printed: one JSON line per bus (`{"bus":…,"kind":"tcp","host":…,"port":…}` or
    /// `{"bus":…,"kind":"rtu","path":…}`), then `{"control":PATH}` and `{"ready":true}`.
    struct SimulatorAnnouncement: Equatable {
        var buses: [String: BusEndpoint] = [:]
        var isReady = false
    }

    static func simulator(in log: String) -> SimulatorAnnouncement {
        var result = SimulatorAnnouncement()
        for line in log.split(separator: "\n") {
            guard let object = json(line) else { continue }
            if object["ready"] == .bool(true) { result.isReady = true }
            guard let bus = object["bus"]?.stringValue else { continue }
            switch object["kind"]?.stringValue {
            case "tcp":
                if let host = object["host"]?.stringValue, let port = object["port"]?.numberValue {
                    result.buses[bus] = .tcp(host: host, port: Int(port))
                }
            default:
                if let path = object["path"]?.stringValue { result.buses[bus] = .serial(device: path) }
            }
        }
        return result
    }

    private static func json(_ line: Substring) -> JSONValue? {
        guard line.first == "{" else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))
    }
}
