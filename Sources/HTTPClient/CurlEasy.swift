internal import CCurl
internal import CCurlShim
import Synchronization

/// One libcurl easy handle, configured once for verified TLS and reused for every request so that the
/// connection stays alive between requests (DESIGN §4: 0.26 ms a request on a kept-alive connection vs
/// 7.5 ms with a new TLS handshake).
///
/// Not thread-safe and not `Sendable`: owned by one caller, and `request` blocks the calling thread for up to
/// the total timeout. From async code use `HTTPClient`, which runs the handle on its own thread. The handle
/// is freed in `deinit` (`curl_easy_cleanup`).
public final class CurlEasy {
    /// The configuration the handle was set up with.
    public let configuration: HTTPClientConfiguration

    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let transfer: TransferState

    /// Creates a handle and applies `configuration`.
    ///
    /// - Throws: `CurlError` with `.failedInit` if libcurl cannot create a handle, or the code of the first
    ///   option libcurl refuses (e.g. `.unknownOption` for a libcurl built without pinning support).
    public init(configuration: HTTPClientConfiguration) throws(CurlError) {
        try CurlGlobal.initialise()
        guard let handle = curl_easy_init() else {
            throw CurlError(code: .failedInit, message: "curl_easy_init returned NULL")
        }
        self.handle = handle
        self.configuration = configuration
        let size = Int(ccurl_error_size())
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
        transfer = TransferState(maximumBodySize: configuration.maximumResponseBodySize)
        try applyFixedOptions()
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Sends one request and waits for the whole response, on the calling thread.
    ///
    /// A kept-alive connection from an earlier request is reused when the server allows it.
    /// - Parameter request: method, absolute `https://` URL, headers (no CR/LF), optional body (copied by
    ///   libcurl, `CURLOPT_COPYPOSTFIELDS`).
    /// - Returns: the response, whatever its status.
    ///   - cancellation: when given, `cancel()` on it from any thread ends the transfer within about a second
    ///     (libcurl calls the progress callback at least once a second, even while nothing arrives) with
    ///     `CurlError.Kind.cancelled`.
    /// - Throws: `CurlError` for anything that prevented a complete response: TLS verification, pin,
    ///   client certificate, timeout, connection, a body over `maximumResponseBodySize`
    ///   (`CurlError.Kind.responseTooLarge`, never read further), cancellation, or a malformed request.
    /// - Important: Blocks for up to `timeouts.total`. Never call it on the Swift concurrency pool.
    public func request(_ request: HTTPRequest, cancellation: CurlCancellation? = nil) throws(CurlError) -> HTTPResponse
    {
        var headerLines = ["Expect:"]  // never wait for 100-continue
        if let token = configuration.bearerToken { headerLines.append("Authorization: Bearer \(token)") }
        for header in request.headers {
            guard Self.isValidHeader(header) else {
                throw CurlError(
                    code: .badFunctionArgument, message: "header \(header.name) has an invalid name or value")
            }
            headerLines.append("\(header.name): \(header.value)")
        }
        guard !request.method.rawValue.isEmpty,
            request.method.rawValue.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else {
            throw CurlError(code: .badFunctionArgument, message: "invalid HTTP method")
        }

        var list: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(list) }
        for line in headerLines {
            guard let appended = curl_slist_append(list, line) else {
                throw CurlError(code: .outOfMemory, message: "curl_slist_append failed")
            }
            list = appended
        }

        try set(CURLOPT_URL, request.url)
        try setMethod(request.method, body: request.body)
        try check(ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list))
        defer { _ = ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, nil) }

        transfer.reset(cancellation: cancellation)
        defer { transfer.cancellation = nil }
        errorBuffer[0] = 0
        if cancellation?.isCancelled == true {
            throw CurlError(
                code: .abortedByCallback, message: "the request was cancelled before it started", kind: .cancelled)
        }
        let result = curl_easy_perform(handle)
        let status = info(CURLINFO_RESPONSE_CODE)
        guard result == CURLE_OK else {
            if transfer.isOverLimit {
                throw CurlError(
                    code: .writeError,
                    message: "the response body is larger than the client accepts (maximumResponseBodySize "
                        + "\(transfer.maximumBodySize) bytes); it was not read further",
                    httpStatus: status > 0 ? status : nil, kind: .responseTooLarge)
            }
            if result == CURLE_ABORTED_BY_CALLBACK, cancellation?.isCancelled == true {
                throw CurlError(
                    code: .abortedByCallback, message: "the request was cancelled while in flight",
                    httpStatus: status > 0 ? status : nil, kind: .cancelled)
            }
            throw makeError(result, httpStatus: status > 0 ? status : nil)
        }
        return HTTPResponse(
            status: status, headers: transfer.headers, body: transfer.body,
            newConnections: info(CURLINFO_NUM_CONNECTS))
    }

    // MARK: - Options

    private func applyFixedOptions() throws(CurlError) {
        let tls = configuration.tls
        let userdata = Unmanaged.passUnretained(transfer).toOpaque()
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_PROTOCOLS_STR, "https")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "https")
        try set(CURLOPT_FOLLOWLOCATION, 0)
        try set(CURLOPT_SSL_VERIFYPEER, 1)
        try set(CURLOPT_SSL_VERIFYHOST, 2)
        try set(CURLOPT_SSLVERSION, ccurl_sslversion_tlsv1_2())
        try set(CURLOPT_TCP_KEEPALIVE, 1)
        try set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(configuration.timeouts.connect))
        try set(CURLOPT_TIMEOUT_MS, Self.milliseconds(configuration.timeouts.total))
        try set(CURLOPT_USERAGENT, configuration.userAgent)
        try set(CURLOPT_PROXY, configuration.proxy ?? "")  // "" disables the environment's proxy
        if let path = tls.caBundlePath {
            try set(CURLOPT_CAINFO, path)
            try set(CURLOPT_CAPATH, nil)  // only the configured bundle, not the system directory too
        }
        if let path = tls.clientCertificatePath {
            try set(CURLOPT_SSLCERT, path)
            try set(CURLOPT_SSLCERTTYPE, "PEM")
        }
        if let path = tls.clientKeyPath {
            try set(CURLOPT_SSLKEY, path)
            try set(CURLOPT_SSLKEYTYPE, "PEM")
        }
        if let pin = tls.pinnedPublicKey { try set(CURLOPT_PINNEDPUBLICKEY, pin) }
        try check(ccurl_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, curlWriteBody))
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, userdata))
        try check(ccurl_easy_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader))
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, userdata))
        try check(ccurl_easy_setopt_xferinfo_function(handle, curlTransferProgress))
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_XFERINFODATA, userdata))
        try set(CURLOPT_NOPROGRESS, 0)
    }

    private func setMethod(_ method: HTTPMethod, body: [UInt8]?) throws(CurlError) {
        try set(CURLOPT_CUSTOMREQUEST, nil)
        if let body {
            try check(ccurl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            let code = body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies POSTFIELDSIZE bytes now, so the buffer need not outlive this call;
                // an empty body still needs a valid pointer.
                ccurl_easy_setopt_pointer(
                    handle, CURLOPT_COPYPOSTFIELDS,
                    UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(emptyBody)))
            }
            try check(code)
            if method != .post { try set(CURLOPT_CUSTOMREQUEST, method.rawValue) }
        } else if method == .head {
            try set(CURLOPT_NOBODY, 1)
        } else {
            try set(CURLOPT_HTTPGET, 1)  // also clears NOBODY and POST from an earlier request
            if method != .get { try set(CURLOPT_CUSTOMREQUEST, method.rawValue) }
        }
    }

    private func set(_ option: CURLoption, _ value: Int) throws(CurlError) {
        try check(ccurl_easy_setopt_long(handle, option, value))
    }

    private func set(_ option: CURLoption, _ value: String?) throws(CurlError) {
        let code =
            if let value { value.withCString { ccurl_easy_setopt_string(handle, option, $0) } } else {
                ccurl_easy_setopt_string(handle, option, nil)
            }
        try check(code)
    }

    private func check(_ code: CURLcode) throws(CurlError) {
        guard code == CURLE_OK else { throw makeError(code, httpStatus: nil) }
    }

    private func info(_ item: CURLINFO) -> Int {
        var value = 0
        return ccurl_easy_getinfo_long(handle, item, &value) == CURLE_OK ? value : 0
    }

    private func makeError(_ code: CURLcode, httpStatus: Int?) -> CurlError {
        let buffered = String(cString: errorBuffer)
        let message = buffered.isEmpty ? String(cString: curl_easy_strerror(code)) : buffered
        return CurlError(
            code: CurlError.Code(code), message: message, httpStatus: httpStatus,
            verifyResult: info(CURLINFO_SSL_VERIFYRESULT))
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let total = seconds.multipliedReportingOverflow(by: 1000)
        guard !total.overflow else { return Int.max }
        return max(1, Int(total.partialValue) + Int(attoseconds / 1_000_000_000_000_000))
    }

    private static func isValidHeader(_ header: HTTPHeader) -> Bool {
        // RFC 9110 §5.1 token characters for the name; no control characters (CR, LF, NUL) in the value.
        !header.name.isEmpty
            && header.name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }
            && header.value.utf8.allSatisfy { $0 >= 0x20 || $0 == 0x09 } && !header.value.utf8.contains(0x7F)
    }
}

