internal import CCurl

/// A failed transfer: libcurl's result code, the text libcurl wrote into its error buffer, the HTTP status
/// if a response had arrived, and a plain classification of what went wrong.
///
/// Mirrors `CURLcode` the way swift-system's `Errno` mirrors `errno`: `code` is the C value, the named
/// statics carry the C names, and `~=` lets `catch CurlError.Code.operationTimedOut` match. The error never
/// carries request bodies, headers or the bearer token (site policy: no payloads or secrets in errors).
public struct CurlError: Error, Hashable, Sendable, CustomStringConvertible {
    /// libcurl's result code (`CURLcode`).
    public var code: Code
    /// libcurl's error-buffer text (`CURLOPT_ERRORBUFFER`), or `curl_easy_strerror(code)` when the buffer
    /// was empty, or our own text for a failure found before libcurl ran (e.g. a bad header).
    public var message: String
    /// HTTP status of the response, when one had been received before the failure; `nil` otherwise.
    public var httpStatus: Int?
    /// The OpenSSL certificate verification result (`CURLINFO_SSL_VERIFYRESULT`, an `X509_V_ERR_*` value);
    /// 0 when verification passed or never ran.
    public var verifyResult: Int
    /// What went wrong, in plain terms, derived from `code`, `verifyResult` and `message`.
    public var kind: Kind

    /// Creates an error and classifies it.
    public init(code: Code, message: String, httpStatus: Int? = nil, verifyResult: Int = 0) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.verifyResult = verifyResult
        self.kind = Kind.classify(code: code, verifyResult: verifyResult, message: message)
    }

    /// Creates an error whose kind the client knows better than the code says (a body over the limit, a
    /// cancelled request).
    init(code: Code, message: String, httpStatus: Int? = nil, kind: Kind) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.verifyResult = 0
        self.kind = kind
    }

    /// `"<kind>: <libcurl message> (curl <code>[, HTTP <status>])"`, e.g.
    /// `"server certificate has expired: SSL certificate problem: certificate has expired (curl 60)"`.
    public var description: String {
        var text = "\(kind): \(message) (curl \(code.rawValue)"
        if let httpStatus { text += ", HTTP \(httpStatus)" }
        return text + ")"
    }
}

extension CurlError {
    /// A libcurl result code (`CURLcode`). Named statics cover the codes a client of this module meets;
    /// any other value still round-trips through `rawValue`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The `CURLcode` value.
        public var rawValue: Int

        /// Wraps a `CURLcode` value.
        public init(rawValue: Int) { self.rawValue = rawValue }

        init(_ code: CURLcode) { self.rawValue = Int(code.rawValue) }

