import FoundationEssentials

extension AgentStatus {
    /// The status without what changes on every poll or tick while nothing happens: when it was written, when
    /// each reading was observed, a device's last success, request and failure counts and round trip, the
    /// checks' summaries (their figures in words, from the readings and the clock: "mains lost 91 s ago"), the
    /// age of the oldest outbox item, the registry's last answer and the clock skew. Two statuses with equal
    /// content show a site manager the same situation, so the agent does not rewrite `status.json` between
    /// them (issue 13: quiet flash); it touches the file instead, as a sign of life.
    ///
    /// What stays: lifecycle, each device's link, bus and last error and which kinds of failure it has had,
    /// every reading's value or no-sample reason, every check's status, the active alerts, the
    /// outbox depth, dead letters and hold, the registry's reachability, last error and record, bus faults.
    public var content: AgentStatus {
        var content = self
        content.writtenAt = .distantPast
        content.devices = devices.map { device in
            var device = device
            device.lastSuccessAt = nil
            device.requests = 0
            device.successes = 0
            device.failures = device.failures.mapValues { _ in 0 }
            device.roundTripSeconds = nil
            return device
        }
        content.readings = readings.map { reading in
            var reading = reading
            reading.observedAt = nil
            return reading
        }
        content.checks = checks.map { check in
            // A summary is the check's figure in words, made from the readings, the record and the clock
            // ("mains lost 91 s ago", C-22's "0.7 poll intervals old"): the readings and the status are compared,
            // the clock is not, so an age that grows does not rewrite the file (the file's ages count from its
            // capture, and stay true as of then).
            var check = check
            check.summary = ""
            check.summaries = nil
            return check
        }
        content.outbox.oldestAgeSeconds = nil
        content.registry.lastSuccessAt = nil
        content.registry.clockSkewSeconds = nil
        return content
    }
}
