/// This gateway's identity and how it reaches the central registry (DESIGN §4).
///
/// Paths are as written in the site file; the loader has checked that the TLS files exist and that the
/// private key is not readable by group or others.
public struct Gateway: Sendable, Hashable {
    /// Gateway id at the registry (file key `id`).
    public let id: String
    /// Absolute directory for the outbox, cached record and state (file key `state_directory`).
    public let stateDirectory: String
    /// Registry base URL, `https://` only (file key `registry_url`).
    public let registryURL: String
    /// PEM file of the CA certificates that verify the registry (file key `ca_bundle`).
    public let caBundle: String
    /// PEM client certificate for mTLS (file key `client_certificate`).
    public let clientCertificate: String
    /// PEM private key of the client certificate; mode 0600 or stricter (file key `client_key`).
    public let clientKey: String
    /// Optional public-key pin, `sha256//<base64>` (file key `pin`).
    public let pin: String?
    /// Optional file holding a bearer token (file key `bearer_token_file`).
    public let bearerTokenFile: String?
    /// Time between heartbeats to the registry (file key `heartbeat_interval_seconds`, 1...3600, default 30):
    /// how soon the agent learns an activation decided at the registry (art. 22). Site policy.
    public let heartbeatInterval: Duration
    /// The primary language of what the gateway sends (file key `language`, `zh-CN` or `en`, default `zh-CN`):
    /// the top-level CAP texts of each alert event. Both languages are always sent in `AlertEvent.texts`
    /// (issue 16 item 5).
    public let language: Language

    public init(
        id: String, stateDirectory: String, registryURL: String, caBundle: String, clientCertificate: String,
        clientKey: String, pin: String? = nil, bearerTokenFile: String? = nil,
        heartbeatInterval: Duration = .seconds(30),
        language: Language = .zhCN
    ) {
        self.language = language
        self.heartbeatInterval = heartbeatInterval
        self.id = id
        self.stateDirectory = stateDirectory
        self.registryURL = registryURL
        self.caBundle = caBundle
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.pin = pin
        self.bearerTokenFile = bearerTokenFile
    }
}
