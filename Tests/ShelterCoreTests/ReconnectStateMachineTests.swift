import ShelterCore
import Testing

/// A manual instant: whole milliseconds since an origin, so tests step time by hand.
struct TestInstant: InstantProtocol {
    var milliseconds: Int64
    func advanced(by duration: Duration) -> TestInstant {
        let (s, atto) = duration.components
        return TestInstant(milliseconds: milliseconds + s * 1000 + atto / 1_000_000_000_000_000)
    }
    func duration(to other: TestInstant) -> Duration { .milliseconds(other.milliseconds - milliseconds) }
    static func < (a: TestInstant, b: TestInstant) -> Bool { a.milliseconds < b.milliseconds }
}

func at(_ ms: Int64) -> TestInstant { TestInstant(milliseconds: ms) }

@Suite("BackoffPolicy")
struct BackoffPolicyTests {
    let policy = BackoffPolicy(initialDelay: .milliseconds(500), maximumDelay: .seconds(8), multiplier: 2, jitter: 0.5)

    @Test("doubles per failure from the initial delay and stops at the cap")
    func growsAndCaps() {
        let delays = (1...8).map { policy.delay(afterFailures: $0, unitRandom: 0) }
        #expect(
            delays == [
                .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8),
                .seconds(8), .seconds(8),
            ])
    }

    @Test("jitter only shortens, by at most the jitter fraction")
    func jitterShortens() {
        #expect(policy.delay(afterFailures: 3, unitRandom: 0.5) == .milliseconds(1500))
        #expect(policy.delay(afterFailures: 3, unitRandom: 0.999_999) > .milliseconds(1000))
        #expect(policy.delay(afterFailures: 30, unitRandom: 0) == .seconds(8))
    }
}

@Suite("ReconnectStateMachine")
struct ReconnectStateMachineTests {
    typealias Machine = ReconnectStateMachine<TestInstant>
    let policy = BackoffPolicy(initialDelay: .seconds(1), maximumDelay: .seconds(4), multiplier: 2, jitter: 0)

    @Test("connects first, backs off exponentially while the peer refuses, and forever")
    func backsOffForever() {
        var m = Machine(transport: .tcp, policy: policy)
        #expect(m.nextAction(now: at(0)) == .connect)
        #expect(m.connectFailed(now: at(0), unitRandom: 0) == .wait(until: at(1000)))
        #expect(m.nextAction(now: at(999)) == .wait(until: at(1000)))
        #expect(m.nextAction(now: at(1000)) == .connect)
        #expect(m.connectFailed(now: at(1000), unitRandom: 0) == .wait(until: at(3000)))
        #expect(m.nextAction(now: at(3000)) == .connect)
        #expect(m.connectFailed(now: at(3000), unitRandom: 0) == .wait(until: at(7000)))
        #expect(m.nextAction(now: at(7000)) == .connect)
        #expect(m.connectFailed(now: at(7000), unitRandom: 0) == .wait(until: at(11000)))  // capped at 4 s
        #expect(m.consecutiveConnectFailures == 4)
        #expect(m.nextAction(now: at(11000)) == .connect)
        m.connectSucceeded()
        #expect(m.consecutiveConnectFailures == 0)
        #expect(m.nextAction(now: at(11001)) == .poll)
    }

    @Test("on TCP a timeout or bad data closes the connection, and it is reopened before the next request")
    func tcpTimeoutReconnects() {
        for kind in [RequestFailureKind.timeout, .badData, .linkLost] {
            var m = Machine(transport: .tcp, policy: policy)
            _ = m.nextAction(now: at(0))
            m.connectSucceeded()
            #expect(m.requestFailed(kind) == .close)
            #expect(!m.isConnected)
            #expect(m.nextAction(now: at(1)) == .connect)
        }
    }

    @Test("on RTU a timeout or bad data flushes and keeps the port; a lost port is reopened")
    func rtuFlushes() {
        var m = Machine(transport: .rtu, policy: policy)
        _ = m.nextAction(now: at(0))
        m.connectSucceeded()
        #expect(m.requestFailed(.timeout) == .waitThenFlush)
        #expect(m.requestFailed(.badData) == .waitThenFlush)
        // A probe of a silent device: flushed at once, so the probe costs one response timeout (issue 13).
        #expect(m.requestFailed(.timeout, probing: true) == .flush)
        #expect(m.requestFailed(.badData, probing: true) == .flush)
        #expect(m.nextAction(now: at(1)) == .poll)
        #expect(m.requestFailed(.linkLost) == .close)
        #expect(m.nextAction(now: at(2)) == .connect)
    }

    @Test("a failure reported while disconnected asks for nothing")
    func failureWhileDisconnected() {
        var m = Machine(transport: .tcp, policy: policy)
        #expect(m.requestFailed(.timeout) == .none)
    }
}

@Suite("DeviceHealth")
struct DeviceHealthTests {
    typealias Health = DeviceHealth<TestInstant>
    let policy = BackoffPolicy(initialDelay: .seconds(2), maximumDelay: .seconds(8), multiplier: 2, jitter: 0)

    @Test("polled while it answers; degraded, then skipped after three silent polls")
    func goesDown() {
        var h = Health(failuresBeforeBackoff: 3, policy: policy)
        #expect(h.linkState == .unknown)
        #expect(h.decision(now: at(0)) == .poll)
        #expect(h.pollEnded(answered: true, now: at(0), unitRandom: 0) == nil)
        #expect(h.linkState == .up)
        #expect(h.pollEnded(answered: false, now: at(1000), unitRandom: 0) == nil)
        #expect(h.linkState == .degraded)
        #expect(h.pollEnded(answered: false, now: at(2000), unitRandom: 0) == nil)
        #expect(h.decision(now: at(2500)) == .poll)
        #expect(h.pollEnded(answered: false, now: at(3000), unitRandom: 0) == at(5000))
        #expect(h.linkState == .down)
        #expect(h.decision(now: at(4999)) == .skip(until: at(5000)))
        #expect(h.decision(now: at(5000)) == .probe)
    }

    @Test("each failed probe doubles the back-off up to the cap; an answer restores the cycle")
    func probes() {
        var h = Health(failuresBeforeBackoff: 1, policy: policy)
        #expect(h.pollEnded(answered: false, now: at(0), unitRandom: 0) == at(2000))
        #expect(h.decision(now: at(2000)) == .probe)
        #expect(h.pollEnded(answered: false, now: at(2000), unitRandom: 0) == at(6000))
        #expect(h.pollEnded(answered: false, now: at(6000), unitRandom: 0) == at(14000))
        #expect(h.pollEnded(answered: false, now: at(14000), unitRandom: 0) == at(22000))
        #expect(h.decision(now: at(22000)) == .probe)
        #expect(h.pollEnded(answered: true, now: at(22000), unitRandom: 0) == nil)
        #expect(h.linkState == .up)
        #expect(h.decision(now: at(22001)) == .poll)
    }
}
