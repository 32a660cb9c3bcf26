/// A registry answer that a person must act on before anything sent again can succeed: a configuration
/// fault. The outbox holds (nothing is dead-lettered) until the fault is fixed, the agent is reloaded
/// (SIGHUP) or restarted, a heartbeat gets through again, or the slow hold back-off expires.
///
/// Which answers are faults (issue 11 item 2, issue 12 item 3):
/// - 3xx: a redirect. The agent never follows one (libcurl `CURLOPT_FOLLOWLOCATION` off): a gateway must
///   talk to the address it was configured with, and a redirect usually means a wrong `registry_url`
///   (http→https, a missing path, a moved host). The `Location` is named so the fix is one edit.
/// - 401 and 403: credentials, certificate or registration. Retrying the same body cannot help, and
///   neither can dropping it: the body is fine, the gateway is not allowed yet.
/// - 400 whose issues are at `gatewayId` or `shelterId`: the body names another gateway than the client
///   certificate (or another shelter than the path). The payloads are right for `gateway.id`; the
///   certificate is wrong, or the other way round.
/// - 404: the path is not known, which with a fixed protocol means a wrong `registry_url` path or a
///   shelter the registry does not (yet) have: nothing about the body.
/// - any other status that is not 2xx, 408, 429, 5xx or a body fault (400, 413, 422): 405, 406, 409, 410,
///   415, 1xx… mean agent and registry do not agree on the protocol (a proxy in between, a registry of
///   another version). None says this body is bad, so none may throw it away.
///
/// Pure value; the text names the file keys to check.
public struct UplinkFault: Sendable, Hashable, CustomStringConvertible {
    private enum Code: String, Sendable, Hashable {
        case redirect, unauthenticated, forbidden, identityMismatch = "identity_mismatch", notFound = "not_found"
        case unexpectedAnswer = "unexpected_answer"
    }

    private let code: Code
    /// The HTTP status the registry answered with.
    public let statusCode: Int
    /// One sentence for a person: what the registry said and which setting to check.
    public let message: String

    /// A plain name of the fault for logs and metrics: `redirect`, `unauthenticated`, `forbidden`,
    /// `identity_mismatch`, `not_found` or `unexpected_answer`.
    public var kind: String { code.rawValue }

    public var description: String { message }

    /// Whether `statusCode` says the body itself is wrong, so the payload is kept as a dead letter: 400
    /// (unless the issues are about the gateway's identity), 413 and 422.
    public static func isBodyFault(statusCode: Int) -> Bool { [400, 413, 422].contains(statusCode) }

    /// Whether `statusCode` is worth retrying with back-off: 408, 429 and 5xx (DESIGN §4).
    public static func isRetryable(statusCode: Int) -> Bool {
        statusCode == 408 || statusCode == 429 || (500..<600).contains(statusCode)
    }

    /// Classifies an answer.
    ///
    /// - Parameters:
    ///   - statusCode: the HTTP status.
    ///   - refusal: the answer's error body or `Location`, when read.
    ///   - request: what was asked, for the sentence: "alerts upload", "heartbeat", "record fetch".
    /// - Returns: `nil` for 2xx, retryable statuses and body faults; the fault otherwise.
    public static func classify(statusCode: Int, refusal: RegistryRefusal?, request: String) -> UplinkFault? {
        if (200..<300).contains(statusCode) || isRetryable(statusCode: statusCode) { return nil }
        if isBodyFault(statusCode: statusCode) && !(refusal?.isIdentityMismatch ?? false) { return nil }
        let said = refusal?.detail.map { ": \($0)" } ?? ""
        let answer = "HTTP \(statusCode)\(said)"
        switch statusCode {
        case 300..<400:
            let target = refusal?.location.map { " to \($0)" } ?? " without a Location"
            return UplinkFault(
                code: .redirect, statusCode: statusCode,
                message: "the registry redirected the \(request) (HTTP \(statusCode)\(target)); redirects are not "
                    + "followed: set gateway.registry_url to the address the registry serves")
        case 401:
            return UplinkFault(
                code: .unauthenticated, statusCode: statusCode,
                message: "the registry did not accept the gateway's credentials for the \(request) (\(answer)); "
                    + "check gateway.client_certificate, gateway.client_key and gateway.bearer_token_file")
        case 403:
            return UplinkFault(
                code: .forbidden, statusCode: statusCode,
                message: "the registry refused the gateway for the \(request) (\(answer)); gateway.id, the client "
                    + "certificate's CN and the shelter id must match the gateway's registration at the bureau")
        case 404:
            return UplinkFault(
                code: .notFound, statusCode: statusCode,
                message: "the registry has no such path for the \(request) (\(answer)); check gateway.registry_url "
                    + "and the shelter id, and ask the bureau whether the shelter is registered")
        case 400..<500 where refusal?.isIdentityMismatch ?? false:
            return UplinkFault(
                code: .identityMismatch, statusCode: statusCode,
                message: "the registry says the \(request) names another gateway or shelter (\(answer)); gateway.id "
                    + "must be the gateway the client certificate names, and the shelter the one it serves")
        default:
            return UplinkFault(
                code: .unexpectedAnswer, statusCode: statusCode,
                message: "the registry refused the \(request) (\(answer)); agent and registry do not agree on "
                    + "the protocol: check gateway.registry_url (no proxy or other service in between) and the "
                    + "agent version")
        }
    }

    /// A sentence for any answer that is not 2xx: the fault's, or for a retryable or body fault
    /// `"the registry answered the <request> with HTTP <status>: <detail>"`.
    public static func sentence(statusCode: Int, refusal: RegistryRefusal?, request: String) -> String {
        if let fault = classify(statusCode: statusCode, refusal: refusal, request: request) { return fault.message }
        return "the registry answered the \(request) with HTTP \(statusCode)"
            + (refusal?.detail.map { ": \($0)" } ?? "")
    }
}
