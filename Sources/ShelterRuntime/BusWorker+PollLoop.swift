import FoundationEssentials
import Logging
import ShelterCore

#if canImport(Glibc)
    import Glibc
#endif

/// The body of a bus thread: owns the connection and the per-device state; never shared.
struct PollLoop {
    typealias Instant = ContinuousClock.Instant

    private struct DeviceState {
        let index: Int
        var device: PollSchedule.Device
        var health: DeviceHealth<Instant>
        var nextDue: Instant
        /// Every point, in plan order, for emitting one sample per point.
        let points: [Point]
        var holes: [String: Point] = [:]
        var requestsToSplit: Set<Int> = []
    }

    let worker: BusWorker
    let link: any ModbusLink
    private let clock = ContinuousClock()
    private var recovery: ReconnectStateMachine<Instant>
    private var devices: [DeviceState]
    private var lastTransactionEnd: Instant?
    private var random = SystemRandomNumberGenerator()
    private let isSerial: Bool

    init(worker: BusWorker, link: any ModbusLink) {
        self.worker = worker
        self.link = link
        let schedule = worker.schedule
        if case .tcp = schedule.transport { isSerial = false } else { isSerial = true }
        recovery = ReconnectStateMachine(transport: isSerial ? .rtu : .tcp, policy: worker.config.reconnect)
        let now = ContinuousClock.now
        devices = schedule.devices.enumerated().map { index, device in
            DeviceState(
                index: index, device: device,
                health: DeviceHealth(
                    failuresBeforeBackoff: worker.config.failuresBeforeBackoff, policy: worker.config.deviceBackoff),
                nextDue: now, points: device.requests.flatMap(\.points))
        }
    }

    mutating func run() {
        defer { link.close() }
        while !worker.isStopping {
            guard let i = devices.indices.min(by: { devices[$0].nextDue < devices[$1].nextDue }) else {
                pause(until: clock.now + .milliseconds(100))
                continue
            }
            if devices[i].nextDue > clock.now {
                pause(until: devices[i].nextDue)
                continue
            }
            switch recovery.nextAction(now: clock.now) {
            case .connect:
                connect()
            case .wait(let until):
                let delay = clock.now.duration(to: until)
                emitUnread(i, startedAt: clock.now, reason: .init(.linkLost, detail: "no connection; next attempt in \(delay)"))
            case .poll:
                poll(i)
            case .close, .flush, .none:
                break
            }
        }
    }

    // MARK: - Connection

    private mutating func connect() {
        if let failure = link.connect() {
            let action = recovery.connectFailed(now: clock.now, unitRandom: Double.random(in: 0..<1, using: &random))
            if recovery.consecutiveConnectFailures == 1 {
                worker.log.warning("bus connection failed", metadata: ["error": "\(failure)", "next": "\(action)"])
            }
        } else {
            if recovery.consecutiveConnectFailures > 0 { worker.log.info("bus connected") }
            recovery.connectSucceeded()
        }
    }

    private mutating func recover(after kind: RequestFailureKind, device: PollSchedule.Device) {
        switch recovery.requestFailed(kind) {
        case .close:
            link.close()
        case .flush:
            // DESIGN §3: on RTU wait one response timeout for a late reply to arrive, then discard it.
            pause(until: clock.now + device.responseTimeout)
            link.flush()
        default:
            break
        }
    }

    // MARK: - Polling

