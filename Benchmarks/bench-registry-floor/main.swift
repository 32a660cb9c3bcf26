// bench-registry-floor: the floor under the registry's memory per connected gateway (issue 14). The same server
// stack as shelter-registry (Hummingbird's HTTP/1 over swift-nio-ssl, client certificates verified against a CA,
// TLS 1.2 or later) and nothing of the registry: every request's body is read and answered 200 with `{}`. Run by
// Scripts/bench-registry --engines floor under the same load as the registry; what it holds per connection is
// what these packages hold, before any of the registry's own code.
import ArgumentParser
import Glibc
import Hummingbird
import HummingbirdTLS
import NIOCore
import NIOSSL

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
        let router = Router()
        router.on("**", method: .post) { request, _ -> Response in
            _ = try await request.body.collect(upTo: 16 << 20)
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
        try await app.runService()
    }
}
