import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One simulated gateway's kept-alive HTTPS connection with its own client certificate; one request at a
/// time, as the agent's single libcurl handle sends them.
final class GatewayConnection: Sendable {
    private let channel: any Channel
    private let handler: ResponseHandler
    let host: String

    static func connect(
        group: any EventLoopGroup, host: String, port: Int, context: NIOSSLContext
    ) async throws -> GatewayConnection {
        let handler = ResponseHandler()
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(30))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                    try sync.addHTTPClientHandlers()
                    try sync.addHandler(handler)
                }
            }
            .connect(host: host, port: port).get()
        return GatewayConnection(channel: channel, handler: handler, host: host)
    }

    private init(channel: any Channel, handler: ResponseHandler, host: String) {
        self.channel = channel
        self.handler = handler
        self.host = host
    }

    var isActive: Bool { channel.isActive }

    /// Sends one request and waits for the whole answer; returns the HTTP status.
    func send(_ method: HTTPMethod, _ path: String, json body: [UInt8]?) async throws -> Int {
        let promise = channel.eventLoop.makePromise(of: Int.self)
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: host)
        if let body {
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(body.count))
        }
        let buffer = body.map { ByteBuffer(bytes: $0) }
        let requestHead = head
        let channel = self.channel
        let handler = self.handler
        channel.eventLoop.execute {
            handler.expect(promise)
            channel.write(HTTPClientRequestPart.head(requestHead), promise: nil)
            if let buffer { channel.write(HTTPClientRequestPart.body(.byteBuffer(buffer)), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
        return try await promise.futureResult.get()
    }

    func close() async { try? await channel.close() }
}

/// Completes the pending request's promise with the answer's status once its end arrives. Touched only on
/// the channel's event loop.
private final class ResponseHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    private var pending: EventLoopPromise<Int>?
    private var status = 0

    func expect(_ promise: EventLoopPromise<Int>) { pending = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = Int(head.status.code)
        case .body: break
        case .end:
            let promise = pending
            pending = nil
            promise?.succeed(status)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        pending?.fail(error)
        pending = nil
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        pending?.fail(BenchError("connection closed"))
        pending = nil
        context.fireChannelInactive()
    }
}
