import Foundation
import ShelterCore
import Testing

/// The simulator behaves like the line it simulates (issue 11 item 6), seen as a site manager sees it:
/// `shelter-sim serve --site` for the reference site, then `shelter-agent scan` on its RS-485 pty, then the
/// simulator's `status` over its control socket.
@Suite("shelter-sim serve: the simulated line, as scan and status show it", .serialized)
struct SimulatedLineTests {
    /// A running `shelter-sim serve --site Firmware-Config/sites/reference.toml`, stopped by its pid.
    final class Simulator {
        let process = Process()
        let directory: URL
        let control: String
        var lines: [String] = []

        init() async throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("sim-line-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            control = directory.appendingPathComponent("ctl").path
            let output = directory.appendingPathComponent("out")
            FileManager.default.createFile(atPath: output.path, contents: nil)
            let bin = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            process.executableURL = bin.appendingPathComponent("shelter-sim")
            process.arguments = [
                "serve", "--site", BuiltExecutable.repositoryRoot.path + "/Firmware-Config/sites/reference.toml",
                "--control", control,
            ]
            process.standardOutput = try FileHandle(forWritingTo: output)
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<300 {
                lines =
                    (try? String(contentsOf: output, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
                if lines.contains("{\"ready\":true}") || !process.isRunning { break }
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        /// The pty of the bus `rs485-1`.
        var pty: String? {
            guard let line = lines.first(where: { $0.contains("\"bus\":\"rs485-1\"") }),
                let start = line.range(of: "\"path\":\"")
            else { return nil }
            return String(line[start.upperBound...].prefix { $0 != "\"" })
        }

        /// One control command and its reply line.
        func send(_ command: String) throws -> String {
            let socat = Process()
            socat.executableURL = URL(fileURLWithPath: "/usr/bin/socat")
            socat.arguments = ["-", "UNIX-CONNECT:\(control)"]
            let input = Pipe()
            let output = Pipe()
            socat.standardInput = input
            socat.standardOutput = output
            try socat.run()
            input.fileHandleForWriting.write(Data((command + "\n").utf8))
            try input.fileHandleForWriting.close()
            let reply = output.fileHandleForReading.readDataToEndOfFile()
            socat.waitUntilExit()
            return String(decoding: reply, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        deinit {
            if process.isRunning {
                kill(process.processIdentifier, SIGTERM)
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(at: directory)
        }
    }

    static func scan(_ pty: String, _ extra: [String]) throws -> ExecutableResult {
        try BuiltExecutable.run(
            "shelter-agent", ["scan", "--rtu", pty, "--units", "10,20-21"] + extra, environment: ["LC_ALL": "C"])
    }

    @Test("scan --parity O --stop-bits 2 no longer finds every unit: only the bus's settings are answered")
    func scanAtWrongSettingsFindsNothing() async throws {
        let simulator = try await Simulator()
        let pty = try #require(simulator.pty, "\(simulator.lines)")
        for wrong in [
            ["--parity", "O", "--stop-bits", "2"], ["--parity", "N"], ["--stop-bits", "2"], ["--baud", "19200"],
        ] {
            let result = try Self.scan(pty, wrong)
            #expect(result.status == 69, "\(wrong): \(result.errors)")
            #expect(
                result.lines.suffix(2) == [
                    "0 of 3 unit ids answered", ScreenText.noAnswerHint(serial: true).text(in: .en),
                ],
                "\(wrong): \(result.output) \(result.errors)")
        }
        // The bus's settings (9600 8E1: scan's defaults, as the site file's) find the three.
        let right = try Self.scan(pty, [])
        #expect(right.status == 0, "\(right.errors)")
        #expect(right.lines.last == "3 of 3 unit ids answered: 10, 20, 21", "\(right.output) \(right.errors)")
        let status = try simulator.send("status")
        #expect(
            status.contains("{\"bus\":\"rs485-1\",\"kind\":\"rtu\",\"settings\":\"9600 8E1\",\"ignored_requests\":12,"))
        #expect(status.contains("\"last_ignored_settings\":\"19200 8E1\"}"), "\(status)")
    }

    @Test("the simulator's JSON status has no Swift debug strings: faults are listed in the control commands' words")
    func statusHasNoDebugStrings() async throws {
        let simulator = try await Simulator()
        #expect(try simulator.send("fault genset late 200") == "ok")
        #expect(try simulator.send("fault ups1 exception holding 10-11 2") == "ok")
        #expect(try simulator.send("fault ups2 busy 3") == "ok")
        let status = try simulator.send("status")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any], "status is not JSON: \(status)"
        )
        let devices = try #require(object["devices"] as? [[String: Any]])
        func faults(_ name: String) -> [String]? {
            devices.first { $0["name"] as? String == name }?["faults"] as? [String]
        }
        #expect(faults("genset") == ["late 200"])
        #expect(faults("ups1") == ["exception holding 10-11 2"])
        #expect(faults("ups2") == ["busy 3"])
        #expect(faults("tank1-level") == [])
        for debug in ["FaultPlan", "Optional(", "Duration", "ExceptionRange", "attoseconds"] {
            #expect(!status.contains(debug), "\(debug) in \(status)")
        }
    }
}
