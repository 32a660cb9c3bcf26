import Foundation
import ShelterCore
import ShelterRuntime
import Testing

/// Issue 11 item 3: a wrong serial path (`/dev/ttyUSB9`) passed `check-config`. `check-config` now checks that
/// each serial bus's device exists and this user can open it; `run` still starts without it (a USB adapter may
/// enumerate late), so the check is `check-config`'s only.
@Suite("check-config: each serial port exists and can be opened")
struct SerialPathCheckTests {
    @Test("a wrong serial path fails check-config naming the key, the path and the errno; run's loader accepts it")
    func wrongSerialPath() throws {
        let directory = try OutboxCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let site = try RunCommandTests.makeSite(in: directory)
        let missing = directory.appendingPathComponent("no-such-tty").path
        let checking = SiteConfigurationLoader(checksFiles: true, checksSerialDevices: true)
        guard case .failure(let error) = checking.load(siteFile: site.path) else {
            Issue.record("a serial port that does not exist must not pass check-config")
            return
        }
        let issue = try #require(error.issues.first { $0.keyPath == "buses[0].device" })
        #expect(issue.value == "\"\(missing)\"")
        #expect(issue.message == "serial port \(missing) of bus rs485-1: no such file or directory (errno 2)")
        #expect(issue.fix.contains("/dev/serial/by-id/"))
        // `run` (and --skip-file-checks) do not check it.
        #expect((try? SiteConfigurationLoader(checksFiles: true).load(siteFile: site.path).get()) != nil)
        let skipped = SiteConfigurationLoader(checksFiles: false, checksSerialDevices: true).load(siteFile: site.path)
        #expect((try? skipped.get()) != nil)
    }

    @Test("a character device this user can open passes; a regular file is not a serial port")
    func existingDevice() throws {
        let directory = try OutboxCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let site = try RunCommandTests.makeSite(in: directory)
        let text = try String(contentsOf: site, encoding: .utf8)
        let missing = directory.appendingPathComponent("no-such-tty").path
        try text.replacingOccurrences(of: missing, with: "/dev/null").write(to: site, atomically: true, encoding: .utf8)
        let checking = SiteConfigurationLoader(checksFiles: true, checksSerialDevices: true)
        #expect((try? checking.load(siteFile: site.path).get()) != nil)
        let plain = directory.appendingPathComponent("ca.pem").path
        try text.replacingOccurrences(of: missing, with: plain).write(to: site, atomically: true, encoding: .utf8)
        guard case .failure(let error) = checking.load(siteFile: site.path) else {
            Issue.record("a regular file is not a serial port")
            return
        }
        #expect(error.issues.map(\.keyPath) == ["buses[0].device"])
        #expect(error.issues.first?.message == "\(plain) is not a serial port (not a character device)")
    }

    @Test("a state directory that is missing or a file fails check-config (run refused to start with exit 75)")
    func stateDirectory() throws {
        let directory = try OutboxCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let site = try RunCommandTests.makeSite(in: directory)
        let text = try String(contentsOf: site, encoding: .utf8)
        let tty = directory.appendingPathComponent("no-such-tty").path
        let state = directory.appendingPathComponent("state").path
        let checking = SiteConfigurationLoader(checksFiles: true, checksSerialDevices: true)
        let missing = directory.appendingPathComponent("nope/state").path
        let file = directory.appendingPathComponent("ca.pem").path
        for (path, message) in [
            (missing, "state directory \(missing): no such file or directory (errno 2)"),
            (file, "\(file) is not a directory"),
        ] {
            try text.replacingOccurrences(of: tty, with: "/dev/null").replacingOccurrences(of: state, with: path)
                .write(to: site, atomically: true, encoding: .utf8)
            guard case .failure(let error) = checking.load(siteFile: site.path) else {
                Issue.record("\(path) must not pass check-config")
                continue
            }
            #expect(error.issues.map(\.keyPath) == ["gateway.state_directory"])
            #expect(error.issues.first?.message == message)
            // `run` checks it by starting (its lock file), as before.
            #expect((try? SiteConfigurationLoader(checksFiles: true).load(siteFile: site.path).get()) != nil)
        }
    }
}
