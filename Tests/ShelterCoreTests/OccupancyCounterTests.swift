import FoundationEssentials
import Testing

@testable import ShelterCore

@Suite("OccupancyCounter: Σ in − Σ out with wrap, reset, jumps and clamping")
struct OccupancyCounterTests {
    typealias F = ShelterFixture

    static func sample(
        _ entrance: String, _ direction: OccupancyCounter.Direction, _ value: UInt64
    ) -> OccupancyCounter.Sample {
        .init(entrance: entrance, direction: direction, reading: .value(.uint(value)))
    }

    /// Feeds cycles of (door1 in, door1 out, door2 in, door2 out), one per 10 s from t0.
    static func feed(
        _ counter: inout OccupancyCounter, _ cycles: [(UInt64, UInt64, UInt64, UInt64)]
    ) -> [OccupancyCounter.Note] {
        var notes: [OccupancyCounter.Note] = []
        for (i, c) in cycles.enumerated() {
            notes += counter.ingest(
                [
                    sample("door1", .entering, c.0), sample("door1", .leaving, c.1), sample("door2", .entering, c.2),
                    sample("door2", .leaving, c.3),
                ],
                at: F.t0.plus(Double(i) * 10))
        }
        return notes
    }

    @Test("the same counts read again later are no change to save (issue 13); a person counted is")
    func sameCounts() {
        var counter = OccupancyCounter(entrances: ["door1", "door2"], initialPersons: 5)
        _ = Self.feed(&counter, [(100, 50, 7, 0)])
        let saved = counter
        _ = counter.ingest(
            [
                Self.sample("door1", .entering, 100), Self.sample("door1", .leaving, 50),
                Self.sample("door2", .entering, 7), Self.sample("door2", .leaving, 0),
            ],
            at: F.t0.plus(300))
        #expect(counter != saved)  // the read times moved
        #expect(counter.hasSameCounts(as: saved))
        #expect(!counter.hasSameCounts(as: nil))
        _ = counter.ingest([Self.sample("door1", .entering, 101)], at: F.t0.plus(310))
        #expect(!counter.hasSameCounts(as: saved))
    }

    @Test("sums entries minus exits across entrances from the first sample as baseline")
    func basic() {
        var counter = OccupancyCounter(entrances: ["door1", "door2"], initialPersons: 5)
        let notes = Self.feed(&counter, [(100, 50, 7, 0), (130, 55, 17, 2), (160, 60, 17, 12)])
        #expect(notes.isEmpty)
        #expect(counter.persons == 5 + 60 - 10 + 10 - 12)
        #expect(counter.totalEntered == 70)
        #expect(counter.totalLeft == 22)
        #expect(counter.occupancy(at: F.t0.plus(20), maximumAge: .seconds(60)) == .known(53, observedAt: F.t0.plus(20)))
    }

    @Test(
        "a counter that passes 2^width − 1 wraps and is counted",
        arguments: [(32, UInt64(4_294_967_290), UInt64(5), 11), (16, 65_530, 4, 10), (64, UInt64.max - 2, 3, 6)])
    func wrap(width: Int, before: UInt64, after: UInt64, counted: Int) throws {
        var counter = OccupancyCounter(entrances: ["door1"], configuration: .init(counterWidth: width))
        counter.ingest([Self.sample("door1", .entering, before), Self.sample("door1", .leaving, 0)], at: F.t0)
        let notes = counter.ingest(
            [Self.sample("door1", .entering, after), Self.sample("door1", .leaving, 0)], at: F.t0.plus(10))
        #expect(counter.persons == counted)
        #expect(notes.map(\.kind) == [.wrap])
        #expect(notes.first?.detail == "door1 entering counter wrapped (\(before) → \(after))")
    }

    @Test("a counter back to near 0 was reset: counts since the reset are added; a jump is not counted")
    func resetAndJump() {
        var counter = OccupancyCounter(entrances: ["door1", "door2"])
        var notes = Self.feed(&counter, [(1000, 0, 0, 0), (1100, 0, 0, 0), (3, 0, 0, 0)])
        #expect(notes.map(\.kind) == [.reset])
        #expect(counter.persons == 103)
        var jumpy = OccupancyCounter(entrances: ["door1", "door2"])
        notes = Self.feed(&jumpy, [(50_000, 0, 0, 0), (40_000, 0, 0, 0), (40_010, 0, 0, 0), (90_000, 0, 0, 0)])
        #expect(notes.map(\.kind) == [.jump, .jump])
        #expect(jumpy.persons == 10)
    }

