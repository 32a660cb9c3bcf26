import DeviceSimulator
import ShelterCore
import ShelterRuntime
import Testing

@testable import ScenarioKit
import ShelterTesting

/// The runner's control client against the simulator's real control channel (a Unix socket), serving the
/// reference site with the shipped healthy baseline.
@Suite("Simulator control client", .tags(.integration))
struct SimulatorControlTests {
    @Test("sets values, switches faults and devices, and reports the simulator's errors")
    func controlChannel() throws {
        let root = SitePatchTests.repositoryRoot
        let configuration = try SiteConfigurationLoader(checksFiles: false)
            .load(siteFile: "\(root)/Firmware-Config/sites/reference.toml").get()
        let baseline = try #require(
            FileSystem.read("\(root)/Firmware-Config/scenarios/baseline/reference-healthy.toml"))
        let simulator = try SiteSimulator(configuration: configuration, script: try ValueScriptFile(toml: baseline))
        defer { simulator.stop() }
        let dir = try FileSystem.makeTemporaryDirectory(prefix: "/tmp/shelter-hil-test-")
        defer { FileSystem.removeTree(dir) }
        let channel = try ControlChannel(path: "\(dir)/sim.sock", simulator: simulator)
        defer { channel.stop() }

        let control = SimulatorControl(path: "\(dir)/sim.sock")
        #expect(try control.send("get genset fuel_level") == "ok 95.0")  // the baseline value
        for line in SimulatorControl.lines(for: .setPoint(device: "genset", point: "fuel_level", value: .number(20))) {
            try control.send(line)
        }
        let fuel = try control.send("get genset fuel_level")
        #expect(fuel == "ok 20")
        for line in SimulatorControl.lines(for: .setPoint(device: "io", point: "mains_relay", value: .bool(false))) {
            try control.send(line)
        }
        #expect(try control.send("get io mains_relay") == "ok false")
        let fault = Fault(kind: .exception, exceptionCode: 4, function: .holdingRegister, addresses: 1027...1027)
        for action in [
            Action.startFault(device: "genset", fault: fault),
            .startFault(device: "genset", fault: Fault(kind: .noAnswer)),
            .clearFault(device: "genset", kind: nil), .stopDevice(device: "mains-meter"),
            .startDevice(device: "mains-meter"),
        ] {
            for line in SimulatorControl.lines(for: action) { try control.send(line) }
        }
        #expect(simulator.device(named: "genset")?.faults.isEmpty == true)
        #expect(simulator.device(named: "mains-meter")?.isDown == false)
        try control.send("down mains-meter")
        #expect(simulator.device(named: "mains-meter")?.isDown == true)
        #expect(throws: ScenarioError.self) { try control.send("set genset no_such_point 1") }
        let again = try control.send("get genset fuel_level")
        #expect(again == fuel)  // still usable after an error reply
    }
}
