import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import ServiceLifecycle
import UnixSignals
import ShelterCore

/// `shelter-registry`: the reference registry (DESIGN §4) for tests, demos and small deployments, and the
/// bureau's console at its root address (issue 15).
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shelter-registry",
        abstract: "Reference shelter registry: protocol v1 over HTTPS with client certificates.",
        discussion: """
            Serves the OpenAPI document at /openapi.json. Gateways authenticate with a client certificate from \
            --client-ca whose CN is the gateway id; unknown gateways get 403. On start it prints \
            "shelter-registry: listening on https://HOST:PORT" (use --port 0 for a free port). The bureau's console \
            is at https://HOST:PORT/; its accounts are made with \
            `shelter-registry operator add NAME --role viewer|duty|county --password-file FILE --database DB`.
            """,
        version: ShelterVersion.current)

    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind; 0 picks a free one.") var port = 8443
    @Option(help: "Server certificate (PEM).") var cert: String
    @Option(help: "Server private key (PEM).") var key: String
    @Option(name: .customLong("client-ca"), help: "CA that gateway and operator certificates must chain to (PEM).")
    var clientCA: String
    @Option(help: "JSON file with shelters (records, lifecycle, gateways) and operators.") var config: String?
    @Option(
        name: .customLong("shelter"),
        help: "A shelter with no filed record yet (repeatable): its record answers 404 until one is filed.")
    var shelters: [String] = []
    @Option(name: .customLong("record"), help: "A JSON ShelterRecord file to serve (repeatable).")
    var records: [String] = []
    @Option(name: .customLong("gateway"), help: "Map a gateway to a shelter: GATEWAY=SHELTER (repeatable).")
    var gateways: [String] = []
    @Option(name: .customLong("operator"), help: "Client certificate CN allowed on admin paths (repeatable).")
    var operators: [String] = ["operator"]
    @Option(help: "File holding a token loopback callers may use on admin paths (Authorization: Bearer).")
    var adminTokenFile: String?
    @Option(help: "File holding a bearer token every gateway must also send.") var gatewayTokenFile: String?
    @Option(
        help: """
            Database: a SQLite file (embedded; default: in memory) or postgres://USER[:PASSWORD]@HOST[:PORT]/DB \
            (a city; several registry instances may share it).
            """)
    var database = ":memory:"
    @Option(help: "PostgreSQL only: most connections this instance opens to the database.")
    var databaseConnections = 16
    @Option(help: "Close a connection idle this many seconds (gateways heartbeat every 30 s).")
    var idleTimeoutSeconds = 60
    @Option(
        help: """
            Delete heartbeats, reports and closed alerts older than this many days (fractions allowed; 0: keep all), \
            at start and then every --maintenance-interval-seconds; never what an open alert refers to.
            """)
    var retentionDays = 0.0
    @Option(help: "Seconds between maintenance passes (retention; PostgreSQL: month partitions created ahead).")
    var maintenanceIntervalSeconds = 3600.0
    @Option(help: "Write every gateway request body to this directory (for Scripts/validate-payloads --capture).")
    var captureDir: String?
    @Option(
        help: """
            Serve GET /metrics (Prometheus text: requests by path and status, store latency, connected gateways) \
            over plain HTTP on this loopback HOST:PORT (port 0: a free one); off when not given.
            """)
    var metricsListen: String?
    @Flag(help: "Allow --metrics-listen on an address outside 127.0.0.0/8 (the page has no authentication).")
    var metricsAllowNonLoopback = false
    @Flag(help: "Enable POST /v1/admin/faults (tests only).") var enableFaultInjection = false
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "info"

    func run() async throws {
        var logger = Logger(label: "shelter-registry")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let directory: RegistryDirectory
        let tls: TLSConfiguration
        let service: RegistryService
        let postgres: PostgresClient?
        let store: any RegistryStore & ConsoleStore
        let feed: ConsoleChangeFeed
        do {
            directory = try makeDirectory()
            tls = try makeTLSConfiguration()
            guard idleTimeoutSeconds >= 1 else { throw RegistryStartError("--idle-timeout-seconds must be ≥ 1") }
            guard retentionDays >= 0, retentionDays.isFinite else {
                throw RegistryStartError("--retention-days must be ≥ 0")
            }
            guard maintenanceIntervalSeconds >= 0.1, maintenanceIntervalSeconds.isFinite else {
                throw RegistryStartError("--maintenance-interval-seconds must be ≥ 0.1")
            }
            guard databaseConnections >= 1 else { throw RegistryStartError("--database-connections must be ≥ 1") }
            if let metricsListen {
                guard let address = RegistryMetrics.address(metricsListen) else {
                    throw RegistryStartError("--metrics-listen wants HOST:PORT, e.g. 127.0.0.1:9470")
                }
                guard address.host.hasPrefix("127.") || address.host == "localhost" || metricsAllowNonLoopback else {
                    throw RegistryStartError(
                        "--metrics-listen \(metricsListen) is not a loopback address and the page has no "
                            + "authentication: use 127.0.0.1, or add --metrics-allow-non-loopback")
                }
            }
            postgres = try PostgresRegistryStore.client(url: database, connections: databaseConnections, logger: logger)
            if let postgres {
                let postgresStore = PostgresRegistryStore(client: postgres, logger: logger)
                store = postgresStore
                feed = ConsoleChangeFeed(postgres: postgresStore, logger: logger)
            } else {
                store = try SQLiteRegistryStore(path: database)
                feed = ConsoleChangeFeed(postgres: nil, logger: logger)
            }
            let openAPIDocument = try Self.openAPIDocument()
            service = RegistryService(
                store: store, directory: directory, faults: enableFaultInjection ? FaultInjector() : nil,
                capture: try captureDir.map(CaptureWriter.init(directory:)),
                openAPIDocument: openAPIDocument, payloadKeys: try PayloadKeys(openAPIDocument: openAPIDocument),
                gatewayToken: try gatewayTokenFile.map(Self.readToken),
                adminToken: try adminTokenFile.map(Self.readToken), consoleFeed: feed)
        } catch {
            FileHandle.standardError.write(Data("shelter-registry: \(error)\n".utf8))
            throw ExitCode(ExitStatus.noInput.rawValue)
        }

        let console: ConsoleService
        do {
            console = try await ConsoleService(store: store, directory: try Self.consoleDirectory(), feed: feed)
        } catch {
            FileHandle.standardError.write(Data("shelter-registry: console templates: \(error)\n".utf8))
            throw ExitCode(ExitStatus.noInput.rawValue)
        }
        let maintenance = RegistryMaintenance(
            store: store, retention: retentionDays > 0 ? .seconds(retentionDays * 86_400) : nil,
            interval: .seconds(maintenanceIntervalSeconds), logger: logger)
        let router = Router(context: RegistryContext.self)
        if metricsListen != nil {
            service.metrics.bootstrap()
            router.add(middleware: MetricsMiddleware())
        }
        service.addRoutes(to: router)
        console.addRoutes(to: router)
        var app = Application(
            router: router,
            server: HTTPServerBuilder { responder in
                try TLSChannel(
                    HTTP1Channel(
                        responder: ChildTaskResponder.wrap(responder),
                        configuration: .init(idleTimeout: .seconds(Int64(idleTimeoutSeconds)))),
                    tlsConfiguration: tls)
            },
            configuration: .init(address: .hostname(host, port: port), serverName: "shelter-registry"),
            services: (postgres.map { [$0, ConsoleChangeListener(client: $0, feed: feed, logger: logger)] } ?? []) + [
                maintenance
            ],
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? 0
                // Unbuffered, so a test waiting on this line sees it at once.
                FileHandle.standardOutput.write(Data("shelter-registry: listening on https://\(host):\(bound)\n".utf8))
            },
            logger: logger)
        let seeds = directory
        let startLogger = logger
        app.beforeServerStarts {
            if let postgres { try await PostgresRegistryStore(client: postgres, logger: startLogger).migrate() }
            let now = Date()
            for seed in seeds.shelters { try await store.seed(seed, at: now) }
            for (gateway, shelter) in seeds.gateways { try await store.mapGateway(gateway, to: shelter) }
            // Month partitions exist before the first report arrives; retention applies at once.
            await maintenance.start(at: now)
        }
        var services: [any Service] = [app]
        if let listen = metricsListen.flatMap(RegistryMetrics.address) {
            services.append(service.metrics.application(host: listen.host, port: listen.port, logger: logger))
        }
        try await ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        ).run()
    }

    private func makeDirectory() throws -> RegistryDirectory {
        var directory = RegistryDirectory()
        if let config { try directory.load(configPath: config) }
        let decoder = RegistryJSON.makeDecoder()
        for path in records {
            let record = try decoder.decode(ShelterRecord.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            try directory.add(.init(id: record.id, record: record))
        }
        for id in shelters where !directory.shelters.contains(where: { $0.id == id }) {
            try directory.add(.init(id: id))
        }
        for mapping in gateways {
            let parts = mapping.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw RegistryStartError("--gateway wants GATEWAY=SHELTER, got \(mapping)") }
            try directory.map(gateway: parts[0], to: parts[1])
        }
        directory.operators.formUnion(operators)
        for (gateway, shelter) in directory.gateways where !directory.shelters.contains(where: { $0.id == shelter }) {
            throw RegistryStartError(
                "gateway \(gateway) maps to shelter \(shelter), which is not given (--shelter, --record or --config)")
        }
        return directory
    }

    /// How long closing a TLS connection waits for the client's close_notify before closing without it.
    static let tlsCloseWaitMilliseconds: Int64 = 200

    /// Server certificate and key; client certificates optional at the TLS layer but, when presented, verified
    /// against `--client-ca` (no host name check: the CN is a gateway id, not a host). Browsers have none (the
    /// console signs operators in itself); every gateway and admin path refuses a caller without one
    /// (`RegistryService`), as before. `Benchmarks/bench-registry-floor` repeats these settings (it links none of
    /// the registry): change both together.
    private func makeTLSConfiguration() throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        tls.trustRoots = .file(clientCA)
        tls.certificateVerification = .optionalVerification
        tls.minimumTLSVersion = .tlsv12
        // Closing a connection waits this long for the client's close_notify. An agent's idle kept-alive
        // connection never sends one (libcurl does not read an idle connection), so with swift-nio-ssl's default
        // of 5 s every SIGTERM with agents connected took over 6 s (measured with three idle connections).
        tls.shutdownTimeout = .milliseconds(Self.tlsCloseWaitMilliseconds)
        return tls
    }

    private static func openAPIDocument() throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else {
            throw RegistryStartError("openapi.json resource missing from the bundle")
        }
        return Array(try Data(contentsOf: url))
    }

    /// The bundle's `console` folder: templates, stylesheet, script.
    private static func consoleDirectory() throws -> String {
        guard let url = Bundle.module.url(forResource: "console", withExtension: nil) else {
            throw RegistryStartError("console resources missing from the bundle")
        }
        return url.path
    }

    private static func readToken(_ path: String) throws -> String {
        let token = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw RegistryStartError("token file \(path) is empty") }
        return token
    }
}
