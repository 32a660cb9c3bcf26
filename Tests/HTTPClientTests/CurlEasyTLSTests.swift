import HTTPClient
import HTTPTestSupport
import Testing
import ShelterTesting

/// Real TLS on loopback against `openssl s_server` with certificates from `Scripts/pki`: each way a
/// connection must be refused fails with a `CurlError` whose kind and message say which.
@Suite("CurlEasy over TLS", .tags(.integration))
struct CurlEasyTLSTests {
    let pki: TestPKI

    init() async throws { pki = try await TestPKI.shared() }

    /// Client configuration trusting `ca`, presenting `client` (nil: no certificate), with an optional pin.
    func configuration(
        ca: String = "ca", client: String? = "gw-reference-01", pin: String? = nil
    )
        -> HTTPClientConfiguration
    {
        HTTPClientConfiguration(
            tls: .init(
                caBundlePath: pki.certificate(ca), clientCertificatePath: client.map(pki.certificate),
                clientKeyPath: client.map(pki.key), pinnedPublicKey: pin),
            timeouts: .init(connect: .seconds(20), total: .seconds(30)))
    }

    func mutualTLSServer(certificate: String = "registry") async throws -> OpenSSLServer {
        try await OpenSSLServer(
            certificate: pki.certificate(certificate), key: pki.key(certificate), clientCA: pki.certificate("ca"))
    }

    /// Runs one GET and returns the error it must fail with.
    func failure(_ configuration: HTTPClientConfiguration, url: String) throws -> CurlError {
        let easy = try CurlEasy(configuration: configuration)
        do {
            let response = try easy.request(HTTPRequest(url: url))
            Issue.record("expected a failure, got HTTP \(response.status)")
            throw TestFailure("no failure")
        } catch let error as CurlError {
            return error
        }
    }

    @Test("succeeds with mutual TLS and the right public-key pin")
    func succeedsWithClientCertificateAndPin() async throws {
        let server = try await mutualTLSServer()
        let easy = try CurlEasy(configuration: configuration(pin: try pki.registryPin()))
        let response = try easy.request(HTTPRequest(url: server.url))
        #expect(response.status == 200)
        let page = String(decoding: response.body, as: UTF8.self)
        #expect(page.hasPrefix("<HTML>"))
        #expect(page.contains("s_server -accept 127.0.0.1:0"))  // s_server's status page names its command line
        #expect(response.value(forHeader: "content-type") == "text/html")
    }

