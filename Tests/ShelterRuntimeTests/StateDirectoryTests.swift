import Foundation
import ShelterCore
import ShelterRuntime
import Testing
import ShelterTesting

/// What the agent keeps in its state directory across runs (found by the adversarial trial: two agents on one
/// outbox, and a restart during a registry outage falling back to standby).
@Suite("State directory")
struct StateDirectoryTests {
    @Test("a second agent on the same state directory is refused until the first lets go")
    func exclusiveLock() throws {
        let temporary = try TemporaryDirectory(prefix: "state")
        let directory = temporary.path
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
        let temporary = try TemporaryDirectory(prefix: "state")
        let directory = temporary.path
        let state = FileStateDirectory(path: directory)
        #expect(state.loadLifecycle() == nil)
        try Data(#"{"state":"activated","isDrill":true}"#.utf8).write(
            to: URL(fileURLWithPath: directory + "/lifecycle.json"))
        let saved = try #require(state.loadLifecycle())
        #expect(saved.state == .activated)
        #expect(saved.isDrill == true)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: directory + "/lifecycle.json"))
        #expect(state.loadLifecycle() == nil)
    }

    @Test("a state file is replaced whole: the new bytes, no temporary file left, the old ones until then")
    func atomicWrite() throws {
        let temporary = try TemporaryDirectory(prefix: "state")
        let state = FileStateDirectory(path: temporary.path)
        #expect(state.read(.status) == nil)
        try state.write(Array("first".utf8), to: .status)
        try state.write(Array("second, longer".utf8), to: .status)
        #expect(state.read(.status) == Array("second, longer".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path) == ["status.json"])
        let missing = FileStateDirectory(path: temporary.path + "/missing")
        #expect(throws: FileStateDirectory.WriteError.self) { try missing.write([1], to: .status) }
    }

    @Test("with a runtime directory the status is written there and the state directory links to it; other files stay")
    func runtimeDirectory() throws {
        let state = try TemporaryDirectory(prefix: "state")
        let runtime = try TemporaryDirectory(prefix: "run")
        // A status file from a run without a runtime directory is replaced by the link.
        try FileStateDirectory(path: state.path).write(Array("old".utf8), to: .status)
        let directory = FileStateDirectory(path: state.path, runtimePath: runtime.path)
        try directory.linkRuntimeFiles()
        try directory.linkRuntimeFiles()  // again, as after a reload: the link stays as it is
        try directory.write(Array("new".utf8), to: .status)
        try directory.write(Array("{}".utf8), to: .lifecycle)
        let fileManager = FileManager.default
        #expect(
            try fileManager.destinationOfSymbolicLink(atPath: state.path + "/status.json")
                == runtime.path + "/status.json")
        #expect(try fileManager.contentsOfDirectory(atPath: runtime.path) == ["status.json"])
        #expect(try fileManager.contentsOfDirectory(atPath: state.path).sorted() == ["lifecycle.json", "status.json"])
        // A reader of the state directory alone (`shelter-agent status --state-dir`) finds the new status.
        let reader = FileStateDirectory(path: state.path)
        #expect(reader.read(.status) == Array("new".utf8))
        #expect(reader.modifiedAt(.status) != nil)
        try directory.touch(.status)
        // A later run without one writes a plain file over the link, and the runtime copy is left alone.
        try reader.write(Array("plain".utf8), to: .status)
        #expect((try? fileManager.destinationOfSymbolicLink(atPath: state.path + "/status.json")) == nil)
        #expect(reader.read(.status) == Array("plain".utf8))
        #expect(directory.read(.status) == Array("new".utf8))
        // A runtime directory that is not there is refused before the link is made: the plain file stays.
        let missing = FileStateDirectory(path: state.path, runtimePath: runtime.path + "/missing")
        #expect(throws: FileStateDirectory.WriteError.self) { try missing.linkRuntimeFiles() }
        #expect(reader.read(.status) == Array("plain".utf8))
    }
}