        /// Matches an error against a code: `catch CurlError.Code.operationTimedOut`.
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? CurlError)?.code == code
        }

        /// libcurl's text for the code. The corresponding C function is `curl_easy_strerror`.
        public var description: String {
            String(cString: curl_easy_strerror(CURLcode(rawValue: UInt32(truncatingIfNeeded: rawValue))))
        }

        /// The URL uses a scheme other than `https`. The corresponding libcurl code is `CURLE_UNSUPPORTED_PROTOCOL`.
        public static let unsupportedProtocol = Code(CURLE_UNSUPPORTED_PROTOCOL)
        /// libcurl could not initialise. The corresponding libcurl code is `CURLE_FAILED_INIT`.
        public static let failedInit = Code(CURLE_FAILED_INIT)
        /// The URL is malformed. The corresponding libcurl code is `CURLE_URL_MALFORMAT`.
        public static let urlMalformed = Code(CURLE_URL_MALFORMAT)
        /// The proxy host name did not resolve. The corresponding libcurl code is `CURLE_COULDNT_RESOLVE_PROXY`.
        public static let couldNotResolveProxy = Code(CURLE_COULDNT_RESOLVE_PROXY)
        /// The host name did not resolve. The corresponding libcurl code is `CURLE_COULDNT_RESOLVE_HOST`.
        public static let couldNotResolveHost = Code(CURLE_COULDNT_RESOLVE_HOST)
        /// The TCP connection failed (refused, unreachable). The corresponding libcurl code is `CURLE_COULDNT_CONNECT`.
        public static let couldNotConnect = Code(CURLE_COULDNT_CONNECT)
        /// Writing received data failed, e.g. the body exceeded the configured limit. The corresponding libcurl
        /// code is `CURLE_WRITE_ERROR`.
        public static let writeError = Code(CURLE_WRITE_ERROR)
        /// Out of memory. The corresponding libcurl code is `CURLE_OUT_OF_MEMORY`.
        public static let outOfMemory = Code(CURLE_OUT_OF_MEMORY)
        /// The connect or total timeout was reached. The corresponding libcurl code is `CURLE_OPERATION_TIMEDOUT`.
        public static let operationTimedOut = Code(CURLE_OPERATION_TIMEDOUT)
        /// The TLS handshake failed (alert from the peer, protocol mismatch). The corresponding libcurl code is
        /// `CURLE_SSL_CONNECT_ERROR`.
        public static let sslConnectError = Code(CURLE_SSL_CONNECT_ERROR)
        /// A callback aborted the transfer. The corresponding libcurl code is `CURLE_ABORTED_BY_CALLBACK`.
        public static let abortedByCallback = Code(CURLE_ABORTED_BY_CALLBACK)
        /// A function was called with a bad argument (e.g. a header with CR or LF). The corresponding libcurl
        /// code is `CURLE_BAD_FUNCTION_ARGUMENT`.
        public static let badFunctionArgument = Code(CURLE_BAD_FUNCTION_ARGUMENT)
        /// The option is not known to this libcurl. The corresponding libcurl code is `CURLE_UNKNOWN_OPTION`.
        public static let unknownOption = Code(CURLE_UNKNOWN_OPTION)
        /// The server closed the connection without answering. The corresponding libcurl code is `CURLE_GOT_NOTHING`.
        public static let gotNothing = Code(CURLE_GOT_NOTHING)
        /// Sending failed. The corresponding libcurl code is `CURLE_SEND_ERROR`.
        public static let sendError = Code(CURLE_SEND_ERROR)
        /// Receiving failed (connection reset; with TLS 1.3, also a client certificate the server refused
        /// after the handshake). The corresponding libcurl code is `CURLE_RECV_ERROR`.
        public static let receiveError = Code(CURLE_RECV_ERROR)
        /// The local client certificate or key could not be used. The corresponding libcurl code is
        /// `CURLE_SSL_CERTPROBLEM`.
        public static let sslCertificateProblem = Code(CURLE_SSL_CERTPROBLEM)
        /// The server's certificate did not verify (untrusted, expired, wrong host name). The corresponding
        /// libcurl code is `CURLE_PEER_FAILED_VERIFICATION`.
        public static let peerFailedVerification = Code(CURLE_PEER_FAILED_VERIFICATION)
        /// The CA bundle could not be loaded. The corresponding libcurl code is `CURLE_SSL_CACERT_BADFILE`.
        public static let sslCABundleBadFile = Code(CURLE_SSL_CACERT_BADFILE)
        /// The server's public key did not match the pin. The corresponding libcurl code is
        /// `CURLE_SSL_PINNEDPUBKEYNOTMATCH`.
        public static let sslPinnedPublicKeyMismatch = Code(CURLE_SSL_PINNEDPUBKEYNOTMATCH)
    }

    /// A plain classification of a failure, for logs, metrics and retry decisions. Not exhaustive: new kinds
    /// may be added, so `switch` over it needs a `default`.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case serverCertificateUntrusted = "server certificate not trusted by the configured CA"
            case serverCertificateExpired = "server certificate has expired"
            case serverCertificateNotYetValid = "server certificate is not yet valid"
            case hostNameMismatch = "server certificate does not match the host name"
            case serverCertificateInvalid = "server certificate failed verification"
            case pinMismatch = "server public key does not match the pin"
            case clientCertificateRejected = "server rejected the client certificate"
            case clientCertificateMissing = "server requires a client certificate"
            case clientCertificateUnusable = "client certificate or key cannot be used"
            case caBundleUnusable = "CA bundle cannot be loaded"
            case tlsHandshake = "TLS handshake failed"
            case timeout = "timed out"
            case resolve = "host name did not resolve"
            case connect = "could not connect"
            case network = "connection failed during the transfer"
            case usage = "invalid request or option"
            case responseTooLarge = "response body over the limit"
            case cancelled = "cancelled"
            case other = "transfer failed"
        }

        private let value: Value

        /// Text for logs, e.g. `"server certificate has expired"`.
        public var description: String { value.rawValue }

        /// The server's chain does not lead to the configured CA (wrong CA bundle or a foreign server).
        public static let serverCertificateUntrusted = Kind(value: .serverCertificateUntrusted)
        /// The server's certificate (or one in its chain) is past its notAfter date.
        public static let serverCertificateExpired = Kind(value: .serverCertificateExpired)
        /// The server's certificate is before its notBefore date (check the gateway clock).
        public static let serverCertificateNotYetValid = Kind(value: .serverCertificateNotYetValid)
        /// The certificate's subject alternative names do not include the host in the URL.
        public static let hostNameMismatch = Kind(value: .hostNameMismatch)
        /// Any other server-certificate verification failure.
        public static let serverCertificateInvalid = Kind(value: .serverCertificateInvalid)
        /// The server's public key does not match `TLS.pinnedPublicKey`.
        public static let pinMismatch = Kind(value: .pinMismatch)
        /// The server refused the client certificate presented (unknown CA, expired, revoked).
        public static let clientCertificateRejected = Kind(value: .clientCertificateRejected)
        /// The server requires a client certificate and none was configured.
        public static let clientCertificateMissing = Kind(value: .clientCertificateMissing)
        /// The configured client certificate or key file cannot be read or does not match.
        public static let clientCertificateUnusable = Kind(value: .clientCertificateUnusable)
        /// The configured CA bundle cannot be read.
        public static let caBundleUnusable = Kind(value: .caBundleUnusable)
        /// Any other TLS handshake failure.
        public static let tlsHandshake = Kind(value: .tlsHandshake)
        /// The connect or total timeout was reached.
        public static let timeout = Kind(value: .timeout)
        /// The host or proxy name did not resolve.
        public static let resolve = Kind(value: .resolve)
        /// The TCP connection could not be made.
        public static let connect = Kind(value: .connect)
        /// The connection failed after it was made (reset, closed with no answer).
        public static let network = Kind(value: .network)
        /// The request or an option was invalid (bad URL, scheme other than https, bad header).
        public static let usage = Kind(value: .usage)
        /// The response body (or its `Content-Length`) was over `maximumResponseBodySize`; nothing more was read.
        public static let responseTooLarge = Kind(value: .responseTooLarge)
        /// The caller cancelled the request (`CurlCancellation`, or the task of `HTTPClient.send`).
        public static let cancelled = Kind(value: .cancelled)
        /// Anything else.
        public static let other = Kind(value: .other)

        /// True for failures of TLS trust or authentication (server or client side), which retrying will
        /// not fix without a configuration or certificate change.
        public var isTLSTrustFailure: Bool {
            switch value {
            case .serverCertificateUntrusted, .serverCertificateExpired, .serverCertificateNotYetValid,
                .hostNameMismatch, .serverCertificateInvalid, .pinMismatch, .clientCertificateRejected,
                .clientCertificateMissing, .clientCertificateUnusable, .caBundleUnusable:
                return true
            default:
                return false
            }
        }

        // X509_V_ERR_* values (OpenSSL x509_vfy.h) that curl reports through CURLINFO_SSL_VERIFYRESULT.
        private static let untrustedVerifyResults: Set<Int> = [2, 18, 19, 20, 21, 24]  // issuer missing, self-signed
        private static let expiredVerifyResult = 10  // X509_V_ERR_CERT_HAS_EXPIRED
        private static let notYetValidVerifyResult = 9  // X509_V_ERR_CERT_NOT_YET_VALID
        private static let hostMismatchVerifyResult = 62  // X509_V_ERR_HOSTNAME_MISMATCH

        static func classify(code: Code, verifyResult: Int, message: String) -> Kind {
            let text = message.lowercased()
            switch code {
            case .peerFailedVerification:
                if verifyResult == expiredVerifyResult || text.contains("certificate has expired") {
                    return .serverCertificateExpired
                }
                if verifyResult == notYetValidVerifyResult || text.contains("not yet valid") {
                    return .serverCertificateNotYetValid
                }
                if verifyResult == hostMismatchVerifyResult || text.contains("host name")
                    || text.contains("subject name")
                {
                    return .hostNameMismatch
                }
                if untrustedVerifyResults.contains(verifyResult) || text.contains("issuer")
                    || text.contains("self-signed") || text.contains("self signed")
                {
                    return .serverCertificateUntrusted
                }
                return .serverCertificateInvalid
            case .sslPinnedPublicKeyMismatch:
                return .pinMismatch
            case .sslCertificateProblem:
                return .clientCertificateUnusable
            case .sslCABundleBadFile:
                return .caBundleUnusable
            case .operationTimedOut:
                return .timeout
            case .couldNotResolveHost, .couldNotResolveProxy:
                return .resolve
            case .couldNotConnect:
                return .connect
            case .sslConnectError, .receiveError, .sendError, .gotNothing:
                // The server's TLS alert names a client-certificate refusal; with TLS 1.3 it arrives after the
                // handshake, on the first read.
                if text.contains("certificate required") { return .clientCertificateMissing }
                if text.contains("alert bad certificate") || text.contains("alert certificate expired")
                    || text.contains("alert unknown ca") || text.contains("alert certificate revoked")
                    || text.contains("alert certificate unknown") || text.contains("alert unsupported certificate")
                {
                    return .clientCertificateRejected
                }
                return code == .sslConnectError ? .tlsHandshake : .network
            case .unsupportedProtocol, .urlMalformed, .badFunctionArgument, .unknownOption:
                return .usage
            default:
                return .other
            }
        }
    }
}