private nonisolated(unsafe) let emptyBody = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

/// Process-wide `curl_global_init`, run once before the first handle.
private enum CurlGlobal {
    private static let result: CURLcode = ccurl_global_init_default()

    static func initialise() throws(CurlError) {
        guard result == CURLE_OK else {
            throw CurlError(code: CurlError.Code(result), message: "curl_global_init failed")
        }
    }
}

/// A cancellation flag for one request: `cancel()` from any thread makes the transfer end at libcurl's next
/// progress callback (at least once a second). Thread-safe.
public final class CurlCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Creates a flag that is not set.
    public init() {}

    /// Asks the transfer to end. Idempotent.
    public func cancel() { flag.store(true, ordering: .relaxed) }

    /// Whether `cancel()` was called.
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Bytes received during one transfer; the write callbacks append to it.
final class TransferState {
    /// Capacity kept between requests; a larger buffer is released, so one large answer does not pin its
    /// memory for the life of the handle (issue 12 item 9: 86 MB held after 64 MiB bodies).
    static let retainedCapacity = 64 << 10

    let maximumBodySize: Int
    var body: [UInt8] = []
    var headers: [HTTPHeader] = []
    /// Set when the body (or its announced `Content-Length`) went over `maximumBodySize`.
    var isOverLimit = false
    var cancellation: CurlCancellation?

