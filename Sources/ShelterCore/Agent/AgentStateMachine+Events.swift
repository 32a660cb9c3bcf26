public import FoundationEssentials

extension AgentStateMachine {
    /// What a tick asks the runtime to do, in this order.
    public struct TickActions: Sendable, Hashable {
        /// Alert events to put in the outbox, in order, one at a time: report each with `alertCommitted`;
        /// on the first failure report `alertCommitFailed` and stop (the rest come again next tick).
        public var enqueueAlerts: [AlertEvent] = []
        /// A status report to hand to the outbox.
        public var enqueueReport: StatusReport?
        /// Whether the status file is due: written if its figures changed, else touched (the runtime compares).
        public var writeStatus = false
        /// People counters to save (their counts changed since the last save; a new read time alone is no change).
        public var saveOccupancy: OccupancyCounter?
        /// The lifecycle status, when it differs from the last tick's (for the log).
        public var lifecycleChanged: LifecycleStatus?
        /// When to tick next.
        public var nextTickIn: Duration = .seconds(1)
    }

    /// What applying a record from outside did.
    public enum RecordOutcome: Sendable, Hashable {
        /// The record replaced the one in use, in the site state and the checks together.
        case applied
        /// The record equals the one in use.
        case unchanged
        /// The record failed validation and was not applied; the one in use stays.
        case refused(ConfigurationError)
        /// The record is another shelter's; the one in use stays.
        case otherShelter(String)
    }

    /// *Poll result*: one device's samples from one poll.
    /// - Parameters:
    ///   - device: the device name.
    ///   - linkState: its link state after the poll.
    ///   - samples: its points' samples.
    ///   - busFault: the bus's fault when its connection could not be opened (`nil` when it is open).
    ///   - now: when the result arrived (wall clock).
    public mutating func pollResultReceived(
        device: String, linkState: LinkState, samples: [Sample], busFault: BusFault? = nil, at now: Date
    ) {
        state.ingest(device: device, linkState: linkState, samples: samples, busFault: busFault, at: now)
        if let d = state.table.deviceIndex(named: device) { heard(d) }
    }

    /// *Poll result*, by index (the bus workers' path: no name is hashed): one device's readings from one poll.
    /// - Parameters:
    ///   - deviceIndex: the device's index in `state.table` (the site file's device order).
    ///   - linkState: its link state after the poll.
    ///   - readings: one per point, in plan order (`PointTable`).
    ///   - busFault: the bus's fault when its connection could not be opened (`nil` when it is open).
    ///   - observedAt: when the readings were taken (wall clock).
    ///   - now: when the result arrived (wall clock).
    public mutating func pollResultReceived(
        deviceIndex: Int, linkState: LinkState, readings: PollReadings, busFault: BusFault? = nil, observedAt: Date,
        at now: Date
    ) {
        state.ingest(
            deviceIndex: deviceIndex, linkState: linkState, readings: readings, busFault: busFault,
            observedAt: observedAt, at: now)
        if deviceIndex >= 0, deviceIndex < devicesHeard.count { heard(deviceIndex) }
    }

    private mutating func heard(_ d: Int) {
        guard !devicesHeard[d] else { return }
        devicesHeard[d] = true
        devicesHeardCount += 1
    }

    /// Whether the first poll of every device has come in, or the startup grace has passed.
    public func hasSettled(at now: Date) -> Bool {
        devicesHeardCount >= site.devices.count
            || now.timeIntervalSince(startedAt) >= configuration.startupGrace.inSeconds
    }

    /// *Tick at `now`*: assess, and say what to send and write.
    /// - Parameters:
    ///   - now: the wall-clock time.
    ///   - utcOffsetMinutes: the site's offset from UTC, for the report's local time.
    public mutating func tick(at now: Date, utcOffsetMinutes: Int) -> TickActions {
        var actions = TickActions(nextTickIn: configuration.tickInterval)
        guard hasSettled(at: now) else { return actions }
        let previous = monitor.lastLifecycle
        let snapshot = state.snapshot(at: now)
        let step = monitor.step(snapshot, at: now)
        lastResults = step.results
        uncommitted += step.events
        actions.enqueueAlerts = uncommitted
        if step.lifecycle != previous { actions.lifecycleChanged = step.lifecycle }
        // A pending condition fires when its hold time ends: tick then, not up to a tick interval later
        // (issue 13: alert latency = poll phase + wire + hold + under 50 ms).
        if let due = monitor.tracker.nextHoldEnd(lifecycle: step.lifecycle.state) {
            let wait = Duration.seconds(max(0, due.timeIntervalSince(now))) + .milliseconds(1)
            actions.nextTickIn = min(actions.nextTickIn, wait)
        }
        if step.isReportDue {
            actions.enqueueReport = makeReport(
                step: step, snapshot: snapshot, now: now, utcOffsetMinutes: utcOffsetMinutes)
        }
        if lastStatusFileAt.map({ now.timeIntervalSince($0) >= configuration.statusFileInterval.inSeconds }) ?? true {
            actions.writeStatus = true
            lastStatusFileAt = now
            // Looked at with the status file (the comparison copies the counters), saved far less often.
            if lastOccupancySaveAt.map({ now.timeIntervalSince($0) >= configuration.occupancySaveInterval.inSeconds })
                ?? true, let counter = unsavedOccupancy()
            {
                actions.saveOccupancy = counter
                lastOccupancySaveAt = now
            }
        }
        return actions
    }

