import Hummingbird
import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// Request context of the registry: Hummingbird's core storage plus the connection, so a handler can read
/// the client certificate that the TLS handshake verified.
struct RegistryContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Subject CN of the verified client certificate, or `nil` when there is none.
    func clientCommonName() async -> String? {
        guard let certificate = try? await channel.nioSSL_peerCertificate().get(),
            let der = try? certificate.toDERBytes(),
            let parsed = try? Certificate(derEncoded: der)
        else { return nil }
        for relativeName in parsed.subject {
            for attribute in relativeName where attribute.type == .RDNAttributeType.commonName {
                return String(describing: attribute.value)
            }
        }
        return nil
    }

    /// True when the peer connected from a loopback address (127.0.0.0/8 or ::1).
    var isLoopbackPeer: Bool {
        guard let ip = channel.remoteAddress?.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1"
    }
}
