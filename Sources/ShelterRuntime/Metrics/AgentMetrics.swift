public import FoundationEssentials
public import ShelterCore

/// What one scrape of `GET /metrics` shows (issue 17): a snapshot of the figures the agent already keeps,
/// taken at the time of the scrape, and the metric families made from it.
///
/// Sources, each read under its own short lock: the bus workers' `DeviceCounters` (requests, failures, round
/// trips, link state, poll durations), the tick machine's last check results, the uplink values in
/// `AgentState` (outbox figures, last registry success). Nothing here is counted twice: the exporter only
/// reads. A figure that is not known is left out (no sample), never written as 0: a device never answered has
/// no round-trip sample; a bus with a device not yet polled has no cycle time.
///
/// Counters restart from 0 when the agent starts (Prometheus' `rate()` treats that as a counter reset); a
/// reload of the site file carries them over for every device it keeps (same name, bus and unit id), and a
/// device new to the site starts from 0.
public struct AgentMetrics: Sendable {
    /// The agent's version (`ShelterVersion.current`).
    public var version: String
    /// When the agent (this configuration) started.
    public var startedAt: Date
    /// The site: buses, devices and their poll intervals.
    public var site: SiteConfiguration
    /// Every device's counters, as the bus workers keep them.
    public var counters: [DeviceCounters]
    /// Check results of the last tick, counted by status; `nil` before the first tick.
    public var checks: [CheckStatus: Int]?
    /// The uplink values (outbox depth, oldest age, dead letters, last registry success).
    public var uplink: AgentState.Values

    public init(
        version: String, startedAt: Date, site: SiteConfiguration, counters: [DeviceCounters],
        checks: [CheckStatus: Int]?, uplink: AgentState.Values
    ) {
        self.version = version
        self.startedAt = startedAt
        self.site = site
        self.counters = counters
        self.checks = checks
        self.uplink = uplink
    }

    /// The failure kinds a request can end in, always written (0 until seen) so `rate()` works from the start.
    static let failureKinds: [NoSampleReason.Kind] = [.timeout, .exception, .busy, .badData, .linkLost]

