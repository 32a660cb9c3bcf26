import ShelterCore
import Testing

/// The per-poll policy driven event by event with a fake link: no sockets, no clock.
@Suite("DevicePoller")
struct DevicePollerTests {
    typealias Poller = DevicePoller<TestInstant>

    /// a: UINT16 at 0; b: UINT32 at 1–2; c: INT16 ×0.5 at 5, plausible ≤ 10; d: UINT16 at 6.
    static let profile = DeviceProfile(
        name: "test", vendor: "test", model: "test", document: "tests",
        points: [
            Point(name: "a", function: .holdingRegister, address: 0, type: .uint16),
            Point(name: "b", function: .holdingRegister, address: 1, type: .uint32),
            Point(name: "c", function: .holdingRegister, address: 5, type: .int16, scale: 0.5, plausibleMaximum: 10),
            Point(name: "d", function: .holdingRegister, address: 6, type: .uint16),
        ])
    static let device = Device(name: "m", busName: "bus", unitID: UnitID(rawValue: 7), profile: profile)

    static var configuration: Poller.Configuration {
        var c = Poller.Configuration()
        c.failuresBeforeBackoff = 2
        c.deviceBackoff = BackoffPolicy(initialDelay: .seconds(2), maximumDelay: .seconds(8), jitter: 0)
        c.holeBackoff = BackoffPolicy(initialDelay: .seconds(60), maximumDelay: .seconds(600), jitter: 0)
        c.busyRetries = 2
        c.busyRetryWait = .milliseconds(100)
        return c
    }

    static func makePoller() -> Poller {
        Poller(device: device, requests: RequestPlanner.requests(for: device), configuration: configuration)
    }

    /// A fake device: registers 0...9 hold 10 + address; `refused` addresses answer exception 2.
    struct FakeLink {
        var refused: Set<Int> = []
        var silent = false
        var busyReplies = 0
        var sent: [ReadRequest] = []

        mutating func answer(_ request: ReadRequest) -> ReadOutcome {
            sent.append(request)
            if silent { return .failed(.timeout, detail: "timed out") }
            if busyReplies > 0 {
                busyReplies -= 1
                return .exception(6, detail: "busy (exception 6)")
            }
            if request.addresses.contains(where: refused.contains) {
                return .exception(2, detail: "illegal data address (exception 2)")
            }
            return .registers(request.addresses.map { UInt16(10 + $0) })
        }
    }

    /// Runs one poll at `now`; returns the report and the delays asked before each send.
    static func poll(_ poller: inout Poller, _ link: inout FakeLink, at now: Int64) -> (DevicePollReport, [Duration]) {
        var action = poller.begin(now: at(now))
        var delays: [Duration] = []
        while true {
            switch action {
            case .finished(let report): return (report, delays)
            case .send(let request, let delay):
                delays.append(delay)
                action = poller.handle(link.answer(request), now: at(now))
            }
        }
    }

    static func reading(_ report: DevicePollReport, _ point: String, in poller: Poller) -> Reading? {
        poller.points.firstIndex { $0.name == point }.map { report.readings[$0] }
    }

    @Test("out of the plausible range is no sample; a short reply is bad data")
    func plausibleRange() {
        let request = ReadRequest(
            device: "m", unitID: UnitID(rawValue: 7), function: .holdingRegister, start: 5, count: 1, points: ["c"])
        let c = Self.profile.points[2]
        #expect(Poller.decode(c, of: request, from: .registers([30])).reason?.kind == .outOfRange)  // 15 > 10
        #expect(Poller.decode(c, of: request, from: .registers([20])) == .value(.double(10)))
        #expect(Poller.decode(c, of: request, from: .registers([])).reason?.kind == .badData)
    }

    @Test("one request for the device; every point decoded from its own offset")
    func readsAndDecodes() {
        var poller = Self.makePoller()
        var link = FakeLink()
        let (report, _) = Self.poll(&poller, &link, at: 0)
        #expect(link.sent.map { [$0.start, $0.count] } == [[0, 7]])
        #expect(poller.points.map(\.name) == ["a", "b", "c", "d"])
        #expect(report.readings[0] == .value(.uint(10)))
        #expect(report.readings[1] == .value(.uint(11 << 16 | 12)))
        #expect(report.readings[2] == .value(.double(7.5)))  // register 5 holds 15, × 0.5
        #expect(report.readings[3] == .value(.uint(16)))
        #expect(report.linkState == .up)
    }

