import Platform
import ShelterCore
import Testing

@testable import ScenarioKit
import ShelterTesting

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Runner parts: control lines, readiness lines, child processes")
struct RunnerPartsTests {
    @Test(
        "steps become the simulator's control commands",
        arguments: [
            (Action.setPoint(device: "io", point: "mains_relay", value: .bool(false)), ["set io mains_relay false"]),
            (.setPoint(device: "genset", point: "fuel_level", value: .number(60)), ["set genset fuel_level 60"]),
            (
                .rampPoint(device: "c", point: "count_in", from: 1000, to: 1750, over: .seconds(10)),
                ["set c count_in 1000"]
            ),
            (.startFault(device: "gen", fault: Fault(kind: .noAnswer)), ["fault gen timeout on"]),
            (.clearFault(device: "gen", kind: .noAnswer), ["fault gen timeout off"]),
            (.startFault(device: "gen", fault: Fault(kind: .busy)), ["fault gen busy on"]),
            (
                .startFault(
                    device: "gen",
                    fault: Fault(
                        kind: .exception, exceptionCode: 2, function: .holdingRegister,
                        addresses: 1027...1028)), ["fault gen exception holding 1027-1028 2"]
            ),
            (.clearFault(device: "gen", kind: .exception), ["fault gen exception off"]),
            (
                .startFault(device: "gen", fault: Fault(kind: .lateReply, delay: .milliseconds(700))),
                ["fault gen late 700"]
            ),
            (.clearFault(device: "gen", kind: .lateReply), ["fault gen late off"]),
            (.startFault(device: "gen", fault: Fault(kind: .slow, delay: .milliseconds(300))), ["fault gen slow 300"]),
            (.startFault(device: "gen", fault: Fault(kind: .junkBytes)), ["fault gen junk on"]),
            (.startFault(device: "gen", fault: Fault(kind: .dropConnection)), ["fault gen drop"]),
            (.clearFault(device: "gen", kind: .dropConnection), []),
            (.clearFault(device: "gen", kind: nil), ["fault gen clear"]),
            (.stopDevice(device: "mains-meter"), ["down mains-meter"]),
            (.startDevice(device: "mains-meter"), ["up mains-meter"]),
            (.uplinkUp, []),
            (.setLifecycle(LifecycleSetting(state: .activated)), []),
        ])
    func controlLines(action: Action, lines: [String]) {
        #expect(SimulatorControl.lines(for: action) == lines)
    }

    @Test("ramp values: whole numbers for counters, thousandths otherwise")
    func rampValues() {
        #expect(ScenarioSession.rampValue(1374.6, from: 1000, to: 1750) == "1375")
        #expect(ScenarioSession.rampValue(1.23456, from: 2.4, to: 0.5) == "1.235")
    }

    @Test("a server's port is read from its first readiness line")
    func registryPort() {
        #expect(ReadinessLines.port(in: "starting\n{\"port\":40123}\n") == 40123)
        #expect(ReadinessLines.port(in: "{\"listening\":\"https://localhost:41000\"}\n") == 41000)
        #expect(ReadinessLines.port(in: "2026 info listening on https://127.0.0.1:38211/v1 tls=on\n") == 38211)
        #expect(ReadinessLines.port(in: "level=info msg=ready port=39999\n") == 39999)
        #expect(ReadinessLines.port(in: "server started on 127.0.0.1:40001\n") == 40001)
        #expect(ReadinessLines.port(in: "loading database\n") == nil)
        #expect(ReadinessLines.port(in: "{\"level\":\"info\"}\n") == nil)
    }

    @Test("the simulator's announcement gives every bus and readiness")
    func simulatorLines() {
        let log = """
            {"bus":"rs485-1","kind":"rtu","path":"/dev/pts/18","baud":9600,"parity":"E","data_bits":8,"stop_bits":1,"devices":[]}
            {"bus":"io","kind":"tcp","host":"127.0.0.1","port":41211,"devices":[{"name":"io","unit_id":1}]}
            {"control":"/tmp/x/sim.sock"}
            """
        var announcement = ReadinessLines.simulator(in: log)
        #expect(
            announcement.buses == [
                "rs485-1": .serial(device: "/dev/pts/18"), "io": .tcp(host: "127.0.0.1", port: 41211),
            ])
        #expect(!announcement.isReady)
        announcement = ReadinessLines.simulator(in: log + "\n{\"ready\":true}\n")
        #expect(announcement.isReady)
    }

    @Test("a child runs in its own process group, logs to its file, and is stopped by PID")
    func childProcess() throws {
        let dir = try FileSystem.makeTemporaryDirectory(prefix: "/tmp/shelter-hil-test-")
        defer { FileSystem.removeTree(dir) }
        let log = "\(dir)/child.log"
        let child = try ChildProcess(
            name: "sleeper", executable: "/bin/sh", arguments: ["-c", "echo started $FOO; exec sleep 60"], logPath: log,
            environment: ["FOO": "bar"])
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while FileSystem.read(log)?.contains("started bar") != true && clock.now < deadline {
            pause(for: .milliseconds(10), unless: { false })
        }
        #expect(FileSystem.read(log) == "started bar\n")
        #expect(child.isRunning)
        #expect(getpgid(child.pid) == child.pid)
        #expect(child.terminate(grace: .seconds(10)) == "signal 15")
        #expect(!child.isRunning)
        #expect(child.exitCode == nil)
    }

    @Test("a child that exits reports its exit code; a missing executable is a setup error")
    func childExit() throws {
        let dir = try FileSystem.makeTemporaryDirectory(prefix: "/tmp/shelter-hil-test-")
        defer { FileSystem.removeTree(dir) }
        let child = try ChildProcess(
            name: "false", executable: "/bin/sh", arguments: ["-c", "exit 3"], logPath: "\(dir)/log")
        #expect(child.waitForExit(timeout: .seconds(30)))
        #expect(child.exitCode == 3)
        #expect(child.exitDescription == "exit 3")
        #expect(throws: ScenarioError.self) {
            try ChildProcess.start(
                name: "nothing", executable: "\(dir)/no-such-binary", arguments: [], logPath: "\(dir)/log2")
        }
        let error = #expect(throws: ChildProcessError.self) {
            try ChildProcess(
                name: "nothing", executable: "\(dir)/no-such-binary", arguments: [], logPath: "\(dir)/log2")
        }
        #expect(error?.errno == ENOENT)
    }
}