    @Test("more exits than persons present clamp at 0 and note the asymmetry; a cycle nets ins and outs first")
    func clamp() {
        var counter = OccupancyCounter(entrances: ["door1", "door2"])
        var notes = Self.feed(&counter, [(0, 0, 0, 0), (10, 0, 0, 15)])
        #expect(counter.persons == 0)
        #expect(counter.unmatchedLeaving == 5)
        #expect(notes.map(\.kind) == [.clampedAtZero])
        #expect(
            notes.first?.detail
                == "5 more persons counted leaving than present; occupancy clamped at 0 (in 10, out 15 since start)")
        // In and out in the same cycle (door2 out before door1 in within the batch) does not clamp.
        var sameCycle = OccupancyCounter(entrances: ["door1", "door2"])
        notes = Self.feed(&sameCycle, [(0, 0, 0, 0), (3, 0, 0, 3)])
        #expect(notes.isEmpty)
        #expect(sameCycle.persons == 0)
        #expect(counter.noteTexts.count == 1)
    }

    @Test("no sample makes the figure unknown with the reason; the next good sample picks up the counts")
    func missingSample() {
        var counter = OccupancyCounter(entrances: ["door1"])
        #expect(counter.occupancy(at: F.t0, maximumAge: .seconds(60)).value == nil)
        counter.ingest([Self.sample("door1", .entering, 10), Self.sample("door1", .leaving, 0)], at: F.t0)
        counter.ingest(
            [
                .init(entrance: "door1", direction: .entering, reading: .noSample(.init(.timeout))),
                Self.sample("door1", .leaving, 0),
            ], at: F.t0.plus(10))
        guard case .unknown(let reason) = counter.occupancy(at: F.t0.plus(10), maximumAge: .seconds(60)) else {
            Issue.record("expected unknown")
            return
        }
        #expect(reason.kind == .timeout)
        counter.ingest([Self.sample("door1", .entering, 25), Self.sample("door1", .leaving, 1)], at: F.t0.plus(20))
        #expect(counter.occupancy(at: F.t0.plus(20), maximumAge: .seconds(60)).value == 14)
        guard case .unknown(let stale) = counter.occupancy(at: F.t0.plus(81), maximumAge: .seconds(60)) else {
            Issue.record("expected stale")
            return
        }
        #expect(stale.kind == .stale)
    }

    @Test("invalid samples (negative, fractional, wider than the counter) are not counted")
    func invalidSamples() {
        var counter = OccupancyCounter(entrances: ["door1"], configuration: .init(counterWidth: 16))
        let notes = counter.ingest(
            [
                .init(entrance: "door1", direction: .entering, reading: .value(.int(-1))),
                .init(entrance: "door1", direction: .leaving, reading: .value(.uint(70_000))),
            ], at: F.t0)
        #expect(notes.map(\.kind) == [.invalidSample, .invalidSample])
        #expect(counter.occupancy(at: F.t0, maximumAge: .seconds(60)).unknownReason?.kind == .outOfRange)
    }

    @Test(
        "a direct count register gives the occupancy or unknown",
        arguments: [
            (Reading.value(.uint(1840)), 1840 as Int?), (.value(.int(12)), 12), (.value(.double(7)), 7),
            (.value(.double(7.5)), nil), (.value(.int(-3)), nil), (.noSample(.init(.busy)), nil),
        ])
    func directCount(reading: Reading, expected: Int?) {
        #expect(OccupancyCounter.occupancy(fromDirectCount: reading, at: F.t0).value == expected)
    }

    @Test("the counter state survives a JSON round trip (the runtime keeps it across restarts)")
    func codable() throws {
        var counter = OccupancyCounter(entrances: ["door1", "door2"])
        _ = Self.feed(&counter, [(100, 50, 7, 0), (130, 55, 17, 2)])
        let data = try RegistryJSON.makeEncoder().encode(counter)
        var back = try RegistryJSON.makeDecoder().decode(OccupancyCounter.self, from: data)
        #expect(back == counter)
        back.ingest([Self.sample("door1", .entering, 140)], at: F.t0.plus(30))
        #expect(back.persons == counter.persons + 10)
    }
}
