import FoundationEssentials
import Testing

@testable import ShelterCore

/// A restarted agent takes its standing alerts back (`AlertTracker.adopt`) and, with them, the times C-12 and
/// C-21 measure from (`Assessment.resume(from:)`). Before, a restart during a mains outage measured C-12's wait
/// from the restart: 0 s, under its 15 s threshold, so the standing alert was cancelled and a new one raised
/// 15 s later, on every restart (found in the flash benchmark's runs, stop 23).
@Suite("Standing alerts keep their times across a restart (C-12, C-21)")
struct RestartContinuityTests {
    typealias F = ShelterFixture

    /// One run of the agent's checks: an assessment and a tracker, and the standing alerts' latest events.
    struct Run {
        var assessment = Assessment(record: F.record())
        var tracker: AlertTracker
        var standing: [String: AlertEvent] = [:]
        var lifecycle: LifecycleStatus

        init(name: String, lifecycle: LifecycleStatus, resuming earlier: [AlertEvent]? = nil) {
            tracker = AlertTracker(identifiers: SequentialIdentifierGenerator(prefix: name))
            self.lifecycle = lifecycle
            if let earlier {
                tracker.adopt(earlier, isDrill: false)
                assessment.resume(from: earlier)
                standing = Dictionary(uniqueKeysWithValues: earlier.map { ($0.alertId, $0) })
            }
        }

        /// Evaluates `snapshot` at its time; returns the events of `check` raised, updated or cancelled.
        mutating func step(_ snapshot: SiteSnapshot, _ check: CheckID) -> [AlertEvent] {
            let results = assessment.evaluate(snapshot, lifecycle: lifecycle, at: snapshot.takenAt)
            let context = AlertContext(
                shelterId: "SMX-HB-0007", gatewayId: "gw-1", lifecycle: lifecycle, occupancy: 1000, capacity: 2000,
                now: snapshot.takenAt)
            let events = tracker.update(results, context: context)
            for event in events { standing[event.alertId] = event.msgType == .cancel ? nil : event }
            return events.filter { $0.parameters.checkId == check }
        }

        /// The last evaluation's result of `check`.
        mutating func result(_ check: CheckID, _ snapshot: SiteSnapshot) -> CheckResult? {
            assessment.evaluate(snapshot, lifecycle: lifecycle, at: snapshot.takenAt).result(check)
        }
    }

    static func mainsLost(at seconds: Double) -> SiteSnapshot {
        var snapshot = F.snapshot(at: F.t0.plus(seconds))
        snapshot.mainsPresent = .known(false, observedAt: F.t0.plus(seconds))
        return snapshot
    }

    @Test("a restart 60 s into a mains outage keeps C-12's alert and its wait; mains back, one Cancel")
    func generatorTransfer() throws {
        let activated = LifecycleStatus(state: .activated)
        var first = Run(name: "run1", lifecycle: activated)
        for second in 0...40 { _ = first.step(Self.mainsLost(at: Double(second)), .generatorTransfer) }
        let standing = try #require(first.standing.values.first { $0.parameters.checkId == .generatorTransfer })
        #expect(standing.severity == .severe)  // past 30 s: critical

        // The bug's input: a run that does not take the times back cancels the alert at once.
        var forgetful = Run(name: "run2", lifecycle: activated)
        forgetful.tracker.adopt(Array(first.standing.values), isDrill: false)
        #expect(forgetful.step(Self.mainsLost(at: 60), .generatorTransfer).map(\.msgType) == [.cancel])

        var second = Run(name: "run2", lifecycle: activated, resuming: Array(first.standing.values))
        #expect(second.step(Self.mainsLost(at: 60), .generatorTransfer) == [])
        #expect(second.result(.generatorTransfer, Self.mainsLost(at: 61))?.value?.value == 61)
        for s in 62...120 { #expect(second.step(Self.mainsLost(at: Double(s)), .generatorTransfer) == []) }
        let back = second.step(F.snapshot(at: F.t0.plus(121)), .generatorTransfer)
        #expect(back.map(\.msgType) == [.cancel])
        #expect(back.first?.alertId == standing.alertId)
    }

    @Test("mains back before the restarted agent looks: the earlier outage's time is not used for the next one")
    func outageOverBeforeRestart() throws {
        let activated = LifecycleStatus(state: .activated)
        var first = Run(name: "run1", lifecycle: activated)
        for second in 0...40 { _ = first.step(Self.mainsLost(at: Double(second)), .generatorTransfer) }
        var second = Run(name: "run2", lifecycle: activated, resuming: Array(first.standing.values))
        #expect(second.step(F.snapshot(at: F.t0.plus(60)), .generatorTransfer).map(\.msgType) == [.cancel])
        #expect(second.result(.generatorTransfer, Self.mainsLost(at: 70))?.value?.value == 0)  // a new outage
    }

    @Test("a restart during C-21's alert keeps it: people present in standby stay past their 10 minutes")
    func unexpectedOccupancy() throws {
        let standby = LifecycleStatus(state: .standby)
        var first = Run(name: "run1", lifecycle: standby)
        for minute in 0...12 {
            _ = first.step(F.snapshot(at: F.t0.plus(Double(minute) * 60), occupancy: 300), .unexpectedOccupancy)
        }
        let standing = try #require(first.standing.values.first { $0.parameters.checkId == .unexpectedOccupancy })
        #expect(standing.msgType == .alert)

        var forgetful = Run(name: "run2", lifecycle: standby)
        forgetful.tracker.adopt(Array(first.standing.values), isDrill: false)
        #expect(
            forgetful.step(F.snapshot(at: F.t0.plus(14 * 60), occupancy: 300), .unexpectedOccupancy).map(\.msgType) == [
                .cancel
            ])

        var second = Run(name: "run2", lifecycle: standby, resuming: Array(first.standing.values))
        for minute in 14...30 {
            #expect(
                second.step(F.snapshot(at: F.t0.plus(Double(minute) * 60), occupancy: 300), .unexpectedOccupancy) == [])
        }
        #expect(
            second.step(F.snapshot(at: F.t0.plus(31 * 60), occupancy: 10), .unexpectedOccupancy).map(\.msgType) == [
                .cancel
            ])
    }
}
