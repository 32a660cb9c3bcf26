/// The per-poll policy of one device on a shared bus, as a pure state machine: the bus worker asks `begin`,
/// sends what the returned action says, feeds each outcome back with `handle`, and publishes the report
/// once the action is `.finished`. No I/O, no clock: time comes in with each event.
///
/// Rules (DESIGN §3 and §7, issue 10):
/// - A device that gave no answer in `failuresBeforeBackoff` polls in a row is skipped on a back-off and
///   probed with its first request (`DeviceHealth`).
/// - "Server device busy" (exception 6) is retried `busyRetries` times, `busyRetryWait` apart.
/// - After a request fails without an answer (timeout, bad reply, lost link), the device's remaining requests
///   of that poll are not sent: each would cost the bus one more response timeout.
/// - An illegal-address exception (2) on a request of several points splits it *in the same poll* (first into
///   runs of adjacent points, then into single points) and the parts are read at once; a single point the
///   device refuses becomes a hole, re-probed on `holeBackoff`, and rejoins the poll when it answers.
/// - A device that refuses every address (every point a hole) is a device state, not a set of holes: its
///   points have no sample (exception 2), it is probed with its first request on `deviceBackoff`, and its
///   full plan is polled again as soon as it serves an address.
/// - A decoded value outside the point's plausible range is no sample (`outOfRange`).
///
/// Not thread-safe; owned by one bus worker. `Instant` is the worker's clock's instant.
public struct DevicePoller<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// Knobs of the policy; the defaults are the agent's.
    public struct Configuration: Sendable, Hashable {
        /// Polls without any answer before the device is skipped, ≥ 1. Default 3.
        public var failuresBeforeBackoff = 3
        /// Back-off between probes of a device that stopped answering or refuses every address.
        /// Default 2 s doubling to 60 s, 20 % jitter.
        public var deviceBackoff = BackoffPolicy(initialDelay: .seconds(2), maximumDelay: .seconds(60))
        /// Back-off between probes of a hole (a point the device refuses). Default 60 s doubling to 1 h.
        public var holeBackoff = BackoffPolicy(initialDelay: .seconds(60), maximumDelay: .seconds(3600))
        /// Retries after a "server device busy" (exception 6) reply, ≥ 0. Default 2.
        public var busyRetries = 2
        /// Wait before retrying a busy request. Default 100 ms.
        public var busyRetryWait: Duration = .milliseconds(100)

        /// The defaults.
        public init() {}
    }

    /// What the bus worker does next.
    public enum Action: Sendable, Hashable {
        /// Send `request` after `delay` of silence (zero except before a busy retry); then call `handle`, or
        /// `abandon` when it cannot be sent.
        case send(ReadRequest, after: Duration)
        /// The poll is over: publish the report.
        case finished(DevicePollReport)
    }

    /// One request of the device's current plan, with the indices of its points in `points`.
    struct Slot: Sendable, Hashable {
        var request: ReadRequest
        var pointIndices: [Int]
    }

    struct Hole: Sendable {
        var slot: Slot
        var failedProbes: Int
        var nextProbe: Instant
    }

    struct Refusal: Sendable {
        var failedProbes: Int
        var until: Instant
    }

    /// The poll in progress. Its readings are written into the poller's own buffers (`readings`, `written`),
    /// allocated once: a steady-state poll allocates nothing here.
    struct Round: Sendable {
        /// The requests to send; `queue[next...]` are still to go (an index, so the common full poll shares
        /// `slots` without copying it).
        var queue: [Slot]
        var next = 0
        var current: Slot?
        var currentIsHoleProbe = false
        var busyRetriesLeft: Int
        var answered = false
        var isProbe: Bool
        var isRefusalProbe: Bool
        var events: [DevicePollEvent] = []
    }

    /// The device's name.
    public let device: String
    /// Every point of the device, in plan order (`PointTable.planOrder`); `DevicePollReport.readings` follows
    /// this order.
    public let points: [Point]
    /// The names of `points`, for output.
    public let pointNames: [String]
    /// Each point's decoding, chosen once (`PointDecoder`).
    let decoders: [PointDecoder]
    /// The policy's knobs.
    public let configuration: Configuration
    /// Link health of the device (answers vs silence).
    public private(set) var health: DeviceHealth<Instant>
    private let plan: [Slot]
    private var slots: [Slot]
    private var holes: [Int: Hole] = [:]
    private var refusal: Refusal?
    private var round: Round?
    private var random: SeededRandom
    /// The readings of the poll in progress, then of the last poll; rewritten in place (numbers without a
    /// reference count: `PollReadings`).
    private var readings: PollReadings
    /// Which of `readings` the poll in progress has written.
    private var written: [Bool]

    /// Creates the policy for `device` polled with `requests` (its `RequestPlanner` plan).
    /// - Parameter seed: seeds the jitter of the back-off delays (tests pass a fixed one).
    public init(device: Device, requests: [ReadRequest], configuration: Configuration = .init(), seed: UInt64 = 0) {
        self.device = device.name
        random = SeededRandom(seed: seed)
        self.configuration = configuration
        let points = PointTable.planOrder(of: device, requests: requests)
        var slots: [Slot] = []
        var position = 0
        for request in requests {
            let count = request.points.count(where: { device.profile.point(named: $0) != nil })
            slots.append(Slot(request: request, pointIndices: Array(position..<position + count)))
            position += count
        }
        self.points = points
        pointNames = points.map(\.name)
        decoders = points.map(PointDecoder.init)
        readings = PollReadings(repeating: .noSample(.init(.notYetRead)), count: points.count)
        written = Array(repeating: false, count: points.count)
        self.plan = slots
        self.slots = slots
        health = DeviceHealth(
            failuresBeforeBackoff: configuration.failuresBeforeBackoff, policy: configuration.deviceBackoff)
    }

    /// The names of the points currently treated as holes, in plan order.
    public var holeNames: [String] { holes.keys.sorted().map { points[$0].name } }

    /// Whether the device currently refuses every address.
    public var refusesEveryAddress: Bool { refusal != nil }

    /// The requests a full poll sends now (after splits and without holes), in order.
    public var requests: [ReadRequest] { slots.map(\.request) }

    // MARK: - Events

    /// Starts a poll at `now`: the first request to send, or the report at once when the device is skipped.
    /// - Parameter mayProbe: whether the bus has slack for one response timeout now: a device in back-off is
    ///   then probed at once instead of skipped (issue 13: a repaired device is read again within one poll
    ///   interval of its return, not at its next back-off slot). Default `false`.
    public mutating func begin(now: Instant, mayProbe: Bool = false) -> Action {
        if let refusal, now < refusal.until {
            let reason = Self.refusedReason(device: device, nextProbeIn: now.duration(to: refusal.until))
            return .finished(report(all: .noSample(reason), linkState: health.linkState, events: []))
        }
        var queue: [Slot]
        var isProbe = false
        switch health.decision(now: now) {
        case .skip where mayProbe:
            isProbe = true
            queue = Array((refusal != nil ? plan : slots).prefix(1))
        case .skip(let until):
            let reason = NoSampleReason(
                .deviceSkipped,
                detail: "no answer to \(health.consecutiveFailures) polls; next probe in \(now.duration(to: until))")
            return .finished(report(all: .noSample(reason), linkState: health.linkState, events: []))
        case .probe:
            isProbe = true
            queue = Array((refusal != nil ? plan : slots).prefix(1))
        case .poll:
            queue = refusal != nil ? Array(plan.prefix(1)) : slots
        }
        let isRefusalProbe = refusal != nil
        // Only when there are holes: appending even nothing made `queue` unique, a copy of `slots` every poll
        // (callgrind, `bench-poll path` at 10 registers: 17 636 instructions per request before, 16 636 after).
        if !isProbe, !isRefusalProbe, !holes.isEmpty {
            queue += holes.keys.sorted().compactMap { index in
                guard let hole = holes[index], hole.nextProbe <= now else { return nil }
                return hole.slot
            }
        }
        for index in written.indices { written[index] = false }
        // Every point is written again by the end of this poll (`finish`), so the texts and reasons of the last
        // one can go.
        readings.clearSideTables()
        round = Round(
            queue: queue, busyRetriesLeft: configuration.busyRetries, isProbe: isProbe || isRefusalProbe,
            isRefusalProbe: isRefusalProbe)
        return next(now: now)
    }

    /// The outcome of the request last returned by `.send`, at `now`.
    public mutating func handle(_ outcome: ReadOutcome, now: Instant) -> Action {
        // The round is changed in place (`round!`), not taken out and written back: each take and write-back
        // copied the `Round` through value witnesses, its arrays retained and released (callgrind, `bench-poll
        // path` at 10 registers: 19 085 instructions per request before, 17 636 after, with `next` likewise).
        guard let slot = round?.current.take() else {
            round = nil
            return .finished(
                report(
                    all: .noSample(.init(.notYetRead)),
                    linkState: health.linkState, events: []))
        }
        let isHoleProbe = round!.currentIsHoleProbe
        // The decoders are borrowed in place through a buffer pointer: `decoders[index].decode(…)` copied each
        // decoder (its sentinel set retained and released; callgrind: 12 % of the bus thread at 125 registers).
        let decoders = self.decoders
        switch outcome {
        case .registers(let registers):
            round!.answered = true
            let start = slot.request.start
            // Numbers in range are written in place (`PointDecoder.packed`, no reference counted); any other
            // point (text, no sample, a type the codec decodes) is decoded in full in a second pass.
            let pointIndices = slot.pointIndices
            let allPacked = decoders.withUnsafeBufferPointer { decoders in
                withPackedAndWritten { packed, written in
                    var allPacked = true
                    for index in pointIndices {
                        if let entry = decoders[index].packed(registers: registers, start: start) {
                            packed[index] = entry
                        } else {
                            allPacked = false
                        }
                        written[index] = true
                    }
                    return allPacked
                }
            }
            if !allPacked {
                decoders.withUnsafeBufferPointer { decoders in
                    for index in pointIndices where decoders[index].packed(registers: registers, start: start) == nil {
                        readings.set(index, decoders[index].decode(registers: registers, start: start))
                    }
                }
            }
        case .bits(let bits):
            round!.answered = true
            let start = slot.request.start
            decoders.withUnsafeBufferPointer { decoders in
                for index in slot.pointIndices {
                    readings.set(index, decoders[index].decode(bits: bits, start: start))
                    written[index] = true
                }
            }
        default:
            break
        }
        switch outcome {
        case .registers, .bits:
            if isHoleProbe, let index = slot.pointIndices.first {
                holes[index] = nil
                slots.append(slot)
                round!.events.append(.holeAnswered(point: points[index].name))
            }
            if round!.isRefusalProbe {
                refusal = nil
                round!.events.append(.servesAddressesAgain)
            }
        case .exception(let code, let detail):
            round!.answered = true
            if code == 6, round!.busyRetriesLeft > 0 {
                round!.busyRetriesLeft -= 1
                let request = slot.request
                round!.current = slot
                return .send(request, after: configuration.busyRetryWait)
            }
            let reason = NoSampleReason(code == 6 ? .busy : .exception, exceptionCode: code, detail: detail)
            set(slot.pointIndices, reason)
            if code == 2, !round!.isRefusalProbe {
                refused(slot, isHoleProbe: isHoleProbe, now: now)
            }
        case .failed(let kind, let detail, _):
            let reason = NoSampleReason(kind.noSampleKind, detail: detail)
            set(slot.pointIndices, reason)
            // Not asked the rest this poll: each request would cost the bus one more response timeout.
            let notAsked = NoSampleReason(
                .deviceSkipped, detail: "not asked: an earlier request of this poll failed (\(kind.rawValue))")
            for rest in round!.queue[round!.next...] { set(rest.pointIndices, notAsked) }
            round!.next = round!.queue.count
        }
        return next(now: now)
    }

    /// The request last returned by `.send` could not be sent (no connection), nor any after it.
    public mutating func abandon(_ reason: NoSampleReason, now: Instant) -> Action {
        guard var round = self.round.take() else {
            return .finished(report(all: .noSample(reason), linkState: health.linkState, events: []))
        }
        for slot in (round.current.map { [$0] } ?? []) + round.queue[round.next...] {
            set(slot.pointIndices, reason)
        }
        round.current = nil
        round.next = round.queue.count
        self.round = round
        return next(now: now)
    }

    /// A report for a poll that could not start because the bus itself is down: every point has `reason`, the
    /// link is down; the device's own health is untouched.
    public func busDown(_ reason: NoSampleReason) -> DevicePollReport {
        report(all: .noSample(reason), linkState: .down, events: [])
    }

    // MARK: - Steps

    private mutating func next(now: Instant) -> Action {
        // In place, as in `handle`.
        guard let position = round?.next else {
            return .finished(
                report(
                    all: .noSample(.init(.notYetRead)), linkState: health.linkState,
                    events: []))
        }
        if position < round!.queue.count {
            let slot = round!.queue[position]
            round!.next += 1
            round!.currentIsHoleProbe =
                slot.pointIndices.count == 1
                && slot.pointIndices.first.map { holes[$0] != nil }
                    == true
            round!.busyRetriesLeft = configuration.busyRetries
            let request = slot.request
            round!.current = slot
            return .send(request, after: .zero)
        }
        let round = self.round.take()!
        return .finished(finish(round, now: now))
    }

    /// A request drew exception 2: split it and read the parts now, or make its one point a hole. Called during a
    /// poll (`round` set).
    private mutating func refused(_ slot: Slot, isHoleProbe: Bool, now: Instant) {
        if isHoleProbe, let index = slot.pointIndices.first, var hole = holes[index] {
            hole.failedProbes += 1
            hole.nextProbe = now.advanced(
                by: configuration.holeBackoff.delay(afterFailures: hole.failedProbes + 1, unitRandom: draw()))
            holes[index] = hole
            set([index], Self.holeReason(nextProbeIn: hole.nextProbe, now: now))
            return
        }
        guard let position = slots.firstIndex(of: slot) else { return }
        if slot.pointIndices.count > 1 {
            let parts = Self.split(slot, points: points)
            slots.replaceSubrange(position...position, with: parts)
            let at = round!.next
            round!.queue.insert(contentsOf: parts, at: at)
            for index in slot.pointIndices { written[index] = false }
            return
        }
        guard let index = slot.pointIndices.first else { return }
        slots.remove(at: position)
        let nextProbe = now.advanced(by: configuration.holeBackoff.delay(afterFailures: 1, unitRandom: draw()))
        holes[index] = Hole(slot: slot, failedProbes: 0, nextProbe: nextProbe)
        set([index], Self.holeReason(nextProbeIn: nextProbe, now: now))
        round!.events.append(.hole(point: points[index].name))
    }

    private mutating func finish(_ round: consuming Round, now: Instant) -> DevicePollReport {
        let wasDown = health.linkState == .down
        // Every point a hole: the device refuses every address. A device state, probed on the device back-off.
        if refusal == nil, slots.isEmpty, !points.isEmpty {
            holes = [:]
            slots = plan
            let until = now.advanced(by: configuration.deviceBackoff.delay(afterFailures: 1, unitRandom: draw()))
            refusal = Refusal(failedProbes: 0, until: until)
            round.events = [.refusesEveryAddress(nextProbeIn: now.duration(to: until))]
        } else if var current = refusal, round.isRefusalProbe, round.answered {
            current.failedProbes += 1
            current.until = now.advanced(
                by: configuration.deviceBackoff.delay(afterFailures: current.failedProbes + 1, unitRandom: draw()))
            refusal = current
        }
        let skipUntil = health.pollEnded(answered: round.answered, now: now, unitRandom: draw())
        let linkState = health.linkState
        if linkState == .down, !wasDown, let skipUntil {
            round.events.append(.stoppedAnswering(nextProbeIn: now.duration(to: skipUntil)))
        } else if wasDown, linkState == .up {
            round.events.append(.answeringAgain)
        }
        if let refusal {
            let reason = Self.refusedReason(device: device, nextProbeIn: now.duration(to: refusal.until))
            return report(all: .noSample(reason), linkState: linkState, events: round.events)
        }
        let notSent = NoSampleReason(
            .deviceSkipped, detail: round.isProbe ? "probe: only the first request was sent" : "not asked")
        for index in written.indices where !written[index] {
            if let hole = holes[index] {
                readings.set(index, .noSample(Self.holeReason(nextProbeIn: hole.nextProbe, now: now)))
            } else {
                readings.set(index, .noSample(notSent))
            }
        }
        return DevicePollReport(readings: readings, linkState: linkState, events: round.events)
    }

    /// Runs `body` on the readings' entries and the written flags, each borrowed whole (moved out and back, so
    /// neither is copied nor checked for uniqueness per point).
    private mutating func withPackedAndWritten<R>(
        _ body: (UnsafeMutableBufferPointer<PackedReading>, UnsafeMutableBufferPointer<Bool>) -> R
    ) -> R {
        var packed: [PackedReading] = []
        var flags: [Bool] = []
        swap(&packed, &readings.packed)
        swap(&flags, &written)
        defer {
            swap(&packed, &readings.packed)
            swap(&flags, &written)
        }
        return packed.withUnsafeMutableBufferPointer { packed in
            flags.withUnsafeMutableBufferPointer { flags in body(packed, flags) }
        }
    }

    /// Writes no sample with `reason` for each of the points `indices` in the poll in progress (the reason is
    /// stored once).
    private mutating func set(_ indices: [Int], _ reason: NoSampleReason) {
        guard !indices.isEmpty else { return }
        let entry = readings.entry(for: reason)
        for index in indices {
            readings.packed[index] = entry
            written[index] = true
        }
    }

    private mutating func draw() -> Double { Double(random.next() >> 11) * 0x1p-53 }

    private func report(all reading: Reading, linkState: LinkState, events: [DevicePollEvent]) -> DevicePollReport {
        DevicePollReport(
            readings: PollReadings(repeating: reading, count: points.count), linkState: linkState, events: events)
    }

    static func holeReason(nextProbeIn instant: Instant, now: Instant) -> NoSampleReason {
        NoSampleReason(
            .hole, exceptionCode: 2,
            detail: "the device refuses this address; next probe in \(now.duration(to: instant))")
    }

    static func refusedReason(device: String, nextProbeIn delay: Duration) -> NoSampleReason {
        NoSampleReason(
            .exception, exceptionCode: 2,
            detail:
                "the device refuses every address (wrong unit id or profile?); next probe in \(NumberText.duration(delay))"
        )
    }
}

/// The result of one poll of one device.
public struct DevicePollReport: Sendable, Hashable {
    /// One reading per point, in `DevicePoller.points` order.
    public var readings: PollReadings
    /// The device's link state after this poll.
    public var linkState: LinkState
    /// What changed, for logs and counters.
    public var events: [DevicePollEvent]

    public init(readings: PollReadings, linkState: LinkState, events: [DevicePollEvent]) {
        self.readings = readings
        self.linkState = linkState
        self.events = events
    }
}

/// A change of a device's state during a poll, which the bus worker logs and counts.
public enum DevicePollEvent: Sendable, Hashable {
    /// The device gave no answer `failuresBeforeBackoff` polls in a row: skipped, probed again after the delay.
    case stoppedAnswering(nextProbeIn: Duration)
    /// A device in back-off answered its probe.
    case answeringAgain
    /// A point the device refuses (exception 2 on it alone) is now a hole.
    case hole(point: String)
    /// A hole answered its probe with data and is read again.
    case holeAnswered(point: String)
    /// Every point of the device is refused: a device state, probed after the delay.
    case refusesEveryAddress(nextProbeIn: Duration)
    /// A device that refused every address served one again.
    case servesAddressesAgain
}
