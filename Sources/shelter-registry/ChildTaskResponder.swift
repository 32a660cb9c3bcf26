import HummingbirdCore
import NIOCore

/// Hummingbird's per-request responder, run in a child task of the connection's task, so the memory of
/// answering a request is freed once the answer is written instead of being kept for the connection's life.
///
/// Hummingbird runs each kept-alive connection as one Swift task, and a task keeps the memory its async
/// frames ever needed (slabs of about 1 KiB, reused but never freed until the task ends): the deepest request
/// a connection served stays allocated while it is idle. In a child task the frames of the request logger,
/// the router, the handlers, the store and the response writing go when the request is answered; the
/// connection keeps only the frames that read the next request. Cancellation reaches the child (structured
/// concurrency), and so do task-local values.
enum ChildTaskResponder {
    static func wrap(_ base: @escaping HTTPChannelHandler.Responder) -> HTTPChannelHandler.Responder {
        { request, writer, channel in
            let handOver = WriterHandOver(writer)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await base(request, handOver.take(), channel) }
                try await group.waitForAll()
            }
        }
    }
}

/// Carries the response writer, which cannot be copied, into the child task; taken exactly once.
private final class WriterHandOver: @unchecked Sendable {
    private var writer: ResponseWriter?

    init(_ writer: consuming ResponseWriter) { self.writer = .some(writer) }

    func take() -> ResponseWriter {
        guard let writer = writer.take() else { preconditionFailure("the response writer was taken twice") }
        return writer
    }
}