    /// The people counters when they changed since the last save, which they now count as: for the tick, and
    /// for the runtime's last save when the agent stops (between two ticks' saves, up to
    /// `occupancySaveInterval` of counting is only in memory). `nil` when nothing changed.
    public mutating func unsavedOccupancy() -> OccupancyCounter? {
        let counter = state.savedOccupancyCounter
        guard !counter.hasSameCounts(as: lastSavedOccupancy) else { return nil }
        lastSavedOccupancy = counter
        return counter
    }

    /// The outbox committed the oldest pending alert event `eventId`: it now counts as raised (or, a Cancel,
    /// as closed).
    /// - Returns: the alerts raised and not cancelled (what the outbox committed as standing with the event,
    ///   `OutboxWriter.enqueueAlert`); `nil` when `eventId` is not the oldest pending event (nothing changed).
    public mutating func alertCommitted(eventId: String) -> [AlertEvent]? {
        guard let first = uncommitted.first, first.eventId == eventId else { return nil }
        uncommitted.removeFirst()
        if first.msgType == .cancel {
            activeAlerts[first.alertId] = nil
            alertRaisedAt[first.alertId] = nil
        } else {
            activeAlerts[first.alertId] = first
            if first.msgType == .alert || alertRaisedAt[first.alertId] == nil {
                alertRaisedAt[first.alertId] = first.sent
            }
        }
        return activeAlerts.values.sorted { $0.onset < $1.onset }
    }

    /// The outbox could not commit `eventId`: it and the events after it stay pending and are offered again,
    /// in order, by the next tick.
    public mutating func alertCommitFailed(eventId: String) {}

    /// *Heartbeat answer*: the registry's word on the lifecycle, applied at once.
    /// - Returns: the word to save in the state directory when it differs from the last one known (from this
    ///   run or inherited), so a restart while the registry is away keeps it; `nil` otherwise.
    public mutating func heartbeatAnswered(lifecycle registryState: LifecycleState, isDrill: Bool) -> LifecycleChange? {
        monitor.lifecycle.registryReported(registryState, isDrill: isDrill)
        let word = LifecycleChange(state: registryState, isDrill: isDrill)
        guard word != lastRegistryLifecycle else { return nil }
        lastRegistryLifecycle = word
        return word
    }

    /// *New record*: a record from outside (the registry, the cache). Validated by the site file's rules
    /// (`ShelterRecord.validated(source:)`); a valid record of this shelter replaces the one in use.
    public mutating func recordReceived(_ record: ShelterRecord) -> RecordOutcome {
        guard record.id == self.record.id else { return .otherShelter(record.id) }
        if case .failure(let error) = record.validated(source: "registry record") { return .refused(error) }
        guard record != self.record else { return .unchanged }
        // One record for the derivations (litres, fuel, which facilities) and the checks (capacity, ration).
        state.record = record
        monitor.assessment.record = record
        return .applied
    }

    private mutating func makeReport(
        step: ShelterMonitor.Step, snapshot: SiteSnapshot, now: Date, utcOffsetMinutes: Int
    ) -> StatusReport {
        sequence += 1
        let readings = site.devices.flatMap { device in
            device.points.map { point in
                let sample = state.point(device: device.name, point: point.name)?.latest
                return ReadingStatus(
                    device: device.name, point: point.name, quantity: point.quantity,
                    reading: sample?.reading ?? .noSample(.init(.notYetRead)), unit: point.unit,
                    observedAt: sample?.observedAt, now: now, maximumAge: configuration.readingMaximumAge)
            }
        }
        return StatusReportBuilder.makeReport(
            reportId: "\(reportIDPrefix).r\(sequence)", sequence: sequence, gatewayId: site.gateway.id,
            record: record, snapshot: snapshot, lifecycle: step.lifecycle, checks: step.results, readings: readings,
            utcOffsetMinutes: utcOffsetMinutes)
    }
}
