public import FoundationEssentials

extension AgentStatus {
    /// The status as a site manager reads it on a terminal: when the figures were captured and whether the agent
    /// still runs, lifecycle, uplink, outbox, buses, devices, checks, alerts and readings, one item per line, in
    /// `language` (issue 16; words from `ScreenText` and `StatusText`). Columns are padded in terminal columns,
    /// so Chinese text lines up.
    ///
    /// One time base (issue 11): every age is counted back from the capture (`writtenAt`), so the screen is one
    /// consistent picture however old the file is; `now` only says how old the capture is and whether the agent
    /// is alive. What the runtime, a device or the registry wrote as free text (a device's last error, the
    /// registry's error, the hold reason) is shown as given; check summaries, alert headlines and no-sample
    /// reasons use the file's per-language texts when it has them.
    /// - Parameters:
    ///   - now: the reader's clock.
    ///   - isProcessAlive: whether process `pid` exists (the caller asks the system); `nil` when unknown.
    ///   - touchedAt: the file's modification time: a running agent writes the file when its figures change
    ///     and touches it otherwise, at most every `writeIntervalSeconds` (issue 13), so the later of this and
    ///     `writtenAt` is its last sign of life; `nil` when unknown (then `writtenAt` alone).
    ///   - language: the reader's language; the default is English.
    public func text(
        now: Date, isProcessAlive: Bool? = nil, touchedAt: Date? = nil, language: Language = .en
    ) -> String {
        func say(_ entry: some CatalogEntry) -> String { entry.text(in: language) }
        func label(_ label: ScreenText.Label) -> String { DisplayWidth.pad(say(ScreenText.label(label)), to: 10) }
        func local(_ texts: [String: String]?, _ fallback: String) -> String { texts?[language.rawValue] ?? fallback }
        func before(_ date: Date) -> Double { max(0, writtenAt.timeIntervalSince(date)) }
        let separator = language == .zhCN ? "，" : ", "
        var lines: [String] = []
        let age = now.timeIntervalSince(writtenAt)
        let silence = now.timeIntervalSince(max(writtenAt, touchedAt ?? writtenAt))
        let interval = writeIntervalSeconds ?? 30
        let captured = Self.clockText(writtenAt)
        lines.append(
            say(ScreenText.statusHeader(shelter: shelterID, gateway: gatewayID, version: agentVersion, pid: Int(pid))))
        let isRunning: Bool
        if isProcessAlive == false {
            isRunning = false
            lines.append(say(ScreenText.agentGone(pid: Int(pid), captured: captured)))
        } else if silence > 2 * interval {
            isRunning = false
            lines.append(say(ScreenText.agentStale(seconds: silence, captured: captured, interval: interval)))
        } else {
            isRunning = true
        }
        if let refusal = reloadRefused {
            lines.append(
                say(
                    ScreenText.reloadRefused(
                        seconds: before(refusal.at), file: refusal.file, count: refusal.problems.count,
                        first: refusal.problems.first ?? "")))
        }
        lines.append(
            "\(label(.captured)) \(say(ScreenText.captured(at: captured, seconds: max(0, age), interval: interval)))")
        let lifecycleWord =
            LifecycleState(rawValue: lifecycle.state).map {
                say(
                    StatusText.lifecycleStatus(
                        LifecycleStatus(state: $0, isDrill: lifecycle.isDrill, isUnconfirmed: lifecycle.isUnconfirmed)))
            } ?? lifecycle.state
        lines.append("\(label(.lifecycle)) \(lifecycleWord)")
        let reach: ScreenText =
            switch registry.isReachable {
            case true?: isRunning ? .registryReachable : .registryWasReachable
            // An answer that was an error (it starts "the registry …", `UplinkFault`) is not an unreachable registry.
            case false?:
                registry.lastError?.hasPrefix("the registry ") == true
                    ? .registryError(detail: registry.lastError) : .registryUnreachable(detail: registry.lastError)
            case nil: .registryNotContacted
            }
        let lastAnswer =
            registry.isReachable == true
            ? registry.lastSuccessAt.map {
                (language == .zhCN ? "" : " ") + say(ScreenText.lastRegistryAnswer(seconds: before($0)))
            } ?? "" : ""
        lines.append("\(label(.registry)) \(registry.url) \(say(reach))\(lastAnswer)")
        let skew = registry.clockSkewSeconds.flatMap {
            abs($0) >= 1 ? " · " + say(ScreenText.clockSkew(seconds: $0)) : nil
        }
        lines.append(
            "\(label(.record)) \(say(ScreenText.recordVersion(version: registry.recordVersion, source: registry.recordSource)))"
                + (skew ?? ""))
        if registry.recordSource != "site-file", let differences = registry.recordDifferences {
            let entry: ScreenText =
                differences.isEmpty
                ? .recordSameAsSiteFile
                : .recordDiffers(differences.map { .verbatim(local($0, $0[Language.en.rawValue] ?? "")) })
            lines.append("\(String(repeating: " ", count: 11))\(say(entry))")
        }
        lines.append(
            "\(label(.outbox)) \(say(ScreenText.outboxWaiting(count: outbox.depth)))"
                + (outbox.oldestAgeSeconds.map { separator + say(ScreenText.outboxOldest(seconds: $0)) } ?? "")
                + (outbox.deadLetters > 0 ? separator + say(ScreenText.deadLetters(count: outbox.deadLetters)) : ""))
        if let heldBy = outbox.heldBy {
            lines.append("\(String(repeating: " ", count: 11))\(say(ScreenText.outboxHeld(detail: heldBy)))")
        }
        for bus in buses ?? [] {
            let fault = ScreenText.busCannotOpen(
                bus: bus.name, endpoint: bus.endpoint, seconds: before(bus.since), error: bus.error,
                devices: bus.devices)
            lines.append("\(label(.bus)) \(say(fault))")
        }
        lines.append("")
        lines.append(say(ScreenText.label(.devices)))
        for d in devices {
            let last =
                d.lastSuccessAt.map { say(ScreenText.lastAnswer(seconds: before($0))) }
                ?? say(ScreenText.neverAnswered)
            let rtt = d.roundTripSeconds.map { " · " + say(ScreenText.roundTrip(milliseconds: $0 * 1000)) } ?? ""
            let failures = d.failures.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map {
                failure -> TextArgument in
                guard let kind = NoSampleReason.Kind(rawValue: failure.key) else {
                    return .verbatim("\(failure.key) \(failure.value)")
                }
                return .entry(AnyCatalogEntry(ScreenText.failures(kind, count: failure.value)))
            }
            let link = LinkState(rawValue: d.link).map { say(StatusText.link($0)) } ?? d.link
            lines.append(
                "  \(DisplayWidth.pad(d.name, to: 16)) \(DisplayWidth.pad(link, to: 9)) "
                    + "\(say(ScreenText.busUnit(bus: d.bus, unitID: d.unitID))) · \(last)\(rtt) · "
                    + say(ScreenText.answered(successes: d.successes, requests: d.requests))
                    + (failures.isEmpty ? "" : " · " + say(ScreenText.failed(failures)))
                    + (d.link != "up" ? (d.lastError.map { " · \($0)" } ?? "") : ""))
        }
        lines.append("")
        lines.append(say(ScreenText.label(.checks)))
        for c in checks {
            let status =
                c.pending != nil
                ? say(ScreenText.pendingWord)
                : CheckStatus(rawValue: c.status).map { say(StatusText.checkStatus($0)) } ?? c.status
            let note = c.pending.map { " · " + local($0, $0[Language.en.rawValue] ?? "") } ?? ""
            lines.append(
                "  \(DisplayWidth.pad(c.id, to: 18)) \(DisplayWidth.pad(status, to: 8)) \(local(c.summaries, c.summary))"
                    + note)
        }
        lines.append("")
        lines.append(
            activeAlerts.isEmpty
                ? "\(label(.alerts)) \(say(ScreenText.noActiveAlerts))" : say(ScreenText.label(.alerts)))
        for a in activeAlerts {
            // "since" is when the alert was raised; the condition's onset (earlier by the hold time) apart.
            let onset = a.onset.flatMap { $0 < a.since ? Self.clockText($0) : nil }
            let line = ScreenText.activeAlert(
                headline: local(a.headlines, a.headline), raisedAt: Self.clockText(a.since), seconds: before(a.since),
                onset: onset)
            lines.append("  " + say(line))
        }
        lines.append("")
        lines.append(say(ScreenText.label(.readings)))
        for r in readings {
            let what =
                r.value.map { "\($0)\(r.unit.map { " \($0)" } ?? "")" }
                ?? say(ScreenText.noSample(reason: local(r.reasons, r.reason ?? say(StatusText.checkStatus(.unknown)))))
            let when = r.observedAt.map { " · " + say(ScreenText.readAgo(seconds: before($0))) } ?? ""
            lines.append("  \(DisplayWidth.pad(r.device + "." + r.point, to: 34)) \(what)\(when)")
        }
        return lines.joined(separator: "\n")
    }

    /// A catalog entry in every language, keyed by `Language.rawValue`: the per-language fields of the file.
    public static func texts(_ entry: some CatalogEntry) -> [String: String] {
        Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0.rawValue, entry.text(in: $0)) })
    }

    /// `2026-12-04 18:02:11 UTC`: one clock for every instant on the screen.
    static func clockText(_ date: Date) -> String {
        let iso = date.formatted(.iso8601)  // 2026-12-04T18:02:11Z
        return iso.replacing("T", with: " ").replacing("Z", with: " UTC")
    }
}