    private mutating func poll(_ i: Int) {
        let startedAt = clock.now
        let device = devices[i].device
        var requests = Array(device.requests.enumerated())
        switch devices[i].health.decision(now: startedAt) {
        case .skip(let until):
            worker.updateCounters(device: i) { $0.skippedPolls += 1 }
            let reason = NoSampleReason(
                .deviceSkipped, detail: "no answer to \(devices[i].health.consecutiveFailures) polls; next probe in "
                    + "\(startedAt.duration(to: until))")
            emitUnread(i, startedAt: startedAt, reason: reason)
            return
        case .probe:
            requests = Array(requests.prefix(1))
        case .poll:
            break
        }
        link.setTimeouts(response: device.responseTimeout, byte: device.byteTimeout)
        var readings: [String: Reading] = [:]
        var answered = false
        var notAsked: NoSampleReason?
        for (k, request) in requests {
            if notAsked == nil, !recovery.isConnected {
                if recovery.nextAction(now: clock.now) == .connect { connect() }
                if !recovery.isConnected { notAsked = .init(.linkLost, detail: "no connection") }
            }
            if let notAsked {
                for point in request.points { readings[point.name] = .noSample(notAsked) }
                continue
            }
            let outcome = send(request, to: device, index: i)
            switch outcome {
            case .registers, .bits:
                answered = true
                for point in request.points { readings[point.name] = Self.decode(point, of: request, from: outcome) }
            case .exception(let code, let detail):
                answered = true
                let kind: NoSampleReason.Kind = code == 6 ? .busy : .exception
                for point in request.points {
                    readings[point.name] = .noSample(.init(kind, exceptionCode: code, detail: detail))
                }
                if code == 2 { devices[i].requestsToSplit.insert(k) }
            case .failed(let kind, let detail):
                let reasonKind: NoSampleReason.Kind =
                    switch kind {
                    case .timeout: .timeout
                    case .badData: .badData
                    case .linkLost: .linkLost
                    }
                for point in request.points { readings[point.name] = .noSample(.init(reasonKind, detail: detail)) }
                recover(after: kind, device: device)
                // A device that did not answer one request is not asked the rest this poll: it would cost the
                // bus one response timeout per request.
                notAsked = .init(
                    .deviceSkipped, detail: "not asked: request \(k + 1) of this poll failed (\(reasonKind.rawValue))")
            }
        }
        if requests.count < device.requests.count {
            let reason = NoSampleReason(.deviceSkipped, detail: "probe: only the first request was sent")
            for (_, request) in device.requests.enumerated().dropFirst(requests.count) {
                for point in request.points where readings[point.name] == nil { readings[point.name] = .noSample(reason) }
            }
        }
        let wasDown = devices[i].health.linkState == .down
        let skipUntil = devices[i].health.pollEnded(
            answered: answered, now: clock.now, unitRandom: Double.random(in: 0..<1, using: &random))
        let linkState = devices[i].health.linkState
        if linkState == .down, !wasDown, let skipUntil {
            worker.log.warning(
                "device not answering; skipping it",
                metadata: ["device.id": "\(device.name)", "retry_in": "\(clock.now.duration(to: skipUntil))"])
        } else if wasDown, linkState == .up {
            worker.log.info("device answering again", metadata: ["device.id": "\(device.name)"])
        }
        applySplits(i)
        emit(i, readings: readings, linkState: linkState, startedAt: startedAt)
    }

    /// Sends one request, retrying busy replies, keeping the inter-frame gap and the counters.
    private mutating func send(_ request: PollSchedule.Request, to device: PollSchedule.Device, index i: Int)
        -> ReadOutcome
    {
        var retries = 0
        while true {
            if let last = lastTransactionEnd, isSerial { pause(until: last + worker.schedule.interFrameGap) }
            let sentAt = clock.now
            let outcome = link.read(request.function, unitID: device.unitID, start: request.start, count: request.count)
            let now = clock.now
            lastTransactionEnd = now
            let rtt = sentAt.duration(to: now)
            let isBusy = outcome.isBusy
            worker.updateCounters(device: i) { c in
                c.requests += 1
                switch outcome {
                case .registers, .bits:
                    c.successes += 1
                    c.lastSuccessAt = Date()
                    c.recordRoundTrip(rtt)
                case .exception(_, let detail):
                    c.failures[isBusy ? .busy : .exception, default: 0] += 1
                    c.lastError = "exception: \(detail)"
                    c.recordRoundTrip(rtt)
                case .failed(let kind, let detail):
                    let key: NoSampleReason.Kind =
                        switch kind {
                        case .timeout: .timeout
                        case .badData: .badData
                        case .linkLost: .linkLost
                        }
                    c.failures[key, default: 0] += 1
                    c.lastError = "\(key.rawValue): \(detail)"
                }
            }
            guard isBusy, retries < device.busyRetries, !worker.isStopping else { return outcome }
            retries += 1
            pause(until: clock.now + device.busyRetryWait)
        }
    }

