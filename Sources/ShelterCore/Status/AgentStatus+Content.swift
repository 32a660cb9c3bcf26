import FoundationEssentials

extension AgentStatus {
    /// The status without what changes on every poll or tick while nothing happens: when it was written, when
    /// each reading was observed, a device's last success, request and failure counts and round trip, the
    /// summary of C-22 (data freshness: an age), the age of the oldest outbox item, the registry's last answer
    /// and the clock skew. Two statuses with equal
    /// content show a site manager the same situation, so the agent does not rewrite `status.json` between
    /// them (issue 13: quiet flash); it touches the file instead, as a sign of life.
    ///
    /// What stays: lifecycle, each device's link, bus and last error and which kinds of failure it has had,
    /// every reading's value or no-sample reason, every check's status and (but C-22's) summary, the active alerts, the
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
            // C-22's summary is an age ("oldest point … is 0.7 poll intervals old"); its status and the devices'
            // links say whether data are fresh.
            guard check.id.hasPrefix(CheckID.dataFreshness.rawValue) else { return check }
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
