/// Whether one device on a shared bus is polled, skipped, or probed: a pure state machine.
///
/// DESIGN §7: "a dead device costs only that device". After `failuresBeforeBackoff` polls in a row in which
/// the device did not answer at all (timeouts, bad data, lost link; a Modbus exception *is* an answer), the
/// device is skipped for a back-off period that grows with every failed probe (capped, with jitter); when the
/// period ends, the worker sends one probe request; an answer puts the device back on its normal cycle. So a
/// dead device costs its bus at most one response timeout per back-off period.
///
/// Not thread-safe; owned by one bus worker.
public struct DeviceHealth<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// What the worker does with the device when it is due.
    public enum Decision: Sendable, Hashable {
        /// Send every request of the device's plan.
        case poll
        /// Send one request (the first of the plan) to see whether the device is back.
        case probe
        /// Do not ask the device until the instant; its points have no sample (`device_skipped`).
        case skip(until: Instant)
    }

    /// Polls without any answer before the device goes into back-off, ≥ 1. Default 3.
    public let failuresBeforeBackoff: Int
    /// Back-off between probes; the *n*-th failed probe waits `policy.delay(afterFailures: n)`.
    public let policy: BackoffPolicy
    /// Polls in a row without any answer.
    public private(set) var consecutiveFailures = 0
    private var skipUntil: Instant?
    private var hasPolled = false

    /// Creates the health record of a device not yet polled.
    public init(
        failuresBeforeBackoff: Int = 3,
        policy: BackoffPolicy = .init(
            initialDelay: .seconds(2),
            maximumDelay: .seconds(60))
    ) {
        precondition(failuresBeforeBackoff >= 1, "failuresBeforeBackoff ≥ 1")
        self.failuresBeforeBackoff = failuresBeforeBackoff
        self.policy = policy
    }

    /// The link state to report for the device (`SiteSnapshot.links`).
    public var linkState: LinkState {
        if !hasPolled { return .unknown }
        if consecutiveFailures == 0 { return .up }
        return consecutiveFailures < failuresBeforeBackoff ? .degraded : .down
    }

    /// What to do with the device at `now`.
    public func decision(now: Instant) -> Decision {
        guard consecutiveFailures >= failuresBeforeBackoff, let until = skipUntil else { return .poll }
        return now < until ? .skip(until: until) : .probe
    }

    /// Records the end of a poll or probe at `now`.
    /// - Parameters:
    ///   - answered: whether the device answered any request (values or a Modbus exception).
    ///   - unitRandom: a uniform draw from `0..<1` for the jitter of the next back-off period.
    /// - Returns: the instant until which the device will be skipped, or `nil` if it stays on its cycle.
    @discardableResult
    public mutating func pollEnded(answered: Bool, now: Instant, unitRandom: Double) -> Instant? {
        hasPolled = true
        if answered {
            consecutiveFailures = 0
            skipUntil = nil
            return nil
        }
        consecutiveFailures += 1
        guard consecutiveFailures >= failuresBeforeBackoff else { return nil }
        let backoffs = consecutiveFailures - failuresBeforeBackoff + 1
        let until = now.advanced(by: policy.delay(afterFailures: backoffs, unitRandom: unitRandom))
        skipUntil = until
        return until
    }
}
