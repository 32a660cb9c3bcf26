import Foundation
import ShelterCore
import ShelterRuntime
import Testing

/// `shelter-sim serve` as a process: endpoint lines on stdout, control commands over its Unix socket.
@Suite("shelter-sim serve (process)", .serialized)
struct ShelterSimProcessTests {
    /// The built shelter-sim next to the test bundle.
    var executable: URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent("shelter-sim").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("shelter-sim")
    }

    /// Sends one line to the control socket and returns the reply line.
    func control(_ path: String, _ line: String) throws -> String {
        let socat = Process()
        socat.executableURL = URL(fileURLWithPath: "/usr/bin/socat")
        socat.arguments = ["-", "UNIX-CONNECT:\(path)"]
        let input = Pipe()
        let output = Pipe()
        socat.standardInput = input
        socat.standardOutput = output
        try socat.run()
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
        try input.fileHandleForWriting.close()
        socat.waitUntilExit()
        return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("serves a profile on a free port; a fault switched over the control socket reaches the bus worker")
    func profileWithControl() async throws {
        guard FileManager.default.fileExists(atPath: executable.path) else {
            Issue.record("shelter-sim not built next to the tests: \(executable.path)")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sim-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let socket = dir.appendingPathComponent("ctl").path
        let values = dir.appendingPathComponent("values.toml")
        try Data("[devices.ups.points.state_of_charge]\nscript = \"constant\"\nvalue = 87\n".utf8).write(to: values)
        let process = Process()
        process.executableURL = executable
        process.arguments = [
            "serve", "--profile", repositoryRoot + "/Firmware-Config/profiles/apc-smart-ups-srt.toml", "--unit", "3",
            "--tcp", "127.0.0.1:0", "--name", "ups", "--values", values.path, "--control", socket,
        ]
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        // Read lines until {"ready":true}.
        var lines: [String] = []
        var buffer = Data()
        let handle = stdout.fileHandleForReading
        while !lines.contains(where: { $0.contains("\"ready\"") }) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer += chunk
            lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        let busLine = try #require(lines.first { $0.contains("\"kind\":\"tcp\"") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(busLine.utf8)) as? [String: Any])
        let port = try #require(object["port"] as? Int)
        #expect(port > 0)
        #expect(lines.contains { $0.contains("\"control\"") })

        let configuration = try SiteConfigurationLoader(checksFiles: false)
            .load(profileFile: repositoryRoot + "/Firmware-Config/profiles/apc-smart-ups-srt.toml").get()
        let device = Device(
            name: "ups", busName: "lan", unitID: UnitID(rawValue: 3), profile: configuration,
            pollInterval: .milliseconds(100), responseTimeout: .milliseconds(150))
        let schedule = TestBus(
            bus: Bus(name: "lan", transport: .tcp(host: "127.0.0.1", port: port), interFrameGap: .zero),
            devices: [device])
        let sink = CollectingSink()
        let worker = BusWorker(
            schedule: schedule, sink: sink, configuration: TestProfiles.fastRecovery, logger: TestProfiles.logger)
        worker.start()
        let soc = await sink.waitForResult(of: "ups") { $0.value("state_of_charge") != nil }
        #expect(soc?.value("state_of_charge")?.numericValue == 87)
        #expect(try control(socket, "fault ups timeout on") == "ok")
        await sink.waitForResult(of: "ups", after: sink.mark) { $0.reason("state_of_charge")?.kind == .timeout }
        #expect(try control(socket, "fault ups timeout off") == "ok")
        #expect(try control(socket, "set ups state_of_charge 42") == "ok")
        await sink.waitForResult(of: "ups", after: sink.mark) { $0.value("state_of_charge")?.numericValue == 42 }
        #expect(try control(socket, "get ups state_of_charge").hasPrefix("ok 42"))
        #expect(try control(socket, "fault nobody drop").hasPrefix("error:"))
        await worker.stop()
    }
}
