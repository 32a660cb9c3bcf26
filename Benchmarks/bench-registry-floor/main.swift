// bench-registry-floor: the floor under the registry's memory per connected gateway (issue 14). The same server
// stack as shelter-registry (Hummingbird's HTTP/1 over swift-nio-ssl, client certificates verified against a CA,
// TLS 1.2 or later) and nothing of the registry: every request's body is read and answered 200 with `{}`. Run by
// Scripts/bench-registry --engines floor under the same load as the registry; what it holds per connection is
// what these packages hold, before any of the registry's own code.
//
// With --postgres, the floor under a drain into the registry on PostgreSQL: each POST to a `…/status` path also
// stores its body as --rows-per-request rows through the registry's own INSERT (PostgresIngest.InsertReports,
// repeated below), in the registry's schema (the bench migrates the database with shelter-registry first), on
// a postgres-nio pool, and answers once PostgreSQL has committed. No JSON is read: the rows are equal slices of
// the body with made-up ids, so what a drain into it costs is the HTTP stack and the database alone.
import ArgumentParser
import FoundationEssentials
import Glibc
import Hummingbird
import HummingbirdTLS
import NIOCore
import NIOSSL
import PostgresNIO
import Synchronization

@main
struct RegistryFloor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-registry-floor",
        abstract: "Answer 200 to every mTLS request: the registry's server stack with none of the registry.")

    @Option(help: "TCP port on 127.0.0.1; 0 picks a free one.") var port = 0
    @Option(help: "Server certificate chain, PEM.") var cert: String
    @Option(help: "Server private key, PEM.") var key: String
    @Option(help: "CA that client certificates are verified against, PEM.") var clientCA: String
    @Option(help: "Accepted because Scripts/lib/registry.sh passes it; ignored.") var logLevel = "error"
    @Option(help: "Also store status bodies: postgres://USER@HOST:PORT/DB, migrated by shelter-registry.")
    var postgres: String?
    @Option(help: "With --postgres: rows each status body is stored as (bench-outbox's batch size).")
    var rowsPerRequest = 100

    func run() async throws {
        // The registry's TLS settings (RegistryCommand.makeTLSConfiguration), repeated: the floor links none of
        // the registry. Change both together.
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        tls.trustRoots = .file(clientCA)
        tls.certificateVerification = .optionalVerification
        tls.minimumTLSVersion = .tlsv12
        // Connections idle 60 s are closed, and closing waits 200 ms for close_notify, as in the registry.
        tls.shutdownTimeout = .milliseconds(200)
        let store = try postgres.map { try FloorStore(url: $0, rowsPerRequest: rowsPerRequest) }
        let router = Router()
        router.on("**", method: .post) { request, _ -> Response in
            let body = try await request.body.collect(upTo: 16 << 20)
            if let store, request.uri.path.hasSuffix("/status") { try await store.insert(body) }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
        router.on("**", method: .get) { _, _ in "{}" }
        let app = Application(
            router: router,
            server: try .tls(.http1(configuration: .init(idleTimeout: .seconds(60))), tlsConfiguration: tls),
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "bench-registry-floor"),
            onServerRunning: { channel in
                print("bench-registry-floor: listening on https://127.0.0.1:\(channel.localAddress?.port ?? 0)")
                fflush(nil)  // stdout is a file under the bench script: the line must be there at once
            })
        guard let store else { return try await app.runService() }
        try await withThrowingTaskGroup { group in
            group.addTask { await store.client.run() }
            try await app.runService()  // returns on SIGTERM or SIGINT
            group.cancelAll()  // and the pool's run() returns when cancelled
        }
    }
}

/// The registry's report INSERT on a pool of 20 connections (the registry's `--database-connections` default).
final class FloorStore: Sendable {
    let client: PostgresClient
    let rowsPerRequest: Int
    private let requests = Atomic<Int>(0)

    init(url: String, rowsPerRequest: Int) throws {
        guard let url = URLComponents(string: url), let host = url.host, let user = url.user, let port = url.port
        else { throw ValidationError("--postgres wants postgres://USER@HOST:PORT/DB") }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: nil, database: String(url.path.dropFirst()),
            tls: .disable)
        configuration.options.maximumConnections = 20
        client = PostgresClient(configuration: configuration)
        self.rowsPerRequest = max(rowsPerRequest, 1)
    }

    /// Stores `body` as `rowsPerRequest` equal slices and reads back the inserted ids, as the registry does.
    func insert(_ body: ByteBuffer) async throws {
        let request = requests.add(1, ordering: .relaxed).newValue
        let now = Double(time(nil))
        var statement = InsertReports(gatewayId: "GW-BENCH", receivedAt: now)
        let length = body.readableBytes
        for row in 0..<rowsPerRequest {
            let start = length * row / rowsPerRequest, end = length * (row + 1) / rowsPerRequest
            statement.reportIds.append("floor-\(request)-\(row)")
            statement.shelterIds.append("SH-BENCH")
            statement.sequences.append(Int64(request * rowsPerRequest + row))
            statement.observedAt.append(now)
            statement.lifecycles.append("activated")
            statement.hasOccupied.append(true)
            statement.occupied.append(Int64(row))
            statement.bodies.append(body.getSlice(at: body.readerIndex + start, length: end - start)!)
        }
        var inserted: [String: Int] = [:]
        for try await id in try await client.execute(statement, logger: Self.logger) { inserted[id, default: 0] += 1 }
        guard inserted.count == rowsPerRequest else { throw ValidationError("stored \(inserted.count) rows") }
    }

    private static let logger = Logger(label: "bench-registry-floor")

    /// shelter-registry's PostgresIngest.InsertReports, repeated: the floor links none of the registry. Change
    /// both together.
    struct InsertReports: PostgresPreparedStatement {
        static let sql = """
            INSERT INTO reports (gateway_id, report_id, shelter_id, sequence, observed_at, received_at, lifecycle,
                occupied, body)
            SELECT $1, r.report_id, r.shelter_id, r.sequence, r.observed_at, $2, r.lifecycle,
                CASE WHEN r.has_occupied THEN r.occupied END, r.body
            FROM unnest($3::text[], $4::text[], $5::int8[], $6::float8[], $7::text[], $8::bool[], $9::int8[],
                $10::bytea[]) AS r (report_id, shelter_id, sequence, observed_at, lifecycle, has_occupied, occupied, body)
            ON CONFLICT DO NOTHING RETURNING report_id
            """
        typealias Row = String

        var gatewayId: String
        var receivedAt: Double
        var reportIds: [String] = []
        var shelterIds: [String] = []
        var sequences: [Int64] = []
        var observedAt: [Double] = []
        var lifecycles: [String] = []
        var hasOccupied: [Bool] = []
        var occupied: [Int64] = []
        var bodies: [ByteBuffer] = []

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 10)
            bindings.append(gatewayId)
            bindings.append(receivedAt)
            bindings.append(reportIds)
            bindings.append(shelterIds)
            bindings.append(sequences)
            bindings.append(observedAt)
            bindings.append(lifecycles)
            bindings.append(hasOccupied)
            bindings.append(occupied)
            bindings.append(bodies)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> String { try row.decode(String.self) }
    }
}
