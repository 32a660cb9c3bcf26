import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

private let interruptRequested = Atomic<Bool>(false)

/// SIGINT (Ctrl-C) and SIGTERM during a run: the handler only sets a flag; the runner sees it within a tick,
/// stops every child it started by PID, writes its report and exits non-zero.
enum ScenarioInterrupt {
    /// Installs the handlers (idempotent).
    static func install() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { _ in interruptRequested.store(true, ordering: .relaxed) }
        }
    }

    /// Whether a stop signal has arrived.
    static var isRequested: Bool { interruptRequested.load(ordering: .relaxed) }
}
