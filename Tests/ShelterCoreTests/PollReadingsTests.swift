import ShelterCore
import Testing

/// `PollReadings` keeps each point's reading packed (numbers inline, texts and reasons in side tables); what
/// it gives back must be the `Reading` that went in, and the poller's shortcut for 16-bit integers must give
/// what `PointDecoder.decode` gives.
@Suite("PollReadings")
struct PollReadingsTests {
    static let timeout = NoSampleReason(.timeout, detail: "timed out")
    static let sentinel = NoSampleReason(.sentinel, detail: "raw 0x8000 is a declared no-data code")

    @Test("every kind of reading comes back as it went in, in order")
    func roundTrip() throws {
        let readings: [Reading] = [
            .value(.uint(65_535)), .value(.int(-32_768)), .value(.double(-0.5)), .value(.bool(true)),
            .value(.string("EM340")), .noSample(Self.timeout), .value(.string("")), .noSample(Self.sentinel),
            .noSample(Self.timeout), .value(.uint(UInt64.max)), .value(.int(Int64.min)),
        ]
        let packed = PollReadings(readings)
        try #require(packed.count == 11)
        #expect(Array(packed) == readings)
        #expect(packed[4] == .value(.string("EM340")))
        #expect(packed[7].reason?.detail == "raw 0x8000 is a declared no-data code")
        #expect(packed[8].reason == Self.timeout)
    }

    @Test("equal readings are equal whatever their side tables hold, and hash alike")
    func equality() {
        let one = PollReadings(repeating: .noSample(Self.timeout), count: 3)
        let other: PollReadings = [.noSample(Self.timeout), .noSample(Self.timeout), .noSample(Self.timeout)]
        #expect(one == other)
        #expect(one.hashValue == other.hashValue)
        #expect(one != [.noSample(Self.timeout), .noSample(Self.timeout), .noSample(Self.sentinel)])
        #expect(one != [.noSample(Self.timeout), .noSample(Self.timeout)])
        #expect(PollReadings([.value(.uint(1))]) != [.value(.int(1))])
    }

    /// 16-bit points down the poller's shortcut and past it: exact, scaled, signed, out of range, with a
    /// sentinel (codec), a byte order other than AB (codec), a FLOAT32 and a STRING.
    static let profile = DeviceProfile(
        name: "mix", vendor: "test", model: "test", document: "tests",
        points: [
            Point(name: "u", function: .holdingRegister, address: 0, type: .uint16),
            Point(name: "s", function: .holdingRegister, address: 1, type: .int16),
            Point(
                name: "scaled", function: .holdingRegister, address: 2, type: .uint16, scale: 0.1, offset: -5,
                plausibleMaximum: 6000),
            Point(name: "ranged", function: .holdingRegister, address: 3, type: .int16, plausibleMinimum: 0),
            Point(name: "sentinel", function: .holdingRegister, address: 4, type: .int16, sentinels: [0x8000]),
            Point(name: "ba", function: .holdingRegister, address: 5, type: .uint16, byteOrder: .ba),
            Point(name: "f", function: .holdingRegister, address: 6, type: .float32),
            Point(name: "text", function: .holdingRegister, address: 8, type: .string(registers: 2)),
        ])

    @Test(
        "a poll gives each point what PointDecoder.decode gives for the same registers",
        arguments: [
            [UInt16](arrayLiteral: 7, 0xFFFF, 100, 3, 0x8000, 0x0102, 0x3FC0, 0x0000, 0x4142, 0x4300),
            [65_535, 0x7FFF, 65_535, 0x8000, 5, 0, 0x7FC0, 0x0000, 0x0000, 0x0000],
            [0, 0, 0, 0, 0, 0xFFFF, 0x7F80, 0x0000, 0x00FF, 0xFE00],
        ])
    func pollMatchesDecode(registers: [UInt16]) {
        let device = Device(name: "m", busName: "bus", unitID: UnitID(rawValue: 1), profile: Self.profile)
        let requests = RequestPlanner.requests(for: device)
        var poller = DevicePoller<TestInstant>(device: device, requests: requests)
        var action = poller.begin(now: at(0))
        var report: DevicePollReport?
        while report == nil {
            switch action {
            case .send(let request, _):
                let reply = request.addresses.map { registers[$0] }
                action = poller.handle(.registers(reply), now: at(0))
            case .finished(let finished):
                report = finished
            }
        }
        let expected = poller.points.map { PointDecoder($0).decode(registers: registers, start: 0) }
        #expect(report.map { Array($0.readings) } == expected)
    }

    @Test("the values of one poll, by point")
    func values() {
        let device = Device(name: "m", busName: "bus", unitID: UnitID(rawValue: 1), profile: Self.profile)
        var poller = DevicePoller<TestInstant>(device: device, requests: RequestPlanner.requests(for: device))
        let registers: [UInt16] = [7, 0xFFFF, 100, 3, 0x8000, 0x0102, 0x3FC0, 0x0000, 0x4142, 0x4300]
        guard case .send(let request, _) = poller.begin(now: at(0)),
            case .finished(let report) = poller.handle(
                .registers(request.addresses.map { registers[$0] }), now: at(0))
        else {
            Issue.record("one request expected")
            return
        }
        let byName = Dictionary(uniqueKeysWithValues: zip(poller.pointNames, report.readings))
        #expect(byName["u"] == .value(.uint(7)))
        #expect(byName["s"] == .value(.int(-1)))
        #expect(byName["scaled"] == .value(.double(100 * 0.1 - 5)))
        #expect(byName["ranged"] == .value(.int(3)))
        #expect(byName["sentinel"]?.reason?.kind == .sentinel)
        #expect(byName["ba"] == .value(.uint(0x0201)))
        #expect(byName["f"] == .value(.double(1.5)))
        #expect(byName["text"] == .value(.string("ABC")))
    }
}
