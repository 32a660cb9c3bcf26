import FoundationEssentials
import Logging
import Platform
import ShelterCore

/// The body of a bus thread: owns the connection and the per-device policies; never shared. It executes what
/// the core's state machines decide (`ReconnectStateMachine` for the link, `DevicePoller` per device).
struct PollLoop {
    /// Not `ContinuousClock.Instant`: that is a resilient type, and each copy of a poller, a due-queue entry or
    /// a result holding one went through value witnesses (`MonotonicInstant`).
    typealias Instant = MonotonicInstant

    let worker: BusWorker
    let link: any ModbusLink
    private var recovery: ReconnectStateMachine<Instant>
    /// The bus's devices, their pollers and when each is next due, in three arrays indexed alike: value
    /// types changed in place through `self`, so no access needs a run-time exclusivity check (a class
    /// holding each device's state needed two per access, 10 % of the bus thread at 10 registers per request).
    private let devices: [Device]
    private var pollers: [DevicePoller<Instant>]
    private var nextDue: [Instant]
    private var due: DueQueue<Instant>
    private var lastTransactionEnd: Instant?
    /// Set after a probe's failure was flushed at once: whatever arrived since is discarded before the next
    /// request.
    private var flushBeforeNextRequest = false
    private var random = SeededRandom(seed: UInt64.random(in: 0...UInt64.max))
    private let isSerial: Bool
    /// Set while the connection cannot be opened; every result of the bus carries it (one condition for the bus).
    private var busFault: BusFault?
    /// Results of the cycle in progress, handed over together (`flush`).
    private var pending: [DevicePollResult] = []
    /// When the oldest of `pending` was made.
    private var pendingSince: Instant?

    init(worker: BusWorker, link: any ModbusLink) {
        self.worker = worker
        self.link = link
        if case .tcp = worker.bus.transport { isSerial = false } else { isSerial = true }
        recovery = ReconnectStateMachine(transport: isSerial ? .rtu : .tcp, policy: worker.config.reconnect)
        let now = Instant.now
        var random = random
        devices = worker.devices
        pollers = devices.map { device in
            DevicePoller(
                device: device, requests: RequestPlanner.requests(for: device), configuration: worker.config.poller,
                seed: random.next())
        }
        nextDue = Array(repeating: now, count: devices.count)
        self.random = random
        due = DueQueue(count: devices.count, dueAt: now)
        pending.reserveCapacity(devices.count)
    }

    mutating func run() {
        defer {
            flush()
            link.close()
        }
        while !worker.isStopping {
            guard let (dueAt, i) = due.first else {
                flush()
                pause(until: Instant.now + .milliseconds(100))
                continue
            }
            // The clock is read once per request and reused (here, after the reply, in the result), not at every
            // use: it was read 8 times per request.
            let now = Instant.now
            if dueAt > now {
                // The bus is about to idle: the cycle's results go to the assessment now, together.
                flush()
                // A bus that cannot be opened is retried on its own back-off, as its log line says
                // ("retry_in"), not only when the next device falls due (issue 11: "0.4 s" then 5 s).
                switch recovery.nextAction(now: now) {
                case .wait(let until) where until < dueAt:
                    pause(until: until)
                case .connect:
                    connect()
                default:
                    pause(until: dueAt)
                }
                continue
            }
            switch recovery.nextAction(now: now) {
            case .connect:
                connect()
            case .wait(let until):
                // The bus itself is down: every device on it is unreachable, whatever its own health.
                let reason = NoSampleReason(
                    .linkLost,
                    detail: "no connection to \(endpoint)"
                        + (busFault.map { ": \($0.error)" } ?? "")
                        + "; next attempt in \(NumberText.duration(now.duration(to: until)))")
                emit(i, pollers[i].busDown(reason), startedAt: now, endedAt: now)
            case .poll:
                poll(i, startedAt: now)
            case .close, .flush, .waitThenFlush, .none:
                break
            }
        }
    }

    // MARK: - Connection

    private mutating func connect() {
        if let failure = link.connect() {
            let now = Instant.now
            let action = recovery.connectFailed(now: now, unitRandom: Double.random(in: 0..<1, using: &random))
            let since = busFault?.since ?? Date()
            busFault = BusFault(bus: worker.bus.name, endpoint: endpoint, error: failure, since: since)
            guard case .wait(let until) = action else { return }
            // Each failed reopen is logged on its back-off (issue 12): a port that never reopens must show.
            worker.log.warning(
                "bus connection failed",
                metadata: [
                    "bus.endpoint": "\(endpoint)", "error": "\(failure)",
                    "attempt": "\(recovery.consecutiveConnectFailures)",
                    "retry_in": "\(NumberText.duration(now.duration(to: until)))",
                ])
        } else {
            if recovery.consecutiveConnectFailures > 0 {
                worker.log.info("bus connected", metadata: ["bus.endpoint": "\(endpoint)"])
            }
            busFault = nil
            recovery.connectSucceeded()
        }
    }

    /// The serial port's path or `host:port`, for logs.
    private var endpoint: String {
        switch worker.bus.transport {
        case .serial(let line): line.device
        case .tcp(let host, let port), .rtuOverTCP(let host, let port): "\(host):\(port)"
        }
    }

    private mutating func recover(after kind: RequestFailureKind, responseTimeout: Duration, probing: Bool) {
        switch recovery.requestFailed(kind, probing: probing) {
        case .close:
            link.close()
        case .flush:
            link.flush()
            flushBeforeNextRequest = true
        case .waitThenFlush:
            // DESIGN §3: on RTU wait one response timeout for a late reply to arrive, then discard it.
            pause(until: Instant.now + responseTimeout)
            link.flush()
        default:
            break
        }
    }

