/// The body of every 4xx and 5xx answer from the registry: a stable machine code, a sentence for a person,
/// and for a rejected body, one entry per problem with its JSON path.
///
/// JSON: `{ "code": "invalid_body", "message": "…", "issues": [{ "path": "[2].sequence", "message": "…" }] }`.
public struct ErrorBody: Sendable, Hashable, Codable, Error {
    /// Machine code, stable across versions (see `Code`).
    public var code: Code
    /// What went wrong, for a person.
    public var message: String
    /// Problems found in the body, in document order; empty when the error is not about the body.
    public var issues: [Issue]

    /// Creates an error body.
    public init(code: Code, message: String, issues: [Issue] = []) {
        self.code = code
        self.message = message
        self.issues = issues
    }

    /// One problem in a request body.
    public struct Issue: Sendable, Hashable, Codable {
        /// JSON path of the offending value, e.g. `"[2].capacity.registered"`; `""` for the whole body.
        public var path: String
        /// What is wrong with it.
        public var message: String

        /// Creates an issue.
        public init(path: String, message: String) {
            self.path = path
            self.message = message
        }
    }

    /// A registry error code. Encodes as its raw string; unknown codes decode as they are.
    public struct Code: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        /// 400: the body is not valid JSON or does not match the schema.
        public static let invalidBody = Code(rawValue: "invalid_body")
        /// 400: a path parameter is not a valid id.
        public static let invalidIdentifier = Code(rawValue: "invalid_identifier")
        /// 401: no client certificate (or no admin credential on an admin path).
        public static let unauthenticated = Code(rawValue: "unauthenticated")
        /// 403: the certificate's gateway is unknown, or not allowed for this shelter or path.
        public static let forbidden = Code(rawValue: "forbidden")
        /// 404: no such shelter, gateway or path.
        public static let notFound = Code(rawValue: "not_found")
        /// 405: the path does not take this method.
        public static let methodNotAllowed = Code(rawValue: "method_not_allowed")
        /// 413: the body or batch is over the limit (`RegistryAPI.maximumBodySize`, `maximumBatchCount`).
        public static let tooLarge = Code(rawValue: "too_large")
        /// 415: the body is not `application/json`.
        public static let unsupportedMediaType = Code(rawValue: "unsupported_media_type")
        /// 429: slow down; `Retry-After` says for how long.
        public static let rateLimited = Code(rawValue: "rate_limited")
        /// 500: the registry failed.
        public static let `internal` = Code(rawValue: "internal")
        /// 503: the registry is temporarily unavailable; retry later.
        public static let unavailable = Code(rawValue: "unavailable")
    }
}
