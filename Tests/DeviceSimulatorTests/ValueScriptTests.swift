import DeviceSimulator
import ShelterCore
import Testing

@Suite("ValueScript")
struct ValueScriptTests {
    var random = SeededRandom(seed: 42)

    func values(_ script: ValueScript, at seconds: [Double]) -> [SampleValue] {
        var generator = ValueGenerator(script)
        var random = SeededRandom(seed: 42)
        return seconds.map { generator.value(at: .seconds($0), random: &random) }
    }

    @Test("constant, ramp within bounds, and a step at its time")
    func simpleScripts() {
        #expect(values(.constant(.bool(true)), at: [0, 100]) == [.bool(true), .bool(true)])
        #expect(
            values(.ramp(from: 10, perSecond: -2, bounds: 0...100), at: [0, 1, 4.5, 100])
                == [.double(10), .double(8), .double(1), .double(0)])
        #expect(
            values(.step(before: .double(1), after: .double(0), at: .seconds(30)), at: [0, 29.9, 30, 31])
                == [.double(1), .double(1), .double(0), .double(0)])
    }

    @Test("sine has its mean at 0, its peak at a quarter period")
    func sine() {
        let v = values(.sine(mean: 2, amplitude: 0.5, period: .seconds(600)), at: [0, 150, 450])
            .compactMap(\.numericValue)
        #expect(abs(v[0] - 2) < 1e-9)
        #expect(abs(v[1] - 2.5) < 1e-9)
        #expect(abs(v[2] - 1.5) < 1e-9)
    }

    @Test("a 32-bit counter wraps past 4294967295")
    func counterWraps() {
        let v = values(.counter(start: 4_294_967_290, perSecond: 2, modulus: 1 << 32), at: [0, 2, 3, 10])
        #expect(v == [.uint(4_294_967_290), .uint(4_294_967_294), .uint(0), .uint(14)])
    }

    @Test("a random walk stays within bounds, moves at most one step per interval, and repeats with its seed")
    func randomWalk() {
        let script = ValueScript.randomWalk(start: 50, step: 5, interval: .seconds(1), bounds: 40...60)
        let seconds = (0...300).map(Double.init)
        let v = values(script, at: seconds).compactMap(\.numericValue)
        #expect(v.allSatisfy { (40...60).contains($0) })
        #expect(zip(v, v.dropFirst()).allSatisfy { abs($1 - $0) <= 5 })
        #expect(Set(v).count > 10)
        #expect(values(script, at: seconds).compactMap(\.numericValue) == v)
    }
}

@Suite("FaultPlan")
struct FaultPlanTests {
    @Test("no fault: a plain reply")
    func noFault() {
        var plan = FaultPlan()
        #expect(plan.isEmpty)
        #expect(plan.action(for: .holdingRegister, addresses: 0..<10) == .reply(delay: .zero))
    }

    @Test("an exception applies only to requests overlapping its range and table")
    func exceptionRange() {
        var plan = FaultPlan()
        plan.exceptions = [.init(function: .holdingRegister, addresses: 10...11, code: 2)]
        #expect(plan.action(for: .holdingRegister, addresses: 0..<10) == .reply(delay: .zero))
        #expect(plan.action(for: .holdingRegister, addresses: 5..<11) == .exception(2, delay: .zero))
        #expect(plan.action(for: .inputRegister, addresses: 5..<11) == .reply(delay: .zero))
    }

    @Test("busy for a number of replies, then normal; a drop happens once")
    func busyThenNormal() {
        var plan = FaultPlan()
        plan.busyReplies = 2
        plan.lateReply = .milliseconds(300)
        #expect(plan.action(for: .holdingRegister, addresses: 0..<1) == .exception(6, delay: .milliseconds(300)))
        #expect(plan.action(for: .holdingRegister, addresses: 0..<1) == .exception(6, delay: .milliseconds(300)))
        #expect(
            plan.action(for: .holdingRegister, addresses: 0..<1)
                == .reply(delay: .milliseconds(300)))
        plan.dropConnection = true
        #expect(plan.action(for: .coil, addresses: 0..<1) == .drop)
        #expect(plan.action(for: .coil, addresses: 0..<1) != .drop)
    }

    @Test("no answer beats every other fault except a drop")
    func precedence() {
        var plan = FaultPlan()
        plan.noAnswer = true
        plan.busy = true
        plan.junkBytes = true
        #expect(plan.action(for: .holdingRegister, addresses: 0..<1) == .ignore)
        plan.noAnswer = false
        #expect(plan.action(for: .holdingRegister, addresses: 0..<1) == .exception(6, delay: .zero))
        plan.busy = false
        #expect(plan.action(for: .holdingRegister, addresses: 0..<1) == .junk(delay: .zero))
    }
}
