public import FoundationEssentials

/// What the registry said when it did not answer 2xx, as far as a person needs it: the JSON `ErrorBody`
/// (OpenAPI `ErrorBody`, every 4xx and 5xx of the reference registry), the `Location` of a redirect, or the
/// start of a body that is not an `ErrorBody` (a proxy's HTML page, a load balancer's text).
///
/// Never carries a request payload or a credential: only what the server sent back, cut to
/// `maximumTextLength` characters with control characters removed, so it is safe in logs and in `status`.
public struct RegistryRefusal: Sendable, Hashable {
    /// The registry's error body, when the answer was one.
    public var errorBody: ErrorBody?
    /// The `Location` header of a 3xx answer, as sent (cut and cleaned like `text`).
    public var location: String?
    /// The start of a body that is not an `ErrorBody`; `nil` when empty or when `errorBody` is set.
    public var text: String?

    /// Longest `text` or `location` kept, characters. 200.
    public static let maximumTextLength = 200

    /// Creates a refusal from parts already parsed.
    public init(errorBody: ErrorBody? = nil, location: String? = nil, text: String? = nil) {
        self.errorBody = errorBody
        self.location = location.map(Self.clean)
        self.text = text.map(Self.clean).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Reads an answer's body and `Location` header: an `ErrorBody` when the body decodes as one, else the
    /// start of the body as text. Never throws: a body that is neither is kept as text.
    public init(body: [UInt8], location: String?) {
        let decoded = body.isEmpty ? nil : try? RegistryJSON.makeDecoder().decode(ErrorBody.self, from: Data(body))
        self.init(
            errorBody: decoded, location: location,
            text: decoded == nil ? String(decoding: body.prefix(4 * Self.maximumTextLength), as: UTF8.self) : nil)
    }

    /// The registry's own words: `"<code>: <message> (<path> <issue>; …)"` for an `ErrorBody`, the text
    /// otherwise, `nil` when the answer had no body.
    public var detail: String? {
        guard let errorBody else { return text }
        var detail = "\(errorBody.code): \(errorBody.message)"
        if !errorBody.issues.isEmpty {
            let shown = errorBody.issues.prefix(3).map { $0.path.isEmpty ? $0.message : "\($0.path) \($0.message)" }
            let more = errorBody.issues.count > 3 ? "; and \(errorBody.issues.count - 3) more" : ""
            detail += " (" + shown.joined(separator: "; ") + more + ")"
        }
        return detail
    }

    /// Whether the registry refused a body because it names another gateway or shelter than the client
    /// certificate and the path: an issue at a `gatewayId` or `shelterId` key. That is the gateway's
    /// configuration (`gateway.id` against the certificate's CN), not the body, at fault.
    public var isIdentityMismatch: Bool {
        errorBody?.issues.contains { issue in
            let key = issue.path.split(separator: ".").last.map(String.init) ?? issue.path
            return key == "gatewayId" || key == "shelterId"
        } ?? false
    }

    private static func clean(_ value: String) -> String {
        let printable = value.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) }
        let text = String(printable).split(whereSeparator: { $0 == " " }).joined(separator: " ")
        return text.count > maximumTextLength ? String(text.prefix(maximumTextLength)) + "…" : text
    }
}
