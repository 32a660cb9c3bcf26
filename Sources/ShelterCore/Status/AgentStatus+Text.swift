public import FoundationEssentials

extension AgentStatus {
    /// The status as a site manager reads it on a terminal: when the figures were captured and whether the agent
    /// still runs, lifecycle, uplink, outbox, buses, devices, checks, alerts and readings, one item per line.
    ///
    /// One time base: every age is counted back from the capture (`writtenAt`), so the screen is one consistent
    /// picture however old the file is; `now` only says how old the capture is and whether the agent is alive.
    /// - Parameters:
    ///   - now: the reader's clock.
    ///   - isProcessAlive: whether process `pid` exists (the caller asks the system); `nil` when unknown.
    public func text(now: Date, isProcessAlive: Bool? = nil) -> String {
        var lines: [String] = []
        let age = now.timeIntervalSince(writtenAt)
        let interval = writeIntervalSeconds ?? 30
        let lifecycleFlags = [lifecycle.isDrill ? "drill" : nil, lifecycle.isUnconfirmed ? "unconfirmed" : nil]
            .compactMap { $0 }
        lines.append("shelter \(shelterID) · gateway \(gatewayID) · agent \(agentVersion) (pid \(pid))")
        let captured = Self.clockText(writtenAt)
        let isRunning: Bool
        if isProcessAlive == false {
            isRunning = false
            lines.append("AGENT NOT RUNNING: process \(pid) is gone; the figures below are its last, from \(captured)")
        } else if age > 2 * interval {
            isRunning = false
            lines.append(
                "AGENT NOT RUNNING: the status was last written \(Self.duration(age)) ago, at \(captured) (a running "
                    + "agent rewrites it every \(Self.duration(interval))); the figures below are from then")
        } else {
            isRunning = true
        }
        lines.append(
            "captured   \(captured), \(Self.duration(max(0, age))) ago; ages below are counted from then "
                + "(rewritten every \(Self.duration(interval)))")
        lines.append(
            "lifecycle  \(lifecycle.state)\(lifecycleFlags.isEmpty ? "" : " (" + lifecycleFlags.joined(separator: ", ") + ")")")
        let was = isRunning ? "" : "was "
        let reach =
            switch registry.isReachable {
            case true?: was + "reachable"
                + (registry.lastSuccessAt.map { " (last answer \(Self.duration(writtenAt.timeIntervalSince($0))) before)" } ?? "")
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
        for bus in buses ?? [] {
            lines.append(
                "bus        \(bus.name) (\(bus.endpoint)) CANNOT BE OPENED for \(Self.duration(writtenAt.timeIntervalSince(bus.since))): "
                    + "\(bus.error); devices on it: \(bus.devices.joined(separator: ", "))")
        }
        lines.append("")
        lines.append("devices")
        for d in devices {
            let last = d.lastSuccessAt.map { "last ok \(Self.duration(writtenAt.timeIntervalSince($0))) ago" } ?? "never answered"
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
            // The headline starts with the check id and severity word: print it once.
            let onset = a.onset.map { $0 < a.since ? " (condition since \(Self.clockText($0)))" : "" } ?? ""
            lines.append(
                "  \(a.headline) · raised \(Self.clockText(a.since)), \(Self.duration(writtenAt.timeIntervalSince(a.since))) ago\(onset)")
        }
        lines.append("")
        lines.append("readings")
        for r in readings {
            let what =
                r.value.map { "\($0)\(r.unit.map { " \($0)" } ?? "")" } ?? "no sample (\(r.reason ?? "unknown"))"
            let when = r.observedAt.map { " · \(Self.duration(writtenAt.timeIntervalSince($0))) ago" } ?? ""
            lines.append("  \(Self.pad(r.device + "." + r.point, 34)) \(what)\(when)")
        }
        return lines.joined(separator: "\n")
    }

    /// `NumberText.duration(_:)`: `9.3 s`, `12 s`, `4 min 3 s`, `2 h 5 min`, `3 d 4 h`.
    static func duration(_ seconds: Double) -> String { NumberText.duration(seconds) }

    /// `2026-12-04 18:02:11 UTC`: one clock for every instant on the screen.
    static func clockText(_ date: Date) -> String {
        let iso = date.formatted(.iso8601)  // 2026-12-04T18:02:11Z
        return iso.replacing("T", with: " ").replacing("Z", with: " UTC")
    }

    /// `text` padded to `width` terminal columns (a Chinese character takes two).
    private static func pad(_ text: String, _ width: Int) -> String { DisplayWidth.pad(text, to: width) }
}
