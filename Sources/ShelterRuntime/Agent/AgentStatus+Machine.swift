public import FoundationEssentials
public import ShelterCore

#if canImport(Glibc)
    import Glibc
#endif

extension AgentStatus {
    /// What `status.json` says (`shelter-agent status`): the tick machine's view (lifecycle, checks, alerts,
    /// readings, links), the bus workers' counters and the uplink's health.
    /// - Parameters:
    ///   - machine: the tick machine after its last tick.
    ///   - uplink: the values the registration service and the outbox last reported.
    ///   - counters: the bus workers' per-device counters.
    init(
        machine: AgentStateMachine, uplink: AgentState.Values, counters: [DeviceCounters], startedAt: Date,
        agentVersion: String, now: Date
    ) {
        let site = machine.site
        let links = machine.state.linkStates
        let devices = site.devices.map { device in
            let c = counters.first { $0.device == device.name }
            return AgentStatus.Device(
                name: device.name, bus: device.busName, unitID: Int(device.unitID.rawValue),
                link: (links[device.name] ?? .unknown).rawValue, lastSuccessAt: c?.lastSuccessAt,
                requests: c?.requests ?? 0, successes: c?.successes ?? 0,
                failures: Dictionary(uniqueKeysWithValues: (c?.failures ?? [:]).map { ($0.key.rawValue, $0.value) }),
                lastError: c?.lastError, roundTripSeconds: c?.meanRoundTrip.map { $0.inSeconds })
        }
        let readings = site.devices.flatMap { device in
            device.points.map { point in
                let sample = machine.state.point(device: device.name, point: point.name)?.latest
                return AgentStatus.PointReading(
                    device: device.name, point: point.name, quantity: point.quantity?.rawValue,
                    value: sample?.reading.value.map(Self.text), unit: point.unit.isEmpty ? nil : point.unit,
                    reason: sample == nil ? "not read yet" : sample?.reading.reason?.description,
                    observedAt: sample?.observedAt,
                    reasons: sample == nil
                        ? Self.texts(StatusText.noSample(.notYetRead))
                        : sample?.reading.reason.map { Self.texts(StatusText.noSampleReason($0)) })
            }
        }
        self.init(
            writtenAt: now, startedAt: startedAt, agentVersion: agentVersion, pid: getpid(),
            gatewayID: site.gateway.id, shelterID: machine.record.id,
            lifecycle: .init(
                state: uplink.lifecycle.state.rawValue, isDrill: uplink.lifecycle.isDrill,
                isUnconfirmed: uplink.lifecycle.isUnconfirmed),
            devices: devices, readings: readings,
            checks: machine.lastResults.map {
                .init(
                    id: $0.checkId.rawValue + ($0.subject.isEmpty ? "" : " \($0.subject)"), status: $0.status.rawValue,
                    summary: $0.summary, summaries: $0.finding.map(Self.texts),
                    pending: machine.pendingNote(for: $0, now: now).map(Self.texts))
            },
            activeAlerts: machine.activeAlerts.values.sorted { $0.onset < $1.onset }.map {
                .init(
                    alertID: $0.alertId, checkID: $0.parameters.checkId.rawValue, severity: $0.severity.rawValue,
                    since: machine.alertRaisedAt[$0.alertId] ?? $0.sent, onset: $0.onset, headline: $0.headline,
                    headlines: Self.headlines($0))
            },
            outbox: .init(
                depth: uplink.outboxDepth, oldestAgeSeconds: uplink.outboxOldestAge?.inSeconds,
                deadLetters: uplink.outboxDeadLetters, heldBy: uplink.outboxHold),
            registry: .init(
                url: site.gateway.registryURL, isReachable: uplink.isRegistryReachable,
                lastSuccessAt: uplink.lastRegistrySuccessAt, lastError: uplink.lastRegistryError,
                recordVersion: uplink.record.recordVersion, recordSource: uplink.recordSource,
                clockSkewSeconds: uplink.clockSkewSeconds,
                recordDifferences: uplink.record.changes(from: site.record).map(Self.texts)),
            writeIntervalSeconds: machine.configuration.statusFileInterval.inSeconds,
            buses: machine.state.busFaultsByName.values.sorted { $0.bus < $1.bus }.map { fault in
                .init(
                    name: fault.bus, endpoint: fault.endpoint, error: fault.error, since: fault.since,
                    devices: site.devices.filter { $0.busName == fault.bus }.map(\.name))
            }, reloadRefused: uplink.reloadRefusal)
    }

    /// An event's headline per language (`Language.rawValue` keys) from its CAP texts; `nil` without texts.
    static func headlines(_ event: AlertEvent) -> [String: String]? {
        guard let texts = event.texts, !texts.isEmpty else { return nil }
        return Dictionary(
            texts.compactMap { text in Language(tag: text.language).map { ($0.rawValue, text.headline) } },
            uniquingKeysWith: { first, _ in first })
    }

    /// A reading's value as the status file shows it.
    static func text(_ value: SampleValue) -> String {
        switch value {
        case .double(let d): NumberText.format(d, decimals: abs(d) >= 100 ? 1 : 3)
        case .int(let i): "\(i)"
        case .uint(let u): "\(u)"
        case .bool(let b): "\(b)"
        case .string(let s): s
        }
    }
}
