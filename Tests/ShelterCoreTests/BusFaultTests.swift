import FoundationEssentials
import Testing

@testable import ShelterCore

/// Issue 11 item 3, "a bus fault is one fault": a wrong serial path made the agent send one C-22 critical alert
/// per device on the bus within a second. The bus is the condition: one alert whose subject is the bus and which
/// lists the devices it carries, cancelled when the bus opens.
@Suite("A bus that cannot be opened is one C-22 condition")
struct BusFaultTests {
    typealias F = ShelterFixture

    static let fault = BusFault(
        bus: "lan", endpoint: "127.0.0.1:502", error: "connection refused (errno 111)", since: F.t0)

    /// Every device of the fixture's one bus reports the bus down, as the bus worker does while it cannot connect.
    static func busDown(_ machine: inout AgentStateMachine, at now: Date) {
        let reason = NoSampleReason(.linkLost, detail: "no connection to 127.0.0.1:502")
        for (device, point) in [("counter", "present"), ("water", "level"), ("gen", "fuel")] {
            machine.pollResultReceived(
                device: device, linkState: .down,
                samples: [Sample(device: device, point: point, reading: .noSample(reason), observedAt: now)],
                busFault: fault, at: now)
        }
    }

    @Test("a wrong endpoint: one C-22 alert for the bus listing its devices, none per device; Cancel when it opens")
    func wrongEndpointIsOneCondition() throws {
        var machine = try AgentStateMachineTests.machine()
        _ = machine.heartbeatAnswered(lifecycle: .activated, isDrill: false)
        var events: [AlertEvent] = []
        for second in stride(from: 0.0, through: 300, by: 1) {
            Self.busDown(&machine, at: F.t0.plus(second))
            let actions = machine.tick(at: F.t0.plus(second), utcOffsetMinutes: 480)
            events += actions.enqueueAlerts
            AgentStateMachineTests.commitAll(&machine, actions)
        }
        let dataAlerts = events.filter { $0.parameters.checkId == .dataFreshness }
        #expect(dataAlerts.map(\.parameters.subject) == ["bus:lan"])
        let alert = try #require(dataAlerts.first)
        #expect(alert.msgType == .alert)
        #expect(alert.severity == .severe)
        // The site leads in zh-CN (gateway.language); both texts always travel.
        #expect(alert.headline.contains("总线 lan（127.0.0.1:502）无法打开"))
        let english = try #require(alert.texts?.first { $0.language == "en-US" })
        #expect(english.headline.contains("bus lan (127.0.0.1:502) cannot be opened"))
        let bus = try #require(machine.lastResults.result(.dataFreshness, "bus:lan"))
        #expect(
            bus.summary
                == "bus lan (127.0.0.1:502) cannot be opened: connection refused (errno 111); unreachable on it: "
                + "counter, water, gen")
        for device in ["counter", "water", "gen"] {
            #expect(machine.lastResults.result(.dataFreshness, device)?.status == .unknown)
        }
        // The gateway accepts the connection again: the bus condition is cancelled, no device alert follows.
        var after: [AlertEvent] = []
        for second in stride(from: 301.0, through: 400, by: 1) {
            let actions = AgentStateMachineTests.step(&machine, at: second)
            after += actions.enqueueAlerts
            AgentStateMachineTests.commitAll(&machine, actions)
        }
        let dataAfter = after.filter { $0.parameters.checkId == .dataFreshness }
        #expect(dataAfter.map(\.parameters.subject) == ["bus:lan"])
        #expect(dataAfter.map(\.msgType) == [.cancel])
        #expect(machine.lastResults.result(.dataFreshness, "bus:lan") == nil)
    }

    @Test(
        "durations for people, never a Swift Duration dump",
        arguments: [
            (15.474352836743979, "15 s"), (0.5, "0.5 s"), (9.26, "9.3 s"), (125, "2 min 5 s"), (7500, "2 h 5 min"),
            (-3, "0.0 s"),
        ])
    func durationText(seconds: Double, expected: String) {
        #expect(NumberText.duration(seconds) == expected)
        #expect(!NumberText.duration(.seconds(seconds)).contains("seconds"))
    }
}
