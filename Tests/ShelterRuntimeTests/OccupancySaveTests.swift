import FoundationEssentials
import ShelterCore
import ShelterRuntime
import Testing

/// How often the people counters reach `occupancy.json` (issue 13, quiet flash): when they changed, at most every
/// `occupancySaveInterval`, and once more when the agent stops; on the reference site's four entrances.
@Suite("Occupancy saves")
struct OccupancySaveTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let entrances = ["counter-north", "counter-south", "counter-east", "counter-west"]

    func makeMachine() throws -> AgentStateMachine {
        let site = try SiteConfigurationLoader(checksFiles: false).load(siteFile: SiteStateTests.referenceSite).get()
        return AgentStateMachine(
            site: site, record: site.record, startedAt: t0, firstSequence: 1000,
            identifiers: SequentialIdentifierGenerator(prefix: "gw-1.run1"))
    }

    /// Every entrance's counters at `in`/`out`, then a tick `seconds` after the start.
    func step(
        _ machine: inout AgentStateMachine, at seconds: Double, in entered: Double, out left: Double = 900
    ) -> AgentStateMachine.TickActions {
        let at = t0.addingTimeInterval(seconds)
        for entrance in entrances {
            machine.pollResultReceived(
                device: entrance, linkState: .up,
                samples: [
                    Sample(device: entrance, point: "count_in", reading: .value(.double(entered)), observedAt: at),
                    Sample(device: entrance, point: "count_out", reading: .value(.double(left)), observedAt: at),
                ], at: at)
        }
        return machine.tick(at: at, utcOffsetMinutes: 480)
    }

    @Test("counters that change every poll are saved at most every 15 min, and what is left when the agent stops")
    func cadence() throws {
        var machine = try makeMachine()
        #expect(AgentStateMachine.Configuration().occupancySaveInterval == .seconds(900))
        let first = step(&machine, at: 60, in: 1000).saveOccupancy  // the first baseline
        #expect(first?.persons == 0)
        for (i, seconds) in stride(from: 90.0, to: 960, by: 30).enumerated() {
            let actions = step(&machine, at: seconds, in: 1001 + Double(i))
            #expect(actions.writeStatus)  // the status file keeps its 30 s
            #expect(actions.saveOccupancy == nil, "saved at \(seconds) s")
        }
        // 29 persons came in at each of the 4 entrances since the first save: 15 min after it, saved.
        let due = step(&machine, at: 960, in: 1029).saveOccupancy
        #expect(due?.persons == 4 * 29)
        #expect(step(&machine, at: 990, in: 1030).saveOccupancy == nil)
        // On stop: what changed since, once.
        let last = machine.unsavedOccupancy()
        #expect(last?.persons == 4 * 30)
        #expect(machine.unsavedOccupancy() == nil)
    }

    @Test("counters that do not change are not saved again, and a change after a quiet spell is saved at once")
    func quiet() throws {
        var machine = try makeMachine()
        #expect(step(&machine, at: 60, in: 1000).saveOccupancy != nil)
        for seconds in stride(from: 90.0, through: 2000, by: 30) {
            #expect(step(&machine, at: seconds, in: 1000).saveOccupancy == nil)
        }
        #expect(machine.unsavedOccupancy() == nil)
        let after = step(&machine, at: 2010, in: 1002).saveOccupancy
        #expect(after?.persons == 8)
    }
}