    @Test("exception 2 splits the request in the same poll; a refused single point becomes a hole, the rest is read")
    func splitsInTheSamePoll() {
        var poller = Self.makePoller()
        var link = FakeLink(refused: [6])
        let (report, _) = Self.poll(&poller, &link, at: 0)
        // [0,7] refused → runs [0,3] and [5,2]; [5,2] refused → singles [5,1] (read) and [6,1] (refused: hole).
        #expect(link.sent.map { [$0.start, $0.count] } == [[0, 7], [0, 3], [5, 2], [5, 1], [6, 1]])
        #expect(Self.reading(report, "a", in: poller) == .value(.uint(10)))
        #expect(Self.reading(report, "c", in: poller) == .value(.double(7.5)))
        #expect(Self.reading(report, "d", in: poller)?.reason?.kind == .hole)
        #expect(report.events == [.hole(point: "d")])
        #expect(poller.holeNames == ["d"])

        // The next poll sends the remaining plan only: the hole is not read.
        link.sent = []
        let (next, _) = Self.poll(&poller, &link, at: 1000)
        #expect(link.sent.map { [$0.start, $0.count] } == [[0, 3], [5, 1]])
        #expect(Self.reading(next, "d", in: poller)?.reason?.kind == .hole)
    }

    @Test("a hole is probed again on its back-off and rejoins the poll when it answers")
    func holeReprobed() {
        var poller = Self.makePoller()
        var link = FakeLink(refused: [6])
        _ = Self.poll(&poller, &link, at: 0)
        link.sent = []
        _ = Self.poll(&poller, &link, at: 59_999)
        #expect(!link.sent.contains { $0.start == 6 })
        link.sent = []
        _ = Self.poll(&poller, &link, at: 60_000)  // first hole probe: refused again, next in 120 s
        #expect(link.sent.last.map { [$0.start, $0.count] } == [6, 1])
        link.sent = []
        _ = Self.poll(&poller, &link, at: 179_999)
        #expect(!link.sent.contains { $0.start == 6 })
        link.refused = []
        link.sent = []
        let (healed, _) = Self.poll(&poller, &link, at: 180_000)
        #expect(link.sent.last.map { [$0.start, $0.count] } == [6, 1])
        #expect(healed.events == [.holeAnswered(point: "d")])
        #expect(Self.reading(healed, "d", in: poller) == .value(.uint(16)))
        #expect(poller.holeNames.isEmpty)
        link.sent = []
        _ = Self.poll(&poller, &link, at: 181_000)
        #expect(link.sent.contains { $0.start == 6 })
    }

    @Test("a device that refuses every address is a device state, probed on the device back-off, not holes")
    func refusesEveryAddress() {
        var poller = Self.makePoller()
        var link = FakeLink(refused: Set(0...9))
        let (report, _) = Self.poll(&poller, &link, at: 0)
        #expect(report.events == [.refusesEveryAddress(nextProbeIn: .seconds(2))])
        #expect(report.readings.allSatisfy { $0.reason?.kind == .exception && $0.reason?.exceptionCode == 2 })
        #expect(report.linkState == .up)  // it answers
        #expect(poller.holeNames.isEmpty)
        #expect(poller.refusesEveryAddress)

        link.sent = []
        let (waiting, _) = Self.poll(&poller, &link, at: 1999)
        #expect(link.sent.isEmpty)
        #expect(waiting.readings.allSatisfy { $0.reason?.exceptionCode == 2 })
        _ = Self.poll(&poller, &link, at: 2000)  // one probe (the first request of the plan), refused: 4 s more
        #expect(link.sent.map { [$0.start, $0.count] } == [[0, 7]])
        link.sent = []
        _ = Self.poll(&poller, &link, at: 5999)
        #expect(link.sent.isEmpty)

        link.refused = []
        let (back, _) = Self.poll(&poller, &link, at: 6000)
        #expect(back.events.contains(.servesAddressesAgain))
        #expect(back.readings[0] == .value(.uint(10)))
        #expect(!poller.refusesEveryAddress)
        #expect(poller.requests.map { [$0.start, $0.count] } == [[0, 7]])
    }

