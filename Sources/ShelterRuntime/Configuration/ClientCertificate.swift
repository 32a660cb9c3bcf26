internal import SwiftASN1

/// Reads the subject common name (CN, OID 2.5.4.3) of a PEM certificate: the name the registry knows the
/// gateway by (it answers 403 "the client certificate names gateway …" when it is not `gateway.id`).
///
/// Uses swift-asn1 (FoundationEssentials only, so the agent stays without full Foundation) to parse the DER
/// and walks `Certificate → tbsCertificate → subject` (RFC 5280 §4.1): no signature or validity check, which
/// is the TLS handshake's job. Stateless.
enum ClientCertificate {
    /// The CN of the first certificate in `pem`; `nil` when the subject has none.
    /// - Throws: `ClientCertificateError` when the text is not a PEM certificate or its DER is malformed.
    static func commonName(pem: String) throws(ClientCertificateError) -> String? {
        let der: [UInt8]
        do {
            guard
                let first = try PEMDocument.parseMultiple(pemString: pem).first(where: {
                    $0.discriminator == "CERTIFICATE"
                })
            else { throw ClientCertificateError("no CERTIFICATE block in the PEM file") }
            der = first.derBytes
        } catch let error as ClientCertificateError {
            throw error
        } catch {
            throw ClientCertificateError("not a PEM certificate (\(error))")
        }
        do {
            let certificate = try DER.parse(der)
            guard case .constructed(let parts) = certificate.content,
                let tbs = Array(parts).first, case .constructed(let fields) = tbs.content
            else { throw ClientCertificateError("not an X.509 certificate") }
            var tbsFields = Array(fields)
            // version [0] EXPLICIT is optional (absent for v1 certificates).
            if let first = tbsFields.first, first.identifier.tagClass == .contextSpecific { tbsFields.removeFirst() }
            // serialNumber, signature, issuer, validity, subject.
            guard tbsFields.count > 4, case .constructed(let names) = tbsFields[4].content else {
                throw ClientCertificateError("the certificate has no subject")
            }
            for relativeName in names {
                guard case .constructed(let attributes) = relativeName.content else { continue }
                for attribute in attributes {
                    guard case .constructed(let pair) = attribute.content else { continue }
                    let items = Array(pair)
                    guard items.count == 2,
                        try ASN1ObjectIdentifier(derEncoded: items[0])
                            == ASN1ObjectIdentifier.NameAttributes.commonName,
                        case .primitive(let bytes) = items[1].content
                    else { continue }
                    return String(decoding: bytes, as: UTF8.self)
                }
            }
            return nil
        } catch let error as ClientCertificateError {
            throw error
        } catch {
            throw ClientCertificateError("malformed DER (\(error))")
        }
    }
}

/// Why a certificate's CN could not be read.
struct ClientCertificateError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
