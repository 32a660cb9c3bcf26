@testable import ShelterRuntime
import ShelterCore
import Testing

@Suite("Decoding and isolation in the poll loop")
struct PollLoopTests {
    let a = Point(name: "a", function: .holdingRegister, address: 0, type: .uint16)
    let b = Point(name: "b", function: .holdingRegister, address: 1, type: .uint32)
    let c = Point(name: "c", function: .holdingRegister, address: 5, type: .int16, scale: 0.5, plausibleMaximum: 10)

    @Test("a request with a gap splits into runs of adjacent points; a single run into single points")
    func split() {
        let request = PollSchedule.Request(function: .holdingRegister, start: 0, count: 6, points: [a, b, c])
        let runs = PollLoop.split(request)
        #expect(runs.map { [$0.start, $0.count] } == [[0, 3], [5, 1]])
        #expect(runs.map { $0.points.map(\.name) } == [["a", "b"], ["c"]])
        let singles = PollLoop.split(runs[0])
        #expect(singles.map { [$0.start, $0.count] } == [[0, 1], [1, 2]])
    }

    @Test("each point decodes from its own offset; out of plausible range is no sample")
    func decode() {
        let request = PollSchedule.Request(function: .holdingRegister, start: 0, count: 6, points: [a, b, c])
        let reply = ReadOutcome.registers([7, 0x0001, 0x0002, 0, 0, 30])
        #expect(PollLoop.decode(a, of: request, from: reply) == .value(.uint(7)))
        #expect(PollLoop.decode(b, of: request, from: reply) == .value(.uint(0x0001_0002)))
        #expect(PollLoop.decode(c, of: request, from: reply).reason?.kind == .outOfRange)  // 15 > 10
        #expect(PollLoop.decode(c, of: request, from: .registers([1, 2])).reason?.kind == .badData)
    }
}
