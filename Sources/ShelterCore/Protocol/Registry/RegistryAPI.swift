/// Paths, limits and identifier rules of the registry protocol v1 (DESIGN §4). The OpenAPI document
/// (`Sources/shelter-registry/Resources/openapi.json`) is the contract; these constants mirror it.
public enum RegistryAPI {
    /// Version prefix of every path.
    public static let version = "v1"
    /// Most payloads accepted in one `POST …/status` or `POST …/alerts` batch (the registry answers 413
    /// above it).
    public static let maximumBatchCount = 500
    /// Largest request body the registry accepts, bytes (it answers 413 above it): 4 MiB.
    public static let maximumBodySize = 4 << 20

    /// `GET /v1/shelters/{shelterId}/record`: the registered record, with `ETag`.
    public static func recordPath(shelterId: String) -> String { "/v1/shelters/\(shelterId)/record" }
    /// `POST /v1/shelters/{shelterId}/status`: a JSON array of `StatusReport`.
    public static func statusPath(shelterId: String) -> String { "/v1/shelters/\(shelterId)/status" }
    /// `POST /v1/shelters/{shelterId}/alerts`: a JSON array of `AlertEvent`.
    public static func alertsPath(shelterId: String) -> String { "/v1/shelters/\(shelterId)/alerts" }
    /// `POST /v1/gateways/{gatewayId}/heartbeat`: a `HeartbeatRequest`, answered by a `HeartbeatResponse`.
    public static func heartbeatPath(gatewayId: String) -> String { "/v1/gateways/\(gatewayId)/heartbeat" }

    /// True when `id` is a valid shelter, gateway, report, event or alert id: 1 to 128 characters from
    /// `A-Z a-z 0-9 . _ : -`, starting with a letter or digit. Such an id is safe in a URL path unescaped.
    public static func isValidIdentifier(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard let first = bytes.first, bytes.count <= 128, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":")
                || $0 == UInt8(ascii: "-")
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
