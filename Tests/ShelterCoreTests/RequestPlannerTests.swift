import Testing
@testable import ShelterCore

/// Request planning rules of issue 3 part 3, one test per rule, plus the wire-time formula.
@Suite struct RequestPlannerTests {
    static func device(
        _ points: [Point], cap: Int = 125, gap: Int = 10, holes: [RegisterRange] = [], name: String = "d",
        unit: UInt8 = 1
    ) -> Device {
        Device(
            name: name, busName: "bus", unitID: UnitID(rawValue: unit),
            profile: DeviceProfile(name: "t", vendor: "v", model: "m", document: "doc", points: points),
            maxRegistersPerRequest: cap, maxGapRegisters: gap, knownHoles: holes)
    }

    static func holding(_ name: String, _ address: Int, _ type: DataType = .uint16) -> Point {
        Point(name: name, function: .holdingRegister, address: address, type: type)
    }

    static func spans(_ requests: [ReadRequest]) -> [String] {
        requests.map { "\($0.function.rawValue) \($0.start)+\($0.count) \($0.points.joined(separator: ","))" }
    }

    @Test func contiguousPointsGoInOneRequest() {
        let requests = RequestPlanner.requests(
            for: Self.device([
                Self.holding("b", 2, .float32), Self.holding("a", 0, .uint32), Self.holding("c", 4),
            ]))
        #expect(Self.spans(requests) == ["holding 0+5 a,b,c"])
    }

    @Test func gapsUpToTheLimitAreBridgedAndLongerOnesSplit() {
        let points = [Self.holding("a", 0), Self.holding("b", 11), Self.holding("c", 23)]
        // gap a→b is 10 registers (1...10), b→c is 11 (12...22)
        #expect(
            Self.spans(RequestPlanner.requests(for: Self.device(points, gap: 10)))
                == ["holding 0+12 a,b", "holding 23+1 c"])
        #expect(Self.spans(RequestPlanner.requests(for: Self.device(points, gap: 11))) == ["holding 0+24 a,b,c"])
        #expect(RequestPlanner.requests(for: Self.device(points, gap: 0)).count == 3)
    }

    @Test func aKnownHoleIsNeverReadThrough() {
        let points = [Self.holding("a", 0), Self.holding("b", 5)]
        let hole = RegisterRange(function: .holdingRegister, start: 3, count: 1)
        #expect(
            Self.spans(RequestPlanner.requests(for: Self.device(points, holes: [hole])))
                == ["holding 0+1 a", "holding 5+1 b"])
        let otherTable = RegisterRange(function: .inputRegister, start: 3, count: 1)
        #expect(RequestPlanner.requests(for: Self.device(points, holes: [otherTable])).count == 1)
    }

    @Test func neverMoreThan125RegistersNorTheDeviceCapAndNeverSplitAPoint() {
        let points = (0..<70).map { Self.holding("p\($0)", $0 * 2, .uint32) }  // 140 registers, contiguous
        let requests = RequestPlanner.requests(for: Self.device(points))
        #expect(requests.map(\.count) == [124, 16])
        #expect(requests.allSatisfy { $0.start % 2 == 0 && $0.count % 2 == 0 })
        let capped = RequestPlanner.requests(for: Self.device(points, cap: 7))
        #expect(capped.count == 24)  // three 2-register points (6 registers) per request; a 4th would need 8
        #expect(capped.allSatisfy { $0.count <= 7 && $0.count % 2 == 0 })
    }

    @Test func bitTablesMergeUpTo2000Bits() {
        let coils = [0, 1999, 2000].map { Point(name: "c\($0)", function: .coil, address: $0, type: .boolean) }
        let requests = RequestPlanner.requests(for: Self.device(coils, gap: 125))
        #expect(Self.spans(requests) == ["coil 0+2000 c0,c1999", "coil 2000+1 c2000"])
    }

    @Test func tablesAreReadSeparatelyInAFixedOrder() {
        let points = [
            Point(name: "in", function: .inputRegister, address: 0, type: .uint16), Self.holding("h", 0),
            Point(name: "di", function: .discreteInput, address: 0, type: .boolean),
            Point(name: "co", function: .coil, address: 0, type: .boolean),
        ]
        let requests = RequestPlanner.requests(for: Self.device(points))
        #expect(requests.map(\.function) == [.coil, .discreteInput, .holdingRegister, .inputRegister])
        #expect(requests.map(\.function.readFunctionCode) == [1, 2, 3, 4])
        #expect(RequestPlanner.requests(for: Self.device(points.reversed())) == requests)
    }

    /// The issue's reference figures from the framing formula: 11 devices of 40, 20, 20, 2, 2, 2, 4, 4, 4, 4, 4
    /// registers at 9600 8E1 give 495 ms with one request per device and 2672 ms with one per register.
    @Test func wireTimeReproducesTheIssueFigures() {
        let counts = [40, 20, 20, 2, 2, 2, 4, 4, 4, 4, 4]
        let devices = counts.enumerated().map { index, count in
            Self.device((0..<count).map { Self.holding("r\($0)", 100 + $0) }, name: "d\(index)", unit: UInt8(index + 1))
        }
        let plan = PollPlan(bus: "bus", requests: devices.flatMap(RequestPlanner.requests(for:)))
        #expect(plan.requests.count == 11)
        let line = SerialLine(device: "/dev/null", baudRate: 9600, parity: .even, dataBits: 8, stopBits: 1)
        #expect(line.bitsPerCharacter == 11)
        let estimate = WireTimeEstimate(plan: plan, devices: devices, line: line, interFrameGap: line.t35)
        // 11 × (8 + 5 + 7) + 2 × 106 = 432 characters; 106 × (8 + 7 + 7) = 2332 characters; 11 bits at 9600 baud.
        #expect(abs(estimate.planned.inMilliseconds - 432.0 * 11 / 9.6) < 0.001)
        #expect(abs(estimate.onePerRegister.inMilliseconds - 2332.0 * 11 / 9.6) < 0.001)
        // The issue's figures, which it states rounded to the millisecond.
        #expect((estimate.planned.inMilliseconds).rounded() == 495)
        #expect((estimate.onePerRegister.inMilliseconds).rounded() == 2672)
        #expect(estimate.onePerPoint == estimate.onePerRegister)  // every point is one register here
        #expect(estimate.registerCount == 106)
    }

    @Test func replySizesFollowTheFraming() {
        #expect(WireTimeEstimate.replyCharacters(function: .holdingRegister, quantity: 125) == 255)
        #expect(WireTimeEstimate.replyCharacters(function: .coil, quantity: 9) == 7)
        #expect(WireTimeEstimate.replyCharacters(function: .discreteInput, quantity: 8) == 6)
    }

    @Test func t35IsFixedAbove19200Baud() {
        #expect(SerialLine(device: "x", baudRate: 115_200).t35 == .microseconds(1750))
        let slow = SerialLine(device: "x", baudRate: 9600, parity: .none, stopBits: 1)
        #expect(slow.bitsPerCharacter == 10)
        #expect(abs(slow.t35.inMilliseconds - 3.5 * 10 / 9.6) < 0.001)
    }
}
