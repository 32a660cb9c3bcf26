import FoundationEssentials
import ShelterCore
import Testing

/// Issue 12 item 3: `check-config` accepted `registry_url` values that libcurl reads otherwise than the person
/// who wrote them. Each goes through the whole site validation and must come back as an issue at
/// `gateway.registry_url` naming the value and a fix.
@Suite("registry_url is validated strictly")
struct RegistryURLValidationTests {
    static func gatewayIssues(_ url: String) -> [ConfigurationIssue] {
        var site = SiteFile()
        let fields = [
            "id": "gw-1", "stateDirectory": "/var/lib/shelter-agent", "registryUrl": url, "caBundle": "ca.pem",
            "clientCertificate": "gw.pem", "clientKey": "gw.key",
        ]
        site.gateway = try? JSONDecoder().decode(SiteFile.Gateway.self, from: JSONEncoder().encode(fields))
        switch SiteConfiguration.validate(site, file: "site.toml", profiles: [:]) {
        case .success: return []
        case .failure(let error): return error.issues.filter { $0.keyPath == "gateway.registry_url" }
        }
    }

    @Test(
        "refused, with the value and a fix",
        arguments: [
            "http://registry.example", "https:///v1", "https://", "https://[::1/", "https://[::1", "https://[zz]:8443",
            "https://registry.example?x=1", "https://registry.example/#top", "https://user:pw@registry.example",
            "https://registry.example:0", "https://registry.example:65536", "https://registry.example:",
            "https://reg istry",
            "https://registry.example:84a3", "https://[::1]x", "ftp://registry.example", "https://a/b c",
        ])
    func refused(url: String) {
        let issues = Self.gatewayIssues(url)
        #expect(!issues.isEmpty, "\(url) must be refused")
        #expect(issues.allSatisfy { $0.value == "\"\(url)\"" && !$0.fix.isEmpty && $0.file == "site.toml" })
    }

    @Test(
        "accepted",
        arguments: [
            "https://registry.example", "https://registry.example/", "https://127.0.0.1:8443",
            "https://[::1]:8443/", "https://[fe80::1]", "HTTPS://Registry.Example:443/registry/",
            "https://reg_1.example-x.org:65535",
        ])
    func accepted(url: String) {
        #expect(Self.gatewayIssues(url).isEmpty, "\(url) must be accepted")
    }
}
