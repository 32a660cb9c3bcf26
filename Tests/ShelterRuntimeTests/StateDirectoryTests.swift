import Foundation
import ShelterCore
import ShelterRuntime
import Testing

/// What the agent keeps in its state directory across runs (found by the adversarial trial: two agents on one
/// outbox, and a restart during a registry outage falling back to standby).
@Suite("State directory")
struct StateDirectoryTests {
    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("a second agent on the same state directory is refused until the first lets go")
    func exclusiveLock() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var first: StateDirectoryLock? = try StateDirectoryLock(stateDirectory: directory)
        #expect(first != nil)
        #expect {
            try StateDirectoryLock(stateDirectory: directory)
        } throws: { error in
            "\(error)".contains("another shelter-agent is running with state directory \(directory)")
        }
        first = nil
        #expect(throws: Never.self) { _ = try StateDirectoryLock(stateDirectory: directory) }
    }

    @Test("the registry's last lifecycle word survives a restart; a missing or broken file means none")
    func savedLifecycle() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(RegistrationService.savedLifecycle(stateDirectory: directory) == nil)
        try Data(#"{"state":"activated","isDrill":true}"#.utf8).write(to: URL(fileURLWithPath: directory + "/lifecycle.json"))
        let saved = try #require(RegistrationService.savedLifecycle(stateDirectory: directory))
        #expect(saved.state == .activated)
        #expect(saved.isDrill == true)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: directory + "/lifecycle.json"))
        #expect(RegistrationService.savedLifecycle(stateDirectory: directory) == nil)
    }
}
