import DeviceSimulator
import ShelterCore
import Testing

@Suite("ControlCommand and ValueScriptFile")
struct ControlCommandTests {
    @Test(
        "parses every command form",
        arguments: [
            (
                "set genset fuel_level 42.5",
                ControlCommand.set(device: "genset", point: "fuel_level", value: .double(42.5))
            ),
            ("set io mains_relay false", .set(device: "io", point: "mains_relay", value: .bool(false))),
            ("set c count_in 4294967295", .set(device: "c", point: "count_in", value: .uint(4_294_967_295))),
            ("get io door", .get(device: "io", point: "door")),
            ("fault genset timeout on", .fault(device: "genset", change: .noAnswer(true))),
            ("fault genset busy 3", .fault(device: "genset", change: .busyReplies(3))),
            ("fault genset busy off", .fault(device: "genset", change: .busy(false))),
            (
                "fault genset exception holding 10-11 2",
                .fault(
                    device: "genset", change: .exception(.init(function: .holdingRegister, addresses: 10...11, code: 2))
                )
            ),
            ("fault genset exception off", .fault(device: "genset", change: .exceptionsOff)),
            ("fault genset late 800", .fault(device: "genset", change: .late(.milliseconds(800)))),
            ("fault genset slow off", .fault(device: "genset", change: .slow(nil))),
            ("fault genset junk on", .fault(device: "genset", change: .junk(true))),
            ("fault genset drop", .fault(device: "genset", change: .drop)),
            ("fault genset clear", .fault(device: "genset", change: .clear)),
            ("down ups1", .down(device: "ups1")),
            ("up ups1", .up(device: "ups1")),
            ("restart rs485-1", .restart(bus: "rs485-1")),
            ("  status ", .status),
        ])
    func parses(line: String, expected: ControlCommand) throws {
        #expect(try ControlCommand(parsing: line) == expected)
    }

    @Test(
        "rejects malformed lines with a message",
        arguments: [
            "", "set genset", "fault genset busy maybe", "fault genset exception holding 11-10 2",
            "fault genset exception nowhere 1 2", "fault genset late -5", "set a b notanumber", "launch missiles",
        ])
    func rejects(line: String) {
        #expect(throws: SimulatorError.self) { try ControlCommand(parsing: line) }
    }

    @Test("a fault change applies to the plan")
    func applies() {
        var plan = FaultPlan()
        ControlCommand.FaultChange.late(.milliseconds(300)).apply(to: &plan)
        ControlCommand.FaultChange.junk(true).apply(to: &plan)
        #expect(plan.lateReply == .milliseconds(300) && plan.junkBytes)
        ControlCommand.FaultChange.clear.apply(to: &plan)
        #expect(plan.isEmpty)
    }

    @Test("a value-script file gives scripts and faults per device")
    func scriptFile() throws {
        let file = try ValueScriptFile(
            toml: """
                seed = 9
                [devices.genset.points.fuel_level]
                script = "ramp"
                from = 80
                per_second = -0.5
                min = 0
                max = 100
                [devices.counter.points.count_in]
                script = "counter"
                start = 10
                per_second = 1
                modulus = 65536
                [devices.io.points.mains]
                script = "constant"
                value = true
                [devices.genset.faults]
                late_reply_milliseconds = 700
                exceptions = [{ table = "input", first = 3, code = 4 }]
                """)
        #expect(file.seed == 9)
        #expect(file.scripts["genset"]?["fuel_level"] == .ramp(from: 80, perSecond: -0.5, bounds: 0...100))
        #expect(file.scripts["counter"]?["count_in"] == .counter(start: 10, perSecond: 1, modulus: 65536))
        #expect(file.scripts["io"]?["mains"] == .constant(.bool(true)))
        #expect(file.faults["genset"]?.lateReply == .milliseconds(700))
        #expect(file.faults["genset"]?.exceptions == [.init(function: .inputRegister, addresses: 3...3, code: 4)])
    }

    @Test("a bad value-script file names the key")
    func badScriptFile() {
        do {
            _ = try ValueScriptFile(toml: "[devices.g.points.p]\nscript = \"sawtooth\"\n")
            Issue.record("accepted an unknown script")
        } catch {
            #expect(error.description.contains("devices.g.points.p.script"))
        }
        #expect(throws: SimulatorError.self) { try ValueScriptFile(toml: "[devices.g.points.p\n") }
        #expect(throws: SimulatorError.self) {
            try ValueScriptFile(toml: "[devices.g.points.p]\nscript = \"ramp\"\nfrom = 1\n")
        }
    }
}
