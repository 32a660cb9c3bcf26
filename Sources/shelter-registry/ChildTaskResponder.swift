import Hummingbird

/// Answers each request in a child task of the connection's task, so the memory of routing and handling a
/// request is freed once the answer is ready instead of being kept for the connection's life.
///
/// Hummingbird runs each kept-alive connection as one Swift task, and a task keeps the memory its async
/// frames ever needed (slabs of about 1 KiB that are reused, never freed, until the task ends): the deepest
/// request a connection served stays allocated while it is idle. In a child task those frames (the router,
/// the handlers, the store) go when the request is answered; the connection keeps only Hummingbird's own.
/// Cancellation reaches the child (structured concurrency), and so do task-local values (the request logger).
struct ChildTaskResponder<Base: HTTPResponder>: HTTPResponder where Base.Context: Sendable {
    typealias Context = Base.Context
    let base: Base

    func respond(to request: Request, context: Context) async throws -> Response {
        try await withThrowingTaskGroup(of: Response.self) { group in
            group.addTask { try await base.respond(to: request, context: context) }
            guard let response = try await group.next() else { preconditionFailure("the child task is gone") }
            return response
        }
    }
}
