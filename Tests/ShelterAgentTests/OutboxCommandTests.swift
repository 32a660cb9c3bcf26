import ArgumentParser
import Foundation
import Logging
import ShelterCore
import ShelterRuntime
import Testing

@testable import shelter_agent

/// `shelter-agent outbox list|show|retry` on a real outbox file (issue 11 item 2: dead letters can be listed,
/// shown and re-sent), and `check-config` comparing the client certificate's CN with `gateway.id`.
@Suite("shelter-agent outbox and the certificate check")
struct OutboxCommandTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// An outbox in `directory` with r1 queued and r2 and e1 dead letters.
    func makeOutbox(in directory: URL) async throws {
        let store = try await SQLiteOutboxStore.open(
            path: directory.appendingPathComponent("outbox.sqlite").path, logger: Logger(label: "test"))
        for id in ["r1", "r2"] {
            store.enqueueStatus(id: id, payload: Array(#"{"reportId":"\#(id)"}"#.utf8), createdAt: t0)
        }
        try await store.flush()
        try await store.enqueueAlert(id: "e1", payload: Array(#"{"eventId":"e1"}"#.utf8), createdAt: t0)
        for (id, kind) in [("r2", OutboxKind.status), ("e1", .alert)] {
            let batch = OutboxBatch(kind: kind, entries: [OutboxEntry(id: id, kind: kind, createdAt: t0, byteCount: 1)])
            try await store.apply(
                .deadLetter(batch, reason: DeadLetterReason(rejectedWith: 422, detail: "invalid_body: bad")), now: t0)
        }
        await store.close()
    }

    @Test func parsesTheSubcommands() throws {
        #expect(try ShelterAgentCommand.parseAsRoot(["outbox", "--state-dir", "/s"]) is OutboxListCommand)
        let show = try #require(try ShelterAgentCommand.parseAsRoot(["outbox", "show", "e1"]) as? OutboxShowCommand)
        #expect(show.id == "e1" && show.location.stateDirectory == "/var/lib/shelter-agent")
        let all = try #require(
            try ShelterAgentCommand.parseAsRoot(["outbox", "retry", "--all"]) as? OutboxRetryCommand)
        #expect(all.all && all.id == nil)
        for arguments in [["outbox", "retry"], ["outbox", "retry", "e1", "--all"]] {
            do {
                _ = try ShelterAgentCommand.parseAsRoot(arguments)
                Issue.record("\(arguments) parsed")
            } catch {
                #expect(
                    ShelterAgentCommand.message(for: error) == "give a dead letter's id or --all, not both or neither")
                #expect(ShelterAgentCommand.exitCode(for: error).rawValue == ExitStatus.usage.rawValue)
            }
        }
    }

    @Test("retry ID puts one dead letter back at the end of its queue; retry --all the rest")
    func retryMovesDeadLetters() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await makeOutbox(in: directory)
        let one = try #require(
            try ShelterAgentCommand.parseAsRoot(["outbox", "retry", "r2", "--state-dir", directory.path])
                as? OutboxRetryCommand)
        try await one.run()
        let store = try await SQLiteOutboxStore.open(
            path: directory.appendingPathComponent("outbox.sqlite").path, logger: Logger(label: "test"))
        #expect(try await store.deadLetters().map(\.id) == ["e1"])
        #expect(try await store.snapshot(headLimit: 5).status.head.map(\.id) == ["r1", "r2"])
        let all = try #require(
            try ShelterAgentCommand.parseAsRoot(["outbox", "retry", "--all", "--state-dir", directory.path])
                as? OutboxRetryCommand)
        try await all.run()
        #expect(try await store.deadLetters().isEmpty)
        #expect(try await store.snapshot(headLimit: 5).alerts.head.map(\.id) == ["e1"])
        let missing = try #require(
            try ShelterAgentCommand.parseAsRoot(["outbox", "show", "e1", "--state-dir", directory.path])
                as? OutboxShowCommand)
        await #expect(throws: CLIError.self) { try await missing.run() }
    }

    @Test("list shows the queue, the hold and each dead letter with the registry's words; no file is an error")
    func listText() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await makeOutbox(in: directory)
        let store = try await SQLiteOutboxStore.open(
            path: directory.appendingPathComponent("outbox.sqlite").path, logger: Logger(label: "test"))
        let fault = try #require(UplinkFault.classify(statusCode: 401, refusal: nil, request: "alerts upload"))
        let r1 = OutboxBatch(
            kind: .status, entries: [OutboxEntry(id: "r1", kind: .status, createdAt: t0, byteCount: 1)])
        try await store.apply(.hold(r1, fault: fault, notBefore: t0), now: t0)
        let text = OutboxText.list(
            statistics: try await store.statistics(), letters: try await store.deadLetters(), path: "/s/outbox.sqlite",
            now: t0)
        #expect(
            text.split(separator: "\n").map(String.init) == [
                "outbox /s/outbox.sqlite: 1 waiting (0 alerts, 1 status reports), 2 dead letters",
                "HELD since 2027-01-15T08:00:00Z, nothing is sent until this is fixed: \(fault.message)",
                "r2  status  HTTP 422  dead since 2027-01-15T08:00:00Z  rejected by the registry with HTTP 422: invalid_body: bad",
                "e1  alert  HTTP 422  dead since 2027-01-15T08:00:00Z  rejected by the registry with HTTP 422: invalid_body: bad",
                "show one: shelter-agent outbox show ID · re-send: shelter-agent outbox retry ID|--all",
            ])
        let nowhere = directory.appendingPathComponent("nowhere").path
        let list = try #require(
            try ShelterAgentCommand.parseAsRoot(["outbox", "list", "--state-dir", nowhere]) as? OutboxListCommand)
        await #expect(throws: CLIError.self) { try await list.run() }
        #expect(!FileManager.default.fileExists(atPath: nowhere + "/outbox.sqlite"))
    }

    @Test("check-config fails naming both when the client certificate's CN is another gateway's")
    func certificateNamesAnotherGateway() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let site = try RunCommandTests.makeSite(in: directory)
        let certificate = directory.appendingPathComponent("gw.pem").path
        let key = directory.appendingPathComponent("gw.key").path
        try? FileManager.default.removeItem(atPath: certificate)
        try? FileManager.default.removeItem(atPath: key)
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            "-subj", "/O=Bureau/CN=gw-reference-02", "-keyout", key, "-out", certificate,
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)

        let loader = SiteConfigurationLoader(checksFiles: true, checksCertificateName: true)
        guard case .failure(let error) = loader.load(siteFile: site.path) else {
            Issue.record("a certificate for gw-reference-02 must not pass for gateway gw-smx-hb-0007")
            return
        }
        let issue = try #require(error.issues.first { $0.keyPath == "gateway.client_certificate" })
        #expect(issue.value == "\"\(certificate)\"")
        #expect(issue.message.contains("names gateway gw-reference-02 (its CN) but gateway.id is gw-smx-hb-0007"))
        #expect(issue.fix.contains("gw-smx-hb-0007"))
        #expect(issue.file == site.path)
        let command = try #require(
            try ShelterAgentCommand.parseAsRoot(["check-config", site.path]) as? CheckConfigCommand)
        await #expect(throws: ExitCode(65)) { try await command.run() }
        let skipped = try #require(
            try ShelterAgentCommand.parseAsRoot(["check-config", site.path, "--skip-file-checks"])
                as? CheckConfigCommand)
        try await skipped.run()
    }
}
