public import FoundationEssentials

extension AgentStatus {
    /// The status as a site manager reads it on a terminal: lifecycle, uplink, outbox, devices, checks,
    /// alerts and readings, one item per line, ages relative to `now`.
    /// - Parameter now: the reader's clock, for ages and for flagging a status file that is no longer updated.
    public func text(now: Date) -> String {
        var lines: [String] = []
        let age = now.timeIntervalSince(writtenAt)
        let lifecycleFlags = [lifecycle.isDrill ? "drill" : nil, lifecycle.isUnconfirmed ? "unconfirmed" : nil]
            .compactMap { $0 }
        lines.append("shelter \(shelterID) · gateway \(gatewayID) · agent \(agentVersion) (pid \(pid))")
        lines.append(
            "lifecycle  \(lifecycle.state)\(lifecycleFlags.isEmpty ? "" : " (" + lifecycleFlags.joined(separator: ", ") + ")")")
        if age > 90 {
            lines.append("WARNING    status written \(Self.duration(age)) ago: is the agent running?")
        }
        let reach =
            switch registry.isReachable {
            case true?: "reachable"
            // An answer that was an error (it starts "the registry …", `UplinkFault`) is not an unreachable registry.
            case false?: (registry.lastError?.hasPrefix("the registry ") == true ? "ERROR" : "UNREACHABLE")
                + (registry.lastError.map { ": \($0)" } ?? "")
            case nil: "not contacted yet"
            }
        lines.append("registry   \(registry.url) \(reach)")
        lines.append(
            "record     version \(registry.recordVersion) from \(registry.recordSource)"
                + (registry.clockSkewSeconds.map { abs($0) >= 1 ? " · clock skew \(NumberText.format($0, decimals: 1)) s" : "" } ?? ""))
        lines.append(
            "outbox     \(outbox.depth) waiting"
                + (outbox.oldestAgeSeconds.map { ", oldest \(Self.duration($0))" } ?? "")
                + (outbox.deadLetters > 0 ? ", \(outbox.deadLetters) dead letters (shelter-agent outbox list)" : ""))
        if let heldBy = outbox.heldBy {
            lines.append("           HELD, nothing is sent until this is fixed: \(heldBy)")
        }
        lines.append("")
        lines.append("devices")
        for d in devices {
            let last = d.lastSuccessAt.map { "last ok \(Self.duration(now.timeIntervalSince($0))) ago" } ?? "never answered"
            let rtt = d.roundTripSeconds.map { " · rtt \(NumberText.format($0 * 1000, decimals: 1)) ms" } ?? ""
            let failures = d.failures.filter { $0.value > 0 }.sorted { $0.key < $1.key }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append(
                "  \(Self.pad(d.name, 16)) \(Self.pad(d.link, 9)) \(d.bus)/unit \(d.unitID) · \(last)\(rtt) · \(d.successes)/\(d.requests) ok"
                    + (failures.isEmpty ? "" : " · failed: \(failures)")
                    + (d.link != "up" ? (d.lastError.map { " · \($0)" } ?? "") : ""))
        }
        lines.append("")
        lines.append("checks")
        for c in checks { lines.append("  \(Self.pad(c.id, 18)) \(Self.pad(c.status, 8)) \(c.summary)") }
        lines.append("")
        lines.append(activeAlerts.isEmpty ? "alerts     none active" : "alerts")
        for a in activeAlerts {
            lines.append("  \(a.checkID) \(a.severity) since \(Self.duration(now.timeIntervalSince(a.since))) ago: \(a.headline)")
        }
        lines.append("")
        lines.append("readings")
        for r in readings {
            let what =
                r.value.map { "\($0)\(r.unit.map { " \($0)" } ?? "")" } ?? "no sample (\(r.reason ?? "unknown"))"
            let when = r.observedAt.map { " · \(Self.duration(now.timeIntervalSince($0))) ago" } ?? ""
            lines.append("  \(Self.pad(r.device + "." + r.point, 34)) \(what)\(when)")
        }
        return lines.joined(separator: "\n")
    }

    /// `12 s`, `4 min 3 s`, `2 h 5 min`, `3 d 4 h`.
    static func duration(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded()))
        switch s {
        case ..<60: return "\(s) s"
        case ..<3600: return "\(s / 60) min \(s % 60) s"
        case ..<86_400: return "\(s / 3600) h \(s % 3600 / 60) min"
        default: return "\(s / 86_400) d \(s % 86_400 / 3600) h"
        }
    }

    /// `text` padded to `width` terminal columns (a Chinese character takes two).
    private static func pad(_ text: String, _ width: Int) -> String { DisplayWidth.pad(text, to: width) }
}