    @Test("busy is retried after the wait, then read; busy every time is no sample with reason busy")
    func busyRetries() {
        var poller = Self.makePoller()
        var link = FakeLink(busyReplies: 2)
        let (report, delays) = Self.poll(&poller, &link, at: 0)
        #expect(delays == [.zero, .milliseconds(100), .milliseconds(100)])
        #expect(report.readings[0] == .value(.uint(10)))
        link.busyReplies = 3
        link.sent = []
        let (busy, _) = Self.poll(&poller, &link, at: 1000)
        #expect(link.sent.count == 3)
        #expect(busy.readings.allSatisfy { $0.reason?.kind == .busy && $0.reason?.exceptionCode == 6 })
        #expect(busy.linkState == .up)
    }

    @Test("a silent device: the rest of the poll not asked; skipped after two polls, then probed with one request")
    func silentDevice() {
        var poller = Self.makePoller()
        var link = FakeLink(refused: [6])
        _ = Self.poll(&poller, &link, at: 0)  // split into [0,3] and [5,1]
        link.silent = true
        link.sent = []
        let (first, _) = Self.poll(&poller, &link, at: 1000)
        #expect(link.sent.count == 1)
        #expect(Self.reading(first, "a", in: poller)?.reason?.kind == .timeout)
        #expect(Self.reading(first, "c", in: poller)?.reason?.kind == .deviceSkipped)
        #expect(first.linkState == .degraded)
        let (second, _) = Self.poll(&poller, &link, at: 2000)
        #expect(second.linkState == .down)
        #expect(second.events == [.stoppedAnswering(nextProbeIn: .seconds(2))])
        link.sent = []
        let (skipped, _) = Self.poll(&poller, &link, at: 3999)
        #expect(link.sent.isEmpty)
        #expect(skipped.readings.allSatisfy { $0.reason?.kind == .deviceSkipped })
        link.silent = false
        let (probe, _) = Self.poll(&poller, &link, at: 4000)
        #expect(link.sent.map { [$0.start, $0.count] } == [[0, 3]])  // one request: costs one response timeout
        #expect(probe.events == [.answeringAgain])
        #expect(Self.reading(probe, "c", in: poller)?.reason?.detail == "probe: only the first request was sent")
    }

    @Test("a request that cannot be sent: its points and the rest carry the reason given")
    func abandoned() {
        var poller = Self.makePoller()
        guard case .send = poller.begin(now: at(0)) else {
            Issue.record("expected a request")
            return
        }
        let action = poller.abandon(.init(.linkLost, detail: "no connection"), now: at(0))
        guard case .finished(let report) = action else {
            Issue.record("expected the report")
            return
        }
        #expect(report.readings.allSatisfy { $0.reason?.kind == .linkLost })
        #expect(report.linkState == .degraded)
    }
}

@Suite("DueQueue")
struct DueQueueTests {
    @Test("pops in due order, ties by index; reinserting keeps the order")
    func order() {
        var queue = DueQueue<Int>(count: 3, dueAt: 0)
        #expect(queue.popFirst()?.index == 0)
        queue.insert(0, dueAt: 5)
        #expect(queue.popFirst()?.index == 1)
        queue.insert(1, dueAt: 3)
        #expect(queue.popFirst()?.index == 2)
        queue.insert(2, dueAt: 5)
        #expect(queue.popFirst().map { [$0.due, $0.index] } == [3, 1])
        #expect(queue.popFirst().map { [$0.due, $0.index] } == [5, 0])
        #expect(queue.popFirst().map { [$0.due, $0.index] } == [5, 2])
        #expect(queue.popFirst() == nil)
    }

    @Test("a thousand random due times come out sorted")
    func sorted() {
        var random = SeededRandom(seed: 42)
        var queue = DueQueue<Int>()
        let dues = (0..<1000).map { _ in Int(random.next() % 10_000) }
        for (index, due) in dues.enumerated() { queue.insert(index, dueAt: due) }
        var out: [Int] = []
        while let next = queue.popFirst() { out.append(next.due) }
        #expect(out == dues.sorted())
    }
}
