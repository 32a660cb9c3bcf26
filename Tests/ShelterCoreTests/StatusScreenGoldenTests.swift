import FoundationEssentials
import Testing

@testable import ShelterCore

/// `shelter-agent status` in zh-CN and en, compared exactly with `Fixtures/status-<language>.txt` (issue 16:
/// golden outputs read for sense). `SHELTER_UPDATE_GOLDEN=1 swift test --filter StatusScreenGoldenTests`
/// rewrites the files after a deliberate change; read the diff as a site manager would before committing it.
@Suite("Status screen in both languages")
struct StatusScreenGoldenTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A site during an activation: one device down, a check warning, an alert firing, a point without a sample,
    /// the registry unreachable, three items waiting. The per-language fields come from the catalog, as the
    /// runtime writes them (`AgentStatus+Machine`).
    static var status: AgentStatus {
        let occupancy = CheckFinding.occupancy(present: 1_880, capacity: 2_000, ratio: 0.94)
        let fuel = CheckFinding.fuel(generator: "gen1", usableLitres: 180, burnRate: 40, hours: 4.5)
        let headline = AlertTextEntry.headline(
            check: .occupancy, level: .warning, title: .plain(.occupancy), value: .percent(0.94),
            threshold: .percent(0.9))
        let sentinel = NoSampleReason(.sentinel, detail: "raw 0x8000 is a declared no-data code")
        return AgentStatus(
            writtenAt: now.addingTimeInterval(-2), startedAt: now.addingTimeInterval(-3600), agentVersion: "0.1.0",
            pid: 4242, gatewayID: "gw-ref-01", shelterID: "SMX-0007",
            lifecycle: .init(state: "activated", isUnconfirmed: true),
            devices: [
                .init(
                    name: "genset", bus: "rs485", unitID: 1, link: "down", lastSuccessAt: now.addingTimeInterval(-125),
                    requests: 10, successes: 7, failures: ["timeout": 3], lastError: "timeout after 200 ms"),
                .init(
                    name: "people-counter", bus: "lan", unitID: 3, link: "up",
                    lastSuccessAt: now.addingTimeInterval(-1),
                    requests: 120, successes: 120, roundTripSeconds: 0.0042),
            ],
            readings: [
                .init(
                    device: "genset", point: "fuel_level", quantity: "power.generator.fuel_level", value: "41.5",
                    unit: "%",
                    observedAt: now.addingTimeInterval(-125)),
                .init(
                    device: "tank1", point: "level", reason: sentinel.description,
                    reasons: AgentStatus.texts(StatusText.noSampleReason(sentinel))),
            ],
            checks: [
                .init(
                    id: "C-01", status: "warning", summary: occupancy.text(in: .en),
                    summaries: AgentStatus.texts(occupancy)),
                .init(id: "C-13 gen1", status: "ok", summary: fuel.text(in: .en), summaries: AgentStatus.texts(fuel)),
            ],
            activeAlerts: [
                .init(
                    alertID: "a1", checkID: "C-01", severity: "Moderate", since: now.addingTimeInterval(-60),
                    headline: headline.text(in: .en), headlines: AgentStatus.texts(headline))
            ],
            outbox: .init(depth: 3, oldestAgeSeconds: 75, deadLetters: 1),
            registry: .init(
                url: "https://registry.example:8443", isReachable: false, lastError: "connect refused",
                recordVersion: 4,
                recordSource: "cache", clockSkewSeconds: -2.5))
    }

    @Test("the status screen matches Fixtures/status-<language>.txt", arguments: Language.allCases)
    func golden(language: Language) throws {
        let rendered = Self.status.text(now: Self.now, language: language) + "\n"
        let directory = String(#filePath).split(separator: "/").dropLast().joined(separator: "/")
        let url = URL(filePath: "/" + directory + "/Fixtures/status-\(language.rawValue).txt")
        if ProcessInfo.processInfo.environment["SHELTER_UPDATE_GOLDEN"] == "1" {
            try Data(rendered.utf8).write(to: url)
        }
        let expected = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        #expect(rendered == expected)
    }

    @Test("the Chinese screen has no English sentence: only ids, names, units and what devices wrote")
    func chineseHasNoEnglishWords() {
        let text = Self.status.text(now: Self.now, language: .zhCN)
        for word in [
            "lifecycle", "registry ", "waiting", "devices", "checks", "alerts", "readings", "ago", "warning",
            "occupancy", "no sample", "since", "unit 1",
        ] {
            #expect(!text.contains(word), "\(word) in:\n\(text)")
        }
    }

    @Test("columns line up in terminal columns with Chinese words")
    func columnsLineUp() throws {
        let lines = Self.status.text(now: Self.now, language: .zhCN)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let rows = ["场所状态", "登记系统", "备案信息", "待发队列"].compactMap { label in lines.first { $0.hasPrefix(label) } }
        #expect(rows.count == 4)
        // Every labelled row's value starts at column 11, as in English.
        for row in rows {
            let label = String(row.prefix { $0 != " " })
            let rest = row.dropFirst(label.count)
            let spaces = rest.prefix { $0 == " " }.count
            #expect(DisplayWidth.columns(of: label) + spaces == 11, "\(row)")
        }
        let heading = try #require(lines.firstIndex(of: "检查项"))
        let checks = Array(lines[(heading + 1)...].prefix { !$0.isEmpty })
        #expect(checks.count == 2)
        let statusColumn = checks.map { DisplayWidth.columns(of: String($0.prefix(21))) }
        #expect(Set(statusColumn) == [21])
        // The summary column starts at the same terminal column whatever the status word.
        let summaryColumns = checks.map { line -> Int in
            let afterStatus = line.dropFirst(21)
            let word = afterStatus.prefix { $0 != " " }
            let pad = afterStatus.dropFirst(word.count).prefix { $0 == " " }.count
            return 21 + DisplayWidth.columns(of: word) + pad
        }
        #expect(Set(summaryColumns).count == 1, "\(checks)")
    }

    @Test("a status file without per-language texts (before issue 16) still shows its English words")
    func oldFileFallsBack() {
        var status = Self.status
        status.checks = [.init(id: "C-01", status: "warning", summary: "92 % of 2000 persons")]
        let text = status.text(now: Self.now, language: .zhCN)
        #expect(text.contains("C-01               警告     92 % of 2000 persons"))
    }
}
