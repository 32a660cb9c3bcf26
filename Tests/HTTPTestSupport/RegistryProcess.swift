import Foundation

/// The `shelter-registry` executable started on 127.0.0.1 with a kernel-chosen port, the test PKI's
/// registry certificate and client CA, an in-memory database and fault injection on. Stopped in `deinit`.
public final class RegistryProcess: Sendable {
    /// The bound port.
    public let port: Int
    /// Directory for this registry's files (admin token, capture).
    public let directory: String
    private let process: ChildProcess

    /// Token accepted from loopback on admin paths (`--admin-token-file`).
    public static let adminToken = "test-admin-token"

    /// - Parameters:
    ///   - arguments: extra arguments, e.g. `["--shelter", "SMX-HB-0007", "--gateway", "gw-reference-01=SMX-HB-0007"]`.
    ///   - certificate: name of the server certificate in the PKI (default `registry`).
    public init(pki: TestPKI, arguments: [String], certificate: String = "registry") async throws {
        let executable = builtProductsDirectory + "/shelter-registry"
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw TestFailure("\(executable) is missing: build it (swift build --build-tests builds every product)")
        }
        directory = try makeTemporaryDirectory(prefix: "registry")
        let tokenFile = directory + "/admin-token"
        try Self.adminToken.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        process = try ChildProcess(
            executable: executable,
            arguments: [
                "--port", "0", "--cert", pki.certificate(certificate), "--key", pki.key(certificate),
                "--client-ca", pki.certificate("ca"), "--admin-token-file", tokenFile, "--enable-fault-injection",
                "--log-level", "warning",
            ] + arguments)
        port = try await process.waitForLine { line in
            guard line.hasPrefix("shelter-registry: listening on "), let colon = line.lastIndex(of: ":") else {
                return nil
            }
            return Int(line[line.index(after: colon)...])
        }
    }

    /// `https://127.0.0.1:<port><path>`.
    public func url(_ path: String) -> String { "https://127.0.0.1:\(port)\(path)" }
}