    // MARK: - Polling

    private mutating func poll(_ i: Int, startedAt: Instant) {
        let responseTimeout = devices[i].responseTimeout
        link.setTimeouts(response: responseTimeout, byte: devices[i].byteTimeout)
        // A device in back-off is probed at once when the bus has slack for one response timeout before the
        // next device is due (issue 13: a repaired device is read again within one poll interval).
        var mayProbe = false
        if case .skip = pollers[i].health.decision(now: startedAt) {
            let probeEnds = startedAt + responseTimeout + (isSerial ? worker.bus.interFrameGap : .zero)
            mayProbe = due.secondDue.map { $0 >= probeEnds } ?? true
            if !mayProbe { worker.updateCounters(device: i) { $0.skippedPolls += 1 } }
        }
        let probing = pollers[i].health.linkState == .down
        var action = pollers[i].begin(now: startedAt, mayProbe: mayProbe)
        var now = startedAt
        while true {
            switch action {
            case .finished(let report):
                record(report.events, device: i)
                emit(i, report, startedAt: startedAt, endedAt: now)
                return
            case .send(let request, let delay):
                if delay > .zero { pause(until: Instant.now + delay) }
                if !recovery.isConnected, recovery.nextAction(now: Instant.now) == .connect { connect() }
                guard recovery.isConnected, !worker.isStopping else {
                    now = Instant.now
                    action = pollers[i].abandon(.init(.linkLost, detail: "no connection"), now: now)
                    continue
                }
                let outcome: ReadOutcome
                (outcome, now) = send(request, device: i)
                if case .failed(let kind, _, _) = outcome {
                    recover(after: kind, responseTimeout: responseTimeout, probing: probing)
                    now = Instant.now  // recovering may have waited (RTU: one response timeout)
                }
                action = pollers[i].handle(outcome, now: now)
            }
        }
    }

    /// Sends one request, keeping the inter-frame gap and the counters; returns the outcome and when it came.
    private mutating func send(_ request: ReadRequest, device i: Int) -> (ReadOutcome, at: Instant) {
        if let last = lastTransactionEnd, isSerial { pause(until: last + worker.bus.interFrameGap) }
        if flushBeforeNextRequest {
            link.flush()
            flushBeforeNextRequest = false
        }
        let sentAt = Instant.now
        let outcome = link.read(
            request.function, unitID: request.unitID.rawValue, start: request.start, count: request.count)
        let now = Instant.now
        lastTransactionEnd = now
        worker.updateCounters(device: i) { $0.record(outcome, roundTrip: sentAt.duration(to: now)) }
        return (outcome, now)
    }

    private func record(_ events: [DevicePollEvent], device i: Int) {
        guard !events.isEmpty else { return }
        let name = devices[i].name
        for event in events {
            switch event {
            case .stoppedAnswering(let delay):
                worker.log.warning(
                    "device not answering; skipping it",
                    metadata: ["device.id": "\(name)", "retry_in": "\(NumberText.duration(delay))"])
            case .answeringAgain:
                worker.log.info("device answering again", metadata: ["device.id": "\(name)"])
            case .hole(let point):
                worker.log.info(
                    "point refused by the device; remembered as a hole",
                    metadata: ["device.id": "\(name)", "point": "\(point)"])
            case .holeAnswered(let point):
                worker.log.info(
                    "hole answered again; read again", metadata: ["device.id": "\(name)", "point": "\(point)"])
            case .refusesEveryAddress(let delay):
                worker.log.warning(
                    "device refuses every address; probing it",
                    metadata: ["device.id": "\(name)", "retry_in": "\(NumberText.duration(delay))"])
            case .servesAddressesAgain:
                worker.log.info("device serves its addresses again", metadata: ["device.id": "\(name)"])
            }
        }
        let holes = pollers[i].holeNames
        worker.updateCounters(device: i) { $0.holes = holes }
    }

    // MARK: - Results

    private mutating func emit(_ i: Int, _ report: DevicePollReport, startedAt: Instant, endedAt: Instant) {
        let duration = startedAt.duration(to: endedAt)
        worker.updateCounters(device: i) { $0.recordPoll(linkState: report.linkState, duration: duration) }
        pending.append(
            DevicePollResult(
                bus: worker.bus.name, device: devices[i].name, deviceIndex: worker.siteIndex(ofDevice: i),
                linkState: report.linkState, pointNames: pollers[i].pointNames, readings: report.readings,
                observedAt: Date(), startedAt: startedAt, endedAt: endedAt, busFault: busFault))
        if pendingSince == nil { pendingSince = startedAt }
        // A long cycle hands over what it has every `batchLatency`, so an early device's alert does not wait
        // for the whole cycle.
        if let since = pendingSince, since.duration(to: endedAt) >= worker.config.batchLatency { flush() }
        // Next poll one interval after this one was due; if the bus is behind, as soon as possible (no burst).
        let next = max(nextDue[i] + devices[i].pollInterval, endedAt)
        nextDue[i] = next
        _ = due.popFirst()
        due.insert(i, dueAt: next)
    }

    /// Hands the results of the cycle so far to the sink, together.
    private mutating func flush() {
        guard !pending.isEmpty else { return }
        worker.deliver(batch: pending)
        pending.removeAll(keepingCapacity: true)
        pendingSince = nil
    }

    // MARK: - Time

    /// Sleeps until `deadline` or until the worker is asked to stop.
    private func pause(until deadline: Instant) {
        worker.stopSignal.wait(for: Instant.now.duration(to: deadline))
    }
}
