import Crypto
import FoundationEssentials
import NIOSSL
import SwiftASN1
import X509

/// Client certificates for simulated gateways, minted in memory and signed by the development CA of
/// `Scripts/pki` (P-256, ~0.1 ms each): the registry verifies them as it verifies a real gateway's.
struct GatewayCertificates {
    let issuerKey: Certificate.PrivateKey
    let issuer: Certificate

    /// Reads `DIR/ca.crt` and `DIR/ca.key`.
    init(pkiDirectory: String) throws {
        issuer = try Certificate(pemEncoded: try Self.read("\(pkiDirectory)/ca.crt"))
        issuerKey = try Certificate.PrivateKey(pemEncoded: try Self.read("\(pkiDirectory)/ca.key"))
    }

    /// A certificate with CN `gatewayId` and its key, as NIOSSL values.
    func mint(gatewayId: String) throws -> (NIOSSLCertificate, NIOSSLPrivateKey) {
        let key = P256.Signing.PrivateKey()
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 86_400, issuer: issuer.subject,
            subject: try DistinguishedName {
                OrganizationName("shelter-agent bench")
                CommonName(gatewayId)
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                try ExtendedKeyUsage([.clientAuth])
            },
            issuerPrivateKey: issuerKey)
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return (
            try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der),
            try NIOSSLPrivateKey(bytes: Array(key.derRepresentation), format: .der)
        )
    }

    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw BenchError("cannot read \(path)") }
        return String(decoding: data, as: UTF8.self)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