    init(maximumBodySize: Int) { self.maximumBodySize = maximumBodySize }

    func reset(cancellation: CurlCancellation? = nil) {
        if body.capacity > Self.retainedCapacity { body = [] } else { body.removeAll(keepingCapacity: true) }
        headers.removeAll()
        isOverLimit = false
        self.cancellation = cancellation
    }

    func appendHeaderLine(_ bytes: UnsafeBufferPointer<UInt8>) {
        var line = Substring(decoding: bytes, as: UTF8.self)
        while let last = line.last, last == "\r" || last == "\n" || last == "\r\n" { line = line.dropLast() }
        if line.hasPrefix("HTTP/") {
            headers.removeAll()  // a new response (after 100 Continue or a proxy CONNECT)
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
        headers.append(HTTPHeader(String(line[..<colon]), String(value)))
        if line[..<colon].lowercased() == "content-length", let length = Int(value), length > maximumBodySize {
            isOverLimit = true  // refused before the first body byte
        }
    }
}

/// `CURLOPT_WRITEFUNCTION`: appends body bytes; returning less than offered aborts with `CURLE_WRITE_ERROR`.
private func curlWriteBody(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    withTransfer(data, size * count, userdata) { state, bytes in
        guard !state.isOverLimit, state.body.count + bytes.count <= state.maximumBodySize else {
            state.isOverLimit = true
            return 0
        }
        state.body.append(contentsOf: bytes)
        return bytes.count
    }
}

/// `CURLOPT_XFERINFOFUNCTION`: non-zero ends the transfer with `CURLE_ABORTED_BY_CALLBACK`, when the
/// request was cancelled or its announced body is over the limit.
private func curlTransferProgress(
    _ userdata: UnsafeMutableRawPointer?, _ downloadTotal: curl_off_t, _ downloaded: curl_off_t,
    _ uploadTotal: curl_off_t, _ uploaded: curl_off_t
) -> Int32 {
    guard let userdata else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(userdata).takeUnretainedValue()
    return state.isOverLimit || state.cancellation?.isCancelled == true ? 1 : 0
}

/// `CURLOPT_HEADERFUNCTION`: one header line per call, CRLF included.
private func curlWriteHeader(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    withTransfer(data, size * count, userdata) { state, bytes in
        state.appendHeaderLine(bytes)
        return state.isOverLimit ? 0 : bytes.count
    }
}

/// Recovers the `TransferState` from libcurl's userdata pointer and views the bytes libcurl offers.
private func withTransfer(
    _ data: UnsafeMutablePointer<CChar>?, _ length: Int, _ userdata: UnsafeMutableRawPointer?,
    _ body: (TransferState, UnsafeBufferPointer<UInt8>) -> Int
) -> Int {
    guard let data, let userdata else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(userdata).takeUnretainedValue()
    return data.withMemoryRebound(to: UInt8.self, capacity: length) {
        body(state, UnsafeBufferPointer(start: $0, count: length))
    }
}
