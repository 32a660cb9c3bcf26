/// An HTTP method, e.g. `.get`, `.post`.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The method token as sent, e.g. `"POST"`.
    public var rawValue: String
    /// Wraps a method token.
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let head = HTTPMethod(rawValue: "HEAD")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")
}

/// One header field, name as written (compared case-insensitively) and value without surrounding spaces.
public struct HTTPHeader: Hashable, Sendable {
    /// Field name, e.g. `"Content-Type"`.
    public var name: String
    /// Field value, e.g. `"application/json"`. Must not contain CR or LF.
    public var value: String

    /// Creates a header field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A request to send.
public struct HTTPRequest: Sendable, Hashable {
    /// Method; the default is `.get`.
    public var method: HTTPMethod
    /// Absolute `https://` URL.
    public var url: String
    /// Extra header fields; `Authorization` is added from the configuration's bearer token.
    public var headers: [HTTPHeader]
    /// Body bytes, sent with `Content-Length`; `nil` sends no body.
    public var body: [UInt8]?

    /// Creates a request.
    public init(method: HTTPMethod = .get, url: String, headers: [HTTPHeader] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A response received (any status: a 4xx or 5xx is a response, not a `CurlError`).
public struct HTTPResponse: Sendable, Hashable {
    /// Status code, 100...599.
    public var status: Int
    /// Header fields of the final response, in received order.
    public var headers: [HTTPHeader]
    /// Body bytes (empty for 204, 304 and HEAD).
    public var body: [UInt8]
    /// Number of new connections libcurl had to open for this request: 0 when a kept-alive connection was
    /// reused. The corresponding libcurl info is `CURLINFO_NUM_CONNECTS`.
    public var newConnections: Int

    /// Creates a response.
    public init(status: Int, headers: [HTTPHeader], body: [UInt8], newConnections: Int = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.newConnections = newConnections
    }

    /// Value of the first header named `name` (case-insensitive), or `nil`.
    public func value(forHeader name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// The `ETag` header, quotes included (e.g. `"\"v7\""`), or `nil`.
    public var etag: String? { value(forHeader: "ETag") }

    /// True for 200...299.
    public var isSuccess: Bool { (200...299).contains(status) }
}
