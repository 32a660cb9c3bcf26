import FoundationEssentials
import Testing

@testable import ShelterCore

@Suite("Agent status file")
struct AgentStatusTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    var sample: AgentStatus {
        AgentStatus(
            writtenAt: now.addingTimeInterval(-2), startedAt: now.addingTimeInterval(-3600), agentVersion: "0.1.0",
            pid: 4242, gatewayID: "gw-ref-01", shelterID: "SMX-0007",
            lifecycle: .init(state: "activated", isUnconfirmed: true),
            devices: [
                .init(
                    name: "genset", bus: "rs485", unitID: 1, link: "down", lastSuccessAt: now.addingTimeInterval(-125),
                    requests: 10, successes: 7, failures: ["timeout": 3], lastError: "timeout after 200 ms")
            ],
            readings: [
                .init(
                    device: "genset", point: "fuel_level", quantity: "power.generator.fuel_level", value: "41.5",
                    unit: "%",
                    observedAt: now.addingTimeInterval(-125)),
                .init(device: "tank1", point: "level", reason: "sentinel: raw 0x8000 is a declared no-data code"),
            ],
            checks: [.init(id: "C-01", status: "warning", summary: "92 % of 2000 persons (warning ≥ 90 %)")],
            activeAlerts: [
                .init(
                    alertID: "a1", checkID: "C-01", severity: "Moderate", since: now.addingTimeInterval(-60),
                    headline: "Shelter at 92 % of registered capacity")
            ],
            outbox: .init(depth: 3, oldestAgeSeconds: 75, deadLetters: 1),
            registry: .init(
                url: "https://registry.example:8443", isReachable: false, lastError: "connect refused",
                recordVersion: 4, recordSource: "cache", clockSkewSeconds: -2.5))
    }

    @Test("the text shows what a site manager looks at first")
    func text() {
        let text = sample.text(now: now)
        #expect(text.contains("lifecycle  activated (unconfirmed by the registry)"))
        #expect(text.contains("UNREACHABLE: connect refused"))
        #expect(
            text.contains(
                "record     the registry's, version 4, from the local cache (the registry has not sent it since the start) · "
                    + "clock skew -2.5 s"))
        #expect(text.contains("outbox     3 waiting, oldest 1 min 15 s, 1 dead letter (shelter-agent outbox list)"))
        #expect(
            text.contains(
                "genset           down      rs485/unit 1 · last ok 2 min 3 s ago · 7/10 ok · failed: timeout 3 · timeout after 200 ms"
            ))
        #expect(text.contains("C-01               warning  92 % of 2000 persons"))
        #expect(text.contains("tank1.level") && text.contains("no sample (sentinel: raw 0x8000"))
        #expect(!text.contains("NOT RUNNING"))
        #expect(
            sample.text(now: now.addingTimeInterval(600)).contains(
                "AGENT NOT RUNNING: the status file has not been written or touched for 10 min 2 s"))
    }

    @Test("content: equal when only times, counts and the round trip moved; a value or a link is a change")
    func content() {
        var sample = sample
        sample.checks.append(.init(id: "C-22 genset", status: "ok", summary: "oldest point is 0.7 poll intervals old"))
        var later = sample
        later.writtenAt = sample.writtenAt.addingTimeInterval(30)
        later.checks[later.checks.count - 1].summary = "oldest point is 0.8 poll intervals old"  // an age
        later.checks[0].summary = "mains lost 2 min ago"  // an age too
        later.devices[0].lastSuccessAt = sample.writtenAt.addingTimeInterval(29)
        later.devices[0].requests += 30
        later.devices[0].successes += 30
        later.devices[0].roundTripSeconds = 0.123
        later.readings[0].observedAt = sample.writtenAt.addingTimeInterval(29)
        later.outbox.oldestAgeSeconds = 105
        later.registry.lastSuccessAt = sample.writtenAt.addingTimeInterval(28)
        later.registry.clockSkewSeconds = -2.4
        #expect(later != sample)
        #expect(later.content == sample.content)
        var changed = later
        changed.readings[0].value = "42.0"
        #expect(changed.content != sample.content)
        changed = later
        changed.devices[0].link = "up"
        #expect(changed.content != sample.content)
        changed = later
        changed.outbox.depth += 1
        #expect(changed.content != sample.content)
        changed = later
        changed.checks[changed.checks.count - 1].status = "warning"
        #expect(changed.content != sample.content)
    }

    @Test("JSON round trip keeps every field")
    func json() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let back = try decoder.decode(AgentStatus.self, from: encoder.encode(sample))
        #expect(back == sample)
    }

    @Test(
        "fixed-decimal numbers without String(format:)",
        arguments: [
            (3.14159, 2, "3.14"), (-2.5, 1, "-2.5"), (0.004, 2, "0.00"), (-0.004, 2, "0.00"),
            (1840.0 / 2000 * 100, 0, "92"),
            (9.996, 2, "10.00"), (0.05, 3, "0.050"), (123456.0, 0, "123456"),
        ])
    func number(value: Double, decimals: Int, expected: String) {
        #expect(NumberText.format(value, decimals: decimals) == expected)
    }
}
