import FoundationEssentials
import Testing

@testable import ShelterCore

/// `SiteState.ingest(deviceIndex:…)` says whether a poll changed what the checks read: only then does the agent
/// evaluate on arrival (issue 13); a poll that repeats the last one leaves the checks to the periodic tick.
@Suite("SiteState: what a poll changed")
struct SiteStateChangeTests {
    typealias F = ShelterFixture

    @Test("a repeated poll changes nothing; a value, a reason, a text, the link state or the bus fault does")
    func changes() throws {
        var state = SiteState(configuration: try SiteFixture.configuration())
        let d = try #require(state.table.deviceIndex(named: "gen"))
        func poll(_ readings: [Reading], link: LinkState = .up, fault: BusFault? = nil) -> Bool {
            state.ingest(
                deviceIndex: d, linkState: link, readings: readings, busFault: fault, observedAt: F.t0, at: F.t0)
        }
        var readings = (0..<state.table.pointCount(ofDevice: d)).map { Reading.value(.double(Double($0) + 0.5)) }
        #expect(poll(readings))  // the device's first poll
        #expect(!poll(readings))
        readings[0] = .value(.double(99))
        #expect(poll(readings))
        #expect(!poll(readings))
        readings[0] = .value(.int(99))  // the same number, another kind of value
        #expect(poll(readings))
        readings[0] = .noSample(.init(.timeout))
        #expect(poll(readings))
        #expect(!poll(readings))
        readings[0] = .noSample(.init(.busy, exceptionCode: 6))
        #expect(poll(readings))
        #expect(!poll(readings))
        readings[0] = .value(.string("AB"))
        #expect(poll(readings))
        #expect(!poll(readings))
        readings[0] = .value(.string("AC"))
        #expect(poll(readings))
        #expect(!poll(readings, link: .up))
        #expect(poll(readings, link: .degraded))
        #expect(!poll(readings, link: .degraded))
        let fault = BusFault(bus: "lan", endpoint: "127.0.0.1:502", error: "connection refused", since: F.t0)
        #expect(poll(readings, link: .degraded, fault: fault))
        #expect(!poll(readings, link: .degraded, fault: fault))
        #expect(poll(readings, link: .degraded))
        // The state holds the last of each: the text and the link state.
        #expect(state.pointState(at: state.table.base[d])?.latest.reading == .value(.string("AC")))
    }

    @Test("a reading of the wrong count is not taken, and changes nothing")
    func wrongCount() throws {
        var state = SiteState(configuration: try SiteFixture.configuration())
        let d = try #require(state.table.deviceIndex(named: "gen"))
        let none: [Reading] = []
        #expect(state.table.pointCount(ofDevice: d) > 0)
        let taken = state.ingest(deviceIndex: d, linkState: .up, readings: none, observedAt: F.t0, at: F.t0)
        #expect(!taken)
        #expect(state.pointState(at: state.table.base[d]) == nil)  // still never polled
    }
}