    /// Decodes one point from a reply; applies the plausible range.
    static func decode(_ point: Point, of request: PollSchedule.Request, from outcome: ReadOutcome)
        -> Reading
    {
        let offset = point.address - request.start
        let reading: Reading
        switch outcome {
        case .bits(let bits):
            guard offset >= 0, offset < bits.count else { return .noSample(.init(.badData, detail: "short reply")) }
            reading = .value(.bool(bits[offset]))
        case .registers(let registers):
            guard offset >= 0, offset + point.width <= registers.count else {
                return .noSample(.init(.badData, detail: "short reply"))
            }
            reading = RegisterCodec.decode(
                registers[offset..<offset + point.width], as: point.type, order: point.byteOrder, scale: point.scale,
                offset: point.offset, sentinels: point.sentinels)
        default:
            return .noSample(.init(.badData, detail: "no data"))
        }
        if case .value(let value) = reading, let x = value.numericValue,
            x < point.plausibleMinimum ?? -.infinity || x > point.plausibleMaximum ?? .infinity
        {
            let low = point.plausibleMinimum.map { "\($0)" } ?? "-inf"
            let high = point.plausibleMaximum.map { "\($0)" } ?? "inf"
            return .noSample(.init(.outOfRange, detail: "\(x) outside the plausible range \(low)...\(high)"))
        }
        return reading
    }

    // MARK: - Isolation

    /// Replaces each request that drew an illegal-address exception by its parts, and a single refused point
    /// by a hole.
    private mutating func applySplits(_ i: Int) {
        guard !devices[i].requestsToSplit.isEmpty else { return }
        var requests: [PollSchedule.Request] = []
        for (k, request) in devices[i].device.requests.enumerated() {
            guard devices[i].requestsToSplit.contains(k) else {
                requests.append(request)
                continue
            }
            if request.points.count == 1, let point = request.points.first {
                devices[i].holes[point.name] = point
                worker.log.info(
                    "point refused by the device; remembered as a hole",
                    metadata: ["device.id": "\(devices[i].device.name)", "point": "\(point.name)"])
                let name = point.name
                worker.updateCounters(device: i) { $0.holes.append(name) }
            } else {
                requests += Self.split(request)
            }
        }
        devices[i].device.requests = requests
        devices[i].requestsToSplit = []
    }

    /// Runs of adjacent points as separate requests; a request that is already one run becomes one request
    /// per point.
    static func split(_ request: PollSchedule.Request) -> [PollSchedule.Request] {
        var runs: [[Point]] = []
        for point in request.points.sorted(by: { $0.address < $1.address }) {
            if let last = runs.last?.last, last.address + last.width == point.address {
                runs[runs.count - 1].append(point)
            } else {
                runs.append([point])
            }
        }
        let groups = runs.count > 1 ? runs : request.points.map { [$0] }
        return groups.compactMap { points in
            guard let first = points.first, let last = points.last else { return nil }
            return .init(
                function: request.function, start: first.address, count: last.address + last.width - first.address,
                points: points)
        }
    }

    // MARK: - Results

    private mutating func emitUnread(_ i: Int, startedAt: Instant, reason: NoSampleReason) {
        let readings = Dictionary(devices[i].points.map { ($0.name, Reading.noSample(reason)) }) { a, _ in a }
        emit(i, readings: readings, linkState: devices[i].health.linkState, startedAt: startedAt)
    }

    private mutating func emit(_ i: Int, readings: [String: Reading], linkState: LinkState, startedAt: Instant) {
        let now = Date()
        let state = devices[i]
        let samples = state.points.map { point in
            let reading: Reading =
                if state.holes[point.name] != nil {
                    .noSample(.init(.hole, exceptionCode: 2, detail: "the device refuses this address; not read"))
                } else {
                    readings[point.name] ?? .noSample(.init(.notYetRead))
                }
            return Sample(device: state.device.name, point: point.name, reading: reading, observedAt: now)
        }
        worker.updateCounters(device: i) { $0.linkState = linkState }
        worker.deliver(
            DevicePollResult(
                bus: worker.schedule.bus, device: state.device.name, linkState: linkState, samples: samples,
                startedAt: startedAt, endedAt: clock.now))
        // Next poll one interval after this one was due; if the bus is behind, as soon as possible (no burst).
        devices[i].nextDue = max(state.nextDue + state.device.pollInterval, clock.now)
    }

    // MARK: - Time

    /// Sleeps until `deadline` or until the worker is asked to stop (checked every 50 ms).
    private func pause(until deadline: Instant) {
        while !worker.isStopping {
            let remaining = clock.now.duration(to: deadline)
            guard remaining > .zero else { return }
            let slice = min(remaining, .milliseconds(50))
            let (seconds, attoseconds) = slice.components
            var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
            var remainder = timespec()
            while nanosleep(&request, &remainder) == -1 && errno == EINTR { request = remainder }
        }
    }
}

extension ReadOutcome {
    var isBusy: Bool {
        if case .exception(6, _) = self { true } else { false }
    }
}
