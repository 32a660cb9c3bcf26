internal import Platform

/// Async front of a `CurlEasy`: requests run one at a time, in submission order, on a dedicated thread that
/// owns the easy handle, so the kept-alive connection is reused and no blocking call runs on the Swift
/// concurrency pool.
///
/// Thread-safe (`Sendable`): `send` may be called from any task; concurrent calls queue behind each other.
/// Call `shutdown()` when done (also done in `deinit`); requests submitted after it fail with
/// `CurlError.Code.failedInit`.
///
/// ```swift
/// let client = try HTTPClient(configuration: .init(tls: .init(caBundlePath: "ca.crt",
///     clientCertificatePath: "gw.crt", clientKeyPath: "gw.key")))
/// let response = try await client.send(HTTPRequest(method: .post, url: url, body: bytes))
/// ```
public final class HTTPClient: @unchecked Sendable {
    /// The configuration the handle was set up with.
    public let configuration: HTTPClientConfiguration

    // Touched only by jobs running on `worker`, one at a time; that is what makes the unchecked Sendable sound.
    private let easy: CurlEasy
    private let worker: ThreadExecutor

    /// Creates the easy handle and starts its thread.
    /// - Throws: `CurlError` if libcurl refuses the configuration (see `CurlEasy.init(configuration:)`).
    public init(configuration: HTTPClientConfiguration) throws(CurlError) {
        self.configuration = configuration
        easy = try CurlEasy(configuration: configuration)
        worker = ThreadExecutor(name: "http-client")
    }

    deinit { worker.stop() }

    /// Sends one request on the client's thread and returns its response.
    ///
    /// - Returns: the response, whatever its status (a 503 is a response).
    /// - Throws: `CurlError` as `CurlEasy.request(_:)` does; `CurlError.Kind.cancelled` when the task is
    ///   cancelled.
    /// - Important: Cancelling the task ends the transfer within about a second (a request still queued never
    ///   starts), so a caller can give up on a request that hangs (issue 12 item 8) without waiting for the
    ///   total timeout. Graceful shutdown does not cancel tasks: a forwarder still finishes its batch.
    public func send(_ request: HTTPRequest) async throws(CurlError) -> HTTPResponse {
        let cancellation = CurlCancellation()
        let result: Result<HTTPResponse, CurlError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let accepted = worker.submit { [easy] in
                    do throws(CurlError) {
                        continuation.resume(returning: .success(try easy.request(request, cancellation: cancellation)))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
                if !accepted {
                    continuation.resume(
                        returning: .failure(CurlError(code: .failedInit, message: "HTTP client has been shut down")))
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }

    /// Finishes queued requests, then stops the thread. Idempotent.
    public func shutdown() { worker.stop() }
}
