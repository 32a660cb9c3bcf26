import ShelterCore

/// Faults queued by `POST /v1/admin/faults` for the next gateway requests (tests and HIL scenarios only;
/// off unless the registry runs with `--enable-fault-injection`).
actor FaultInjector {
    /// One queued fault.
    struct Fault: Sendable, Decodable {
        /// Answer with this status (400...599).
        var status: Int?
        /// Hold the request without answering.
        var hang: Bool?
        /// How long a hung request is held, seconds. Default 3600.
        var hangSeconds: Double?
        /// `Retry-After` value for 429/503.
        var retryAfterSeconds: Int?
        /// Requests left to affect, ≥ 1.
        var count: Int
        /// Which gateway requests count: `all` (default), `status`, `alerts`, `heartbeat`, `record`.
        var paths: String?

        /// Problems with the fault as given, for a 400 answer.
        var issues: [ErrorBody.Issue] {
            var issues: [ErrorBody.Issue] = []
            if count < 1 { issues.append(.init(path: "count", message: "must be ≥ 1")) }
            if let status, !(400...599).contains(status) {
                issues.append(.init(path: "status", message: "must be 400...599"))
            }
            if status == nil && hang != true { issues.append(.init(path: "", message: "give status or hang")) }
            if let hangSeconds, !(hangSeconds > 0) { issues.append(.init(path: "hangSeconds", message: "must be > 0")) }
            if let paths, !Self.pathKinds.contains(paths) {
                issues.append(.init(path: "paths", message: "must be one of \(Self.pathKinds.sorted())"))
            }
            return issues
        }

        static let pathKinds: Set<String> = ["all", "status", "alerts", "heartbeat", "record"]
    }

    private var queue: [Fault] = []

    /// Queues a fault after those already queued.
    func add(_ fault: Fault) { queue.append(fault) }

    /// Takes one use of the first queued fault that applies to a request of `kind`, or `nil`.
    func take(for kind: String) -> Fault? {
        guard let index = queue.firstIndex(where: { ($0.paths ?? "all") == "all" || $0.paths == kind }) else {
            return nil
        }
        let fault = queue[index]
        queue[index].count -= 1
        if queue[index].count <= 0 { queue.remove(at: index) }
        return fault
    }
}
