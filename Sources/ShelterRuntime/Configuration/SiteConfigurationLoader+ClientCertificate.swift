public import ShelterCore
internal import FoundationEssentials

extension SiteConfigurationLoader {
    /// Compares the client certificate's subject CN with `gateway.id` (issue 11 item 2): the registry knows
    /// the gateway by its certificate and refuses (403) everything a gateway sends under another id, so a
    /// mismatch would hold the outbox until fixed. Runs with the other file checks (not with
    /// `--skip-file-checks`); a certificate that is missing is reported by `checkTLSFiles`.
    /// - Returns: one issue naming both ids, or one saying the certificate cannot be read; empty when they agree.
    static func checkClientCertificateNamesGateway(
        _ gateway: SiteFile.Gateway, siteFile: String
    ) -> [ConfigurationIssue] {
        guard let id = gateway.id, let value = gateway.clientCertificate, !value.isEmpty else { return [] }
        let path = value.hasPrefix("/") ? value : join(directory(of: siteFile), value)
        guard fileExists(path), let data = try? Data(contentsOf: URL(filePath: path)) else { return [] }
        let key = "gateway.client_certificate"
        do {
            guard let name = try ClientCertificate.commonName(pem: String(decoding: data, as: UTF8.self)) else {
                return [
                    ConfigurationIssue(
                        file: siteFile, keyPath: key, value: quoted(value),
                        message: "the certificate's subject has no CN; the registry knows a gateway by its CN",
                        fix: "install the certificate the bureau issued for gateway \(id) (Scripts/pki)")
                ]
            }
            guard name == id else {
                return [
                    ConfigurationIssue(
                        file: siteFile, keyPath: key, value: quoted(value),
                        message: "the certificate names gateway \(name) (its CN) but gateway.id is \(id); the "
                            + "registry would refuse everything this gateway sends",
                        fix: "install the certificate issued for \(id), or set gateway.id = \"\(name)\" if this box "
                            + "is \(name)")
                ]
            }
            return []
        } catch {
            return [
                ConfigurationIssue(
                    file: siteFile, keyPath: key, value: quoted(value),
                    message: "cannot read the certificate: \(error)",
                    fix: "give the PEM client certificate (-----BEGIN CERTIFICATE-----)")
            ]
        }
    }

    private static func quoted(_ text: String) -> String { "\"\(text)\"" }
}
