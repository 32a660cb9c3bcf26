import FoundationEssentials
import Testing

@testable import ShelterCore

/// Issue 11 item 5, "words a duty officer reads right", on exact output text: what `status` prints while a
/// condition is pending, and what a string point sends to the registry.
@Suite("Words a duty officer reads right")
struct DutyOfficerWordsTests {
    typealias F = ShelterFixture

    @Test("during a hold time, 'ok' next to 'no generator is on load' is shown as pending with when it alerts")
    func pendingInsteadOfOk() throws {
        // C-12 five seconds after mains was lost: the check itself is ok (the transfer may take 15 s).
        var assessment = Assessment(record: F.record())
        let activated = LifecycleStatus(state: .activated)
        var snapshot = F.snapshot()
        _ = assessment.evaluate(snapshot, lifecycle: activated, at: F.t0)
        snapshot.mainsPresent = .known(false, observedAt: F.t0)
        let transfer = try #require(
            assessment.evaluate(snapshot, lifecycle: activated, at: F.t0.plus(5)).result(.generatorTransfer))
        #expect(transfer.status == .ok)
        let machine = try AgentStateMachineTests.machine()
        let note = try #require(machine.pendingNote(for: transfer, now: F.t0.plus(5)))
        #expect(note.text(in: .en) == "no alert yet: warns if no generator is on load 15 s after mains was lost")
        #expect(note.text(in: .zhCN) == "尚未告警：市电中断 15 秒后仍无发电机带载即发出警告")

        // C-01 at 92 %: a warning waiting for its 60 s hold.
        var crowded = try AgentStateMachineTests.machine()
        _ = crowded.heartbeatAnswered(lifecycle: .activated, isDrill: false)
        _ = AgentStateMachineTests.step(&crowded, at: 0, persons: 1840)
        let actions = AgentStateMachineTests.step(&crowded, at: 25, persons: 1840)
        #expect(actions.enqueueAlerts.isEmpty)
        let occupancy = try #require(crowded.lastResults.result(.occupancy))
        #expect(occupancy.status == .warning)
        let hold = try #require(crowded.pendingNote(for: occupancy, now: F.t0.plus(25)))
        #expect(hold.text(in: .en) == "warning for 25 s; alerts once it has lasted 60 s")

        let status = AgentStatus(
            writtenAt: F.t0.plus(25), startedAt: F.t0, agentVersion: "0.1.0", pid: 1, gatewayID: "gw-1",
            shelterID: "SMX-HB-0007", lifecycle: .init(state: "activated"),
            checks: [
                .init(
                    id: "C-12", status: "ok", summary: "", summaries: AgentStatus.texts(transfer.finding!),
                    pending: AgentStatus.texts(note)),
                .init(
                    id: "C-01", status: "warning", summary: "", summaries: AgentStatus.texts(occupancy.finding!),
                    pending: AgentStatus.texts(hold)),
            ])
        let lines = status.text(now: F.t0.plus(26), isProcessAlive: true).split(separator: "\n").map(String.init)
        #expect(
            lines.contains(
                "  C-12               pending  mains lost 5 s ago and no generator is on load yet · no alert yet: "
                    + "warns if no generator is on load 15 s after mains was lost"))
        #expect(
            lines.contains(
                "  C-01               pending  1\u{202F}840 persons present / registered capacity 2\u{202F}000 persons (92 %) · "
                    + "warning for 25 s; alerts once it has lasted 60 s"))
    }

    @Test("C-21 counting its own 10 minutes is pending, not ok; below its limit it is plain ok")
    func unexpectedOccupancyHoldIsPending() throws {
        // Standby, registered capacity 2 000: more than max(50, 5 %) = 100 persons for 10 minutes warns.
        var machine = try AgentStateMachineTests.machine()
        _ = machine.heartbeatAnswered(lifecycle: .standby, isDrill: false)
        _ = AgentStateMachineTests.step(&machine, at: 0, persons: 300)
        let actions = AgentStateMachineTests.step(&machine, at: 300, persons: 300)
        #expect(!actions.enqueueAlerts.contains { $0.parameters.checkId == .unexpectedOccupancy })
        let crowded = try #require(machine.lastResults.result(.unexpectedOccupancy))
        #expect(crowded.status == .ok)
        let note = try #require(machine.pendingNote(for: crowded, now: F.t0.plus(300)))
        #expect(note.text(in: .en) == "warning for 5 min 0 s; alerts once it has lasted 10 min")

        var quiet = try AgentStateMachineTests.machine()
        _ = quiet.heartbeatAnswered(lifecycle: .standby, isDrill: false)
        _ = AgentStateMachineTests.step(&quiet, at: 0, persons: 40)
        _ = AgentStateMachineTests.step(&quiet, at: 300, persons: 40)
        let few = try #require(quiet.lastResults.result(.unexpectedOccupancy))
        #expect(few.status == .ok)
        #expect(quiet.pendingNote(for: few, now: F.t0.plus(300)) == nil)
    }

    @Test(
        "a string point (serial number, firmware version) reaches the registry with its text, not as good with no value"
    )
    func stringPointCarriesItsText() throws {
        let reading = ReadingStatus(
            device: "genset", point: "serial_number", quantity: nil, reading: .value(.string("GEN-2024-0042")),
            unit: nil, observedAt: F.t0, now: F.t0.plus(1), maximumAge: .seconds(300))
        #expect(reading.text == "GEN-2024-0042")
        #expect(reading.value == nil)
        #expect(reading.quality == .good)
        let json = String(decoding: try RegistryJSON.makeEncoder().encode(reading), as: UTF8.self)
        #expect(json.contains(#""text":"GEN-2024-0042""#), "\(json)")
        let number = ReadingStatus(
            device: "genset", point: "fuel_level", quantity: nil, reading: .value(.double(41.5)), unit: "%",
            observedAt: F.t0, now: F.t0.plus(1), maximumAge: .seconds(300))
        #expect(number.text == nil)
        #expect(number.value == 41.5)
    }

    @Test("a record version is an identifier: status shows 5222489151174, not '5 222 489 151 174'")
    func recordVersionHasNoDigitGroups() {
        let line = ScreenText.recordVersion(version: 5_222_489_151_174, source: "registry")
        #expect(line.text(in: .en) == "the registry's, version 5222489151174")
        #expect(line.text(in: .zhCN) == "登记系统的备案，第 5222489151174 版")
    }

    @Test("the Cancel of a bus fault names the bus, not '设备 bus:rs485-1'")
    func busFaultCancelNamesTheBus() {
        let title = CheckTitle.make(check: .dataFreshness, subject: "bus:rs485-1", finding: nil, capacity: 2000)
        #expect(title.text(in: .zhCN) == "总线 rs485-1 的连接")
        #expect(title.text(in: .en) == "connection of bus rs485-1")
    }

    @Test("one dead letter is not '1 dead letters'")
    func deadLetterCount() {
        #expect(ScreenText.deadLetters(count: 1).text(in: .en) == "1 dead letter (shelter-agent outbox list)")
        #expect(ScreenText.deadLetters(count: 2).text(in: .en) == "2 dead letters (shelter-agent outbox list)")
    }
}