    @Test("a server certificate from another CA fails as untrusted")
    func wrongCAFails() async throws {
        let server = try await mutualTLSServer()
        let error = try failure(configuration(ca: "wrong-ca"), url: server.url)
        #expect(error.code == .peerFailedVerification)
        #expect(error.kind == .serverCertificateUntrusted)
        #expect(error.description.contains("not trusted"))
        // OpenSSL's wording depends on whether the server sent its CA along: either names the chain as unknown.
        #expect(
            error.message.contains("unable to get local issuer certificate")
                || error.message.contains("self-signed certificate in certificate chain"))
    }

    @Test("a wrong public-key pin fails as a pin mismatch")
    func wrongPinFails() async throws {
        let server = try await mutualTLSServer()
        let wrongPin = "sha256//" + String(repeating: "A", count: 43) + "="
        let error = try failure(configuration(pin: wrongPin), url: server.url)
        #expect(error.code == .sslPinnedPublicKeyMismatch)
        #expect(error.kind == .pinMismatch)
        #expect(error.description.contains("pin"))
    }

    @Test("no client certificate fails as required by the server")
    func missingClientCertificateFails() async throws {
        let server = try await mutualTLSServer()
        let error = try failure(configuration(client: nil), url: server.url)
        #expect(error.kind == .clientCertificateMissing)
        #expect(error.message.contains("certificate required"))
        #expect(error.description.contains("requires a client certificate"))
    }

    @Test("a client certificate from another CA is rejected by the server")
    func clientCertificateFromWrongCAFails() async throws {
        let server = try await mutualTLSServer()
        let error = try failure(configuration(client: "wrong-ca-gateway"), url: server.url)
        #expect(error.kind == .clientCertificateRejected)
        #expect(error.description.contains("rejected the client certificate"))
    }

    @Test("an expired client certificate is rejected by the server")
    func expiredClientCertificateFails() async throws {
        let server = try await mutualTLSServer()
        let error = try failure(configuration(client: "gateway-expired"), url: server.url)
        #expect(error.kind == .clientCertificateRejected)
        #expect(error.message.contains("certificate expired"))
    }

    @Test("an expired server certificate fails as expired")
    func expiredServerCertificateFails() async throws {
        let server = try await mutualTLSServer(certificate: "registry-expired")
        let error = try failure(configuration(), url: server.url)
        #expect(error.code == .peerFailedVerification)
        #expect(error.kind == .serverCertificateExpired)
        #expect(error.verifyResult == 10)  // X509_V_ERR_CERT_HAS_EXPIRED
        #expect(error.description.contains("expired"))
    }

    @Test("a server certificate for another host name fails as a host-name mismatch")
    func wrongHostNameFails() async throws {
        let server = try await mutualTLSServer(certificate: "registry-wronghost")
        let error = try failure(configuration(), url: server.url)
        #expect(error.code == .peerFailedVerification)
        #expect(error.kind == .hostNameMismatch)
        #expect(error.message.contains("127.0.0.1"))
        #expect(error.description.contains("host name"))
    }

    @Test("a CA bundle that does not exist fails before connecting")
    func missingCABundleFails() async throws {
        let server = try await mutualTLSServer()
        var bad = configuration()
        bad.tls.caBundlePath = pki.directory + "/no-such-ca.crt"
        let error = try failure(bad, url: server.url)
        #expect(error.kind == .caBundleUnusable)
    }

    @Test("a client certificate file that does not exist fails as unusable")
    func missingClientCertificateFileFails() async throws {
        let server = try await mutualTLSServer()
        var bad = configuration()
        bad.tls.clientCertificatePath = pki.directory + "/no-such-gateway.crt"
        let error = try failure(bad, url: server.url)
        #expect(error.kind == .clientCertificateUnusable)
    }

    @Test("plain http is refused: there is no unverified transport")
    func plainHTTPRefused() async throws {
        let error = try failure(configuration(), url: "http://127.0.0.1:9/")
        #expect(error.code == .unsupportedProtocol)
        #expect(error.kind == .usage)
    }

    @Test("a header value with CR LF is refused before anything is sent")
    func headerInjectionRefused() async throws {
        let easy = try CurlEasy(configuration: configuration())
        #expect(throws: CurlError.self) {
            try easy.request(
                HTTPRequest(url: "https://127.0.0.1:9/", headers: [HTTPHeader("X-Test", "a\r\nHost: evil")]))
        }
    }
}

@Suite("CurlEasy timeouts", .tags(.integration))
struct CurlEasyTimeoutTests {
    @Test("a server that accepts TCP but never answers the TLS handshake hits the connect timeout")
    func silentServerHitsConnectTimeout() async throws {
        let pki = try await TestPKI.shared()
        let listener = try SilentListener()
        let client = try HTTPClient(
            configuration: .init(
                tls: .init(caBundlePath: pki.certificate("ca")),
                timeouts: .init(connect: .milliseconds(500), total: .seconds(30))))
        let clock = ContinuousClock()
        let start = clock.now
        await #expect {
            try await client.send(HTTPRequest(url: "https://127.0.0.1:\(listener.port)/"))
        } throws: { error in
            guard let error = error as? CurlError else { return false }
            return error.code == .operationTimedOut && error.kind == .timeout
                && error.description.contains("timed out")
        }
        #expect(clock.now - start >= .milliseconds(450))
    }

    @Test("a server that completes TLS but never answers the request hits the total timeout")
    func hungServerHitsTotalTimeout() async throws {
        let pki = try await TestPKI.shared()
        let server = try await OpenSSLServer(
            certificate: pki.certificate("registry"), key: pki.key("registry"), clientCA: pki.certificate("ca"),
            www: false)
        let client = try HTTPClient(
            configuration: .init(
                tls: .init(
                    caBundlePath: pki.certificate("ca"), clientCertificatePath: pki.certificate("gw-reference-01"),
                    clientKeyPath: pki.key("gw-reference-01")),
                timeouts: .init(connect: .seconds(20), total: .seconds(1))))
        let clock = ContinuousClock()
        let start = clock.now
        await #expect {
            try await client.send(HTTPRequest(method: .post, url: server.url, body: Array("{}".utf8)))
        } throws: { error in
            (error as? CurlError)?.kind == .timeout
        }
        #expect(clock.now - start >= .milliseconds(950))
    }
}
