import Glibc
import ShelterCore
import ShelterRuntime
import Testing
import ShelterTesting

/// The loader refuses missing TLS files and a private key readable by group or others.
@Suite struct TLSFileCheckTests {
    /// A site file in a fresh temp dir naming `tls/ca.pem`, `tls/gateway.pem`, `tls/gateway.key` (relative
    /// to the site file), with the fixture profiles.
    static func writeSite(in directory: String) -> String {
        let template = FileHelpers.read(FixturePaths.configs + "/duplicate-names/site.toml") ?? ""
        var text =
            template
            .replacingFirst("/etc/shelter-agent/tls/ca.pem", with: "tls/ca.pem")
            .replacingFirst("/etc/shelter-agent/tls/gateway.pem", with: "tls/gateway.pem")
            .replacingFirst("/etc/shelter-agent/tls/gateway.key", with: "tls/gateway.key")
        // Remove the duplicate device so that only file issues remain.
        text = text.replacingFirst("name = \"meter\"\nbus = \"lan\"", with: "name = \"meter-lan\"\nbus = \"lan\"")
        let path = directory + "/site.toml"
        FileHelpers.write(text, to: path)
        mkdir(directory + "/tls", 0o700)
        return path
    }

    @Test func missingFilesAndAnOpenKeyAreIssues() throws {
        let temporary = try TemporaryDirectory(prefix: "shelter-config-test")
        let directory = temporary.path
        let site = Self.writeSite(in: directory)
        FileHelpers.write("-----BEGIN CERTIFICATE-----\n", to: directory + "/tls/ca.pem")
        FileHelpers.write("-----BEGIN PRIVATE KEY-----\n", to: directory + "/tls/gateway.key", mode: 0o644)
        let loader = SiteConfigurationLoader(profileDirectory: FixturePaths.configs + "/profiles")
        guard case .failure(let error) = loader.load(siteFile: site) else {
            Issue.record("expected issues")
            return
        }
        #expect(error.issues.map(\.keyPath) == ["gateway.client_certificate", "gateway.client_key"])
        #expect(error.issues[0].message == "no such file")
        #expect(error.issues[1].message == "readable by group or others (mode 0644)")
        #expect(error.issues[1].fix == "chmod 600 \(directory)/tls/gateway.key")
    }

    @Test func presentFilesAndAPrivateKeyPass() throws {
        let temporary = try TemporaryDirectory(prefix: "shelter-config-test")
        let directory = temporary.path
        let site = Self.writeSite(in: directory)
        FileHelpers.write("-----BEGIN CERTIFICATE-----\n", to: directory + "/tls/ca.pem")
        FileHelpers.write("-----BEGIN CERTIFICATE-----\n", to: directory + "/tls/gateway.pem")
        FileHelpers.write("-----BEGIN PRIVATE KEY-----\n", to: directory + "/tls/gateway.key", mode: 0o600)
        let loader = SiteConfigurationLoader(profileDirectory: FixturePaths.configs + "/profiles")
        let configuration = try loader.load(siteFile: site).get()
        #expect(configuration.gateway.clientKey == "tls/gateway.key")
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        let parts = split(separator: target, maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return self }
        return String(parts[0]) + replacement + String(parts[1])
    }
}
