import Foundation
import Logging
import SQLite
import ShelterRuntime
import Synchronization
import Testing
import ShelterTesting

/// Kills a writer process with SIGKILL in the middle of writes and checks what is left on disk (issue 6).
@Suite("Outbox crash safety")
struct OutboxCrashTests {
    /// `outbox-crash-writer`, built next to the test bundle by `swift build --build-tests`.
    static var writerPath: String? {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for directory in [bundle, bundle.deletingLastPathComponent()] {
            let candidate = directory.appendingPathComponent("outbox-crash-writer").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    @Test(
        "SIGKILL mid-write leaves a database that opens, passes integrity_check and holds every acknowledged alert",
        arguments: [5, 60, 250])
    func killedWriter(acknowledgementsBeforeKill: Int) async throws {
        let writer = try #require(Self.writerPath, "build outbox-crash-writer first (swift build --build-tests)")
        let directory = try TemporaryDirectory()
        let path = directory.file("outbox.sqlite")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: writer)
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        let received = Mutex(Data())
        output.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            received.withLock { $0.append(chunk) }
        }
        try process.run()
        let enough = await eventually(timeout: .seconds(60)) {
            received.withLock { data in data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } } >= acknowledgementsBeforeKill
                || !process.isRunning
        }
        #expect(enough)
        #expect(process.isRunning, "the writer stopped by itself")
        kill(process.processIdentifier, SIGKILL)
        #expect(await eventually { !process.isRunning })
        output.fileHandleForReading.readabilityHandler = nil
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        let text = received.withLock { String(decoding: $0 + rest, as: UTF8.self) }
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGKILL)

        // Only complete lines count: a line cut by the kill was never fully acknowledged.
        let acknowledged = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .compactMap { line in line.hasPrefix("ack ") ? String(line.dropFirst(4)) : nil }
        #expect(acknowledged.count >= acknowledgementsBeforeKill)

        let connection = try SQLiteConnection(path: path)
        #expect(try connection.scalarText("PRAGMA integrity_check") == "ok")
        let lookup = try connection.prepare("SELECT count(*) FROM items WHERE id = ?1 AND kind = 'alert'")
        var missing: [String] = []
        for id in acknowledged {
            try lookup.bind(id, at: 1)
            #expect(try lookup.step())
            if lookup.int64(at: 0) != 1 { missing.append(id) }
            try lookup.reset()
        }
        #expect(missing.isEmpty, "acknowledged alerts missing after SIGKILL: \(missing.prefix(10))")

        // The store itself reopens the file and counts at least the acknowledged alerts.
        let store = try await SQLiteOutboxStore.open(path: path, logger: Logger(label: "test"))
        #expect(try await store.statistics().alertCount >= acknowledged.count)
    }
}
