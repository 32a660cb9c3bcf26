/// Capped exponential back-off with jitter: the one back-off formula of the agent (bus reconnects, device and hole
/// probes, outbox retries).
///
/// The delay after the *n*-th consecutive failure is `initialDelay · multiplier^(n−1)`, capped at
/// `maximumDelay`, then shortened by up to `jitter` of itself so that gateways restarted together do not
/// retry in step (DESIGN §3: "reconnect forever with capped exponential backoff and jitter"). Jitter only
/// shortens, so a delay never exceeds the cap. Pure value; the random draw is passed in.
public struct BackoffPolicy: Sendable, Hashable {
    /// Delay after the first failure. Default 0.5 seconds.
    public var initialDelay: Duration
    /// Upper bound of any delay. Default 30 seconds.
    public var maximumDelay: Duration
    /// Growth factor per further failure, ≥ 1. Default 2.
    public var multiplier: Double
    /// Fraction 0...1 by which a delay may be shortened at random. Default 0.2.
    public var jitter: Double

    /// Creates a policy; see the properties for defaults and ranges.
    public init(
        initialDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(30), multiplier: Double = 2,
        jitter: Double = 0.2
    ) {
        precondition(multiplier >= 1 && (0...1).contains(jitter), "multiplier ≥ 1, jitter in 0...1")
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.multiplier = multiplier
        self.jitter = jitter
    }

    /// The delay after the `failures`-th consecutive failure.
    /// - Parameters:
    ///   - failures: consecutive failures so far, ≥ 1 (values below 1 are treated as 1).
    ///   - unitRandom: a uniform draw from `0..<1`; 0 gives the full delay, values near 1 the most jitter.
    /// - Returns: a delay in `(1 − jitter)·d ... d`, where `d = min(initialDelay · multiplier^(failures−1),
    ///   maximumDelay)`.
    public func delay(afterFailures failures: Int, unitRandom: Double) -> Duration {
        let cap = maximumDelay.inSeconds
        var seconds = initialDelay.inSeconds
        var step = 1
        while step < failures && seconds < cap {
            seconds *= multiplier
            step += 1
        }
        seconds = min(seconds, cap)
        let draw = min(max(unitRandom, 0), 1)
        return .seconds(seconds * (1 - jitter * draw))
    }
}