    /// The families, in a stable order; names start with `shelter_agent_`.
    public func families() -> [MetricFamily] {
        typealias Family = MetricFamily
        typealias Sample = MetricFamily.Sample
        typealias Label = MetricFamily.Label
        func device(_ c: DeviceCounters) -> [Label] {
            [Label("bus", c.bus), Label("device", c.device), Label("unit_id", String(c.unitID))]
        }
        let buses = site.buses.map { bus in (bus, counters.filter { $0.bus == bus.name }) }
        var families: [Family] = [
            Family(
                name: "shelter_agent_build", kind: .info, help: "The agent's version.",
                samples: [Sample([Label("version", version)], 1)]),
            Family(
                name: "shelter_agent_start_time_seconds", kind: .gauge,
                help: "When the agent started or last reloaded its site file (Unix time).", unit: "seconds",
                samples: [Sample([], startedAt.timeIntervalSince1970)]),
            Family(
                name: "shelter_agent_device_requests", kind: .counter,
                help: "Modbus requests sent to the device (busy retries included).",
                samples: counters.map { Sample(device($0), Double($0.requests)) }),
            Family(
                name: "shelter_agent_device_failures", kind: .counter,
                help: "Requests that got no data, by kind: timeout, exception, busy (exception 6), "
                    + "bad_data (bad CRC or a reply that is not the answer), link_lost (connection).",
                samples: counters.flatMap { c in
                    let kinds = Self.failureKinds + c.failures.keys.filter { !Self.failureKinds.contains($0) }
                    return kinds.map { Sample(device(c) + [Label("kind", $0.rawValue)], Double(c.failures[$0] ?? 0)) }
                }),
            Family(
                name: "shelter_agent_device_exceptions", kind: .counter,
                help: "Modbus exception replies by exception code (unknown: a code the library does not name).",
                samples: counters.flatMap { c in
                    c.exceptionCodes.sorted { ($0.key ?? 0, $0.value) < ($1.key ?? 0, $1.value) }.map {
                        Sample(device(c) + [Label("code", $0.key.map { String($0) } ?? "unknown")], Double($0.value))
                    }
                }),
            Family(
                name: "shelter_agent_device_reply_faults", kind: .counter,
                help: "Replies that were not the answer to the request, by the check they failed (within bad_data).",
                samples: counters.flatMap { c in
                    c.replyFaults.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                        Sample(device(c) + [Label("fault", $0.key.rawValue)], Double($0.value))
                    }
                }),
            Family(
                name: "shelter_agent_device_last_round_trip_seconds", kind: .gauge,
                help: "Round-trip time of the device's last answered request.", unit: "seconds",
                samples: counters.compactMap { c in c.lastRoundTrip.map { Sample(device(c), Self.seconds($0)) } }),
            Family(
                name: "shelter_agent_device_link_state", kind: .gauge,
                help: "The device's link state as the bus worker sees it: 1 for the current state, 0 for the others.",
                samples: counters.flatMap { c in
                    LinkState.allCases.map {
                        Sample(device(c) + [Label("state", $0.rawValue)], c.linkState == $0 ? 1 : 0)
                    }
                }),
            Family(
                name: "shelter_agent_device_skipped_polls", kind: .counter,
                help: "Polls skipped because the device was in back-off.",
                samples: counters.map { Sample(device($0), Double($0.skippedPolls)) }),
            Family(
                name: "shelter_agent_bus_cycle_seconds", kind: .gauge,
                help: "Time the bus needs to poll each of its devices once: the sum of their last polls' durations.",
                unit: "seconds",
                samples: buses.compactMap { bus, devices in
                    Self.cycle(devices).map { Sample([Label("bus", bus.name)], Self.seconds($0)) }
                }),
            Family(
                name: "shelter_agent_bus_utilisation_ratio", kind: .gauge,
                help: "Cycle time divided by the shortest poll interval on the bus; above 1 the bus cannot keep up.",
                samples: buses.compactMap { bus, devices in
                    let shortest = site.devices(on: bus).map(\.pollInterval).min()
                    guard let cycle = Self.cycle(devices), let shortest, shortest > .zero else { return nil }
                    return Sample([Label("bus", bus.name)], Self.seconds(cycle) / Self.seconds(shortest))
                }),
            Family(
                name: "shelter_agent_bus_busy_seconds", kind: .counter,
                help: "Time the bus spent polling, summed over its devices (rate() gives the utilisation).",
                unit: "seconds",
                samples: buses.map { bus, devices in
                    Sample([Label("bus", bus.name)], Self.seconds(devices.reduce(Duration.zero) { $0 + $1.busTime }))
                }),
        ]
        families.append(
            Family(
                name: "shelter_agent_checks", kind: .gauge,
                help: "Checks of the last assessment by status (unknown: an input missing or stale).",
                samples: checks.map { counts in
                    CheckStatus.allCases.map { Sample([Label("status", $0.rawValue)], Double(counts[$0] ?? 0)) }
                } ?? []))
        families += uplinkFamilies()
        return families
    }

    private func uplinkFamilies() -> [MetricFamily] {
        typealias Family = MetricFamily
        typealias Sample = MetricFamily.Sample
        // The oldest item's age is known when the outbox holds some; an empty outbox has none waiting (0).
        let oldest = uplink.outboxOldestAge.map(Self.seconds) ?? (uplink.outboxDepth == 0 ? 0 : nil)
        return [
            Family(
                name: "shelter_agent_outbox_depth", kind: .gauge,
                help: "Items (alert events and status reports) waiting in the outbox, dead letters excluded.",
                samples: [Sample([], Double(uplink.outboxDepth))]),
            Family(
                name: "shelter_agent_outbox_oldest_age_seconds", kind: .gauge,
                help: "Age of the oldest item waiting in the outbox.", unit: "seconds",
                samples: oldest.map { [Sample([], $0)] } ?? []),
            Family(
                name: "shelter_agent_outbox_dead_letters", kind: .gauge,
                help: "Items the registry refused as wrong, kept for `shelter-agent outbox`.",
                samples: [Sample([], Double(uplink.outboxDeadLetters))]),
            Family(
                name: "shelter_agent_outbox_held", kind: .gauge,
                help: "1 while a fault a person must fix (certificate, 401, 403, 404) holds the outbox.",
                samples: [Sample([], uplink.outboxHold == nil ? 0 : 1)]),
            Family(
                name: "shelter_agent_uplink_last_success_timestamp_seconds", kind: .gauge,
                help: "When the registry last answered a heartbeat or record request (Unix time).", unit: "seconds",
                samples: uplink.lastRegistrySuccessAt.map { [Sample([], $0.timeIntervalSince1970)] } ?? []),
            Family(
                name: "shelter_agent_uplink_reachable", kind: .gauge,
                help: "1 if the registry answered the last heartbeat or record request, 0 if not.",
                samples: uplink.isRegistryReachable.map { [Sample([], $0 ? 1 : 0)] } ?? []),
        ]
    }

    /// `duration` in seconds, as close as a `Double` gets (15 ms is written `0.015`, not `0.015000000000000001`).
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The sum of the devices' last poll durations, or `nil` while one has not been polled.
    static func cycle(_ devices: [DeviceCounters]) -> Duration? {
        var total = Duration.zero
        for device in devices {
            guard let last = device.lastPollDuration else { return nil }
            total += last
        }
        return devices.isEmpty ? nil : total
    }
}
