import Foundation

/// A throwaway PKI made once per test process by `Scripts/pki DIR --test-certs --gateway …`
/// in a fresh temp directory: `ca`, `registry` (SAN 127.0.0.1/localhost), gateways `gw-reference-01`,
/// `gw-reference-02` and `gw-reference-03`, `operator`, and the failure-test certificates (`wrong-ca`,
/// `wrong-ca-gateway`, `registry-expired`, `registry-wronghost`, `gateway-expired`). Read-only once made, so
/// tests share it.
public struct TestPKI: Sendable {
    /// Directory holding the files.
    public let directory: String

    /// The process-wide PKI, made on first use. Awaited, never waited for on a thread: tests that start
    /// together all suspend while `Scripts/pki` runs, and the concurrency pool stays free.
    public static func shared() async throws -> TestPKI { try await made.value }

    private static let made = Task { () throws -> TestPKI in
        let directory = try makeTemporaryDirectory(prefix: "pki")
        let script = repositoryRoot + "/Scripts/pki"
        let process = try ChildProcess(
            executable: "/bin/bash",
            arguments: [
                script, directory, "--test-certs", "--gateway", "gw-reference-01", "--gateway", "gw-reference-02",
                "--gateway", "gw-reference-03",
            ])
        let status = await process.waitForExit()
        guard status == 0 else { throw TestFailure("Scripts/pki failed: wait status \(status)") }
        return TestPKI(directory: directory)
    }

    /// Path of `<name>.crt`.
    public func certificate(_ name: String) -> String { "\(directory)/\(name).crt" }
    /// Path of `<name>.key`.
    public func key(_ name: String) -> String { "\(directory)/\(name).key" }
    /// The registry key's pin, `sha256//…`.
    public func registryPin() throws -> String {
        try String(contentsOfFile: "\(directory)/registry.pin", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The package root, found from this file's path.
public let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/HTTPTestSupport/TestPKI.swift
    return url.path
}()

/// Directory of the built products (`.build/debug`), where `swift build` puts the executables.
public let builtProductsDirectory: String = {
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    while url.path != "/" {
        url.deleteLastPathComponent()
        if !url.lastPathComponent.hasSuffix(".xctest") && !url.path.contains(".xctest/") { break }
    }
    return url.path
}()

/// A new empty directory under the system temp directory.
public func makeTemporaryDirectory(prefix: String) throws -> String {
    let path = NSTemporaryDirectory() + "shelter-\(prefix)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
