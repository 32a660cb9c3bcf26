extension Device {
    /// Default of `poll_interval_seconds`, s.
    public static let defaultPollIntervalSeconds = 10.0
    /// Range of `poll_interval_seconds`, s (`allowedPollIntervalReason` says why).
    public static let allowedPollIntervalSeconds: ClosedRange<Double> = 0.1...86_400
    /// Why the poll interval has a floor and a ceiling, for the configuration issue. The floor: issue 12
    /// measured 75 % of a core (165 % with the port missing) at `1e-320`.
    public static let allowedPollIntervalReason =
        "below 0.1 s the bus worker re-reads values that cannot have changed and keeps a CPU core busy; "
        + "above a day data freshness (C-22) cannot be judged"

    /// Range of `response_timeout_milliseconds`, ms (`allowedResponseTimeoutReason` says why).
    public static let allowedResponseTimeoutMilliseconds: ClosedRange<Double> = 10...60_000
    /// Why the response timeout has a floor and a ceiling, for the configuration issue.
    public static let allowedResponseTimeoutReason =
        "below 10 ms even a device on the local network misses its replies (at 9600 baud a full reply takes "
        + "about 270 ms); above a minute one dead device stalls its whole bus"
}
