import FoundationEssentials
import Testing

@testable import ShelterCore

/// Issue 11 item 4, "`status` tells the truth about time and life": after the agent had died, `status` showed it
/// running with "registry reachable"; ages mixed the reader's clock with the file's; an alert's "since" was its
/// onset; the check id was printed twice; a back-off read `next attempt in 15.474352836743979 seconds`.
/// The whole screen is compared, so any of these coming back fails.
@Suite("status text, golden")
struct AgentStatusTextGoldenTests {
    /// 2027-01-15 08:00:00 UTC.
    static let captured = Date(timeIntervalSince1970: 1_800_000_000)

    static var status: AgentStatus {
        let t = captured
        return AgentStatus(
            writtenAt: t, startedAt: t.addingTimeInterval(-600), agentVersion: "0.4.0", pid: 4242,
            gatewayID: "gw-smx-hb-0007", shelterID: "SMX-HB-0007", lifecycle: .init(state: "activated"),
            devices: [
                .init(
                    name: "genset", bus: "rs485-1", unitID: 10, link: "down", requests: 0, successes: 0,
                    lastError: "no connection to /dev/ttyUSB9"),
                .init(
                    name: "mains-meter", bus: "meter-gateway", unitID: 1, link: "up",
                    lastSuccessAt: t.addingTimeInterval(-1),
                    requests: 300, successes: 300, roundTripSeconds: 0.0042),
            ],
            readings: [
                .init(
                    device: "genset", point: "fuel_level",
                    reason: "link lost: no connection to /dev/ttyUSB9: no such file or directory (errno 2); "
                        + "next attempt in \(NumberText.duration(15.474352836743979))"),
                .init(
                    device: "mains-meter", point: "voltage_l1", value: "231.4", unit: "V",
                    observedAt: t.addingTimeInterval(-1)),
            ],
            checks: [
                .init(
                    id: "C-22 bus:rs485-1", status: "critical",
                    summary: "bus rs485-1 (/dev/ttyUSB9) cannot be opened: no such file or directory (errno 2); "
                        + "unreachable on it: genset")
            ],
            activeAlerts: [
                .init(
                    alertID: "gw.run1-1", checkID: "C-22", severity: "Severe", since: t.addingTimeInterval(-570),
                    onset: t.addingTimeInterval(-600),
                    headline: "C-22 critical: bus rs485-1 (/dev/ttyUSB9) cannot be opened")
            ],
            outbox: .init(depth: 0),
            registry: .init(
                url: "https://registry.example:8443", isReachable: true, lastSuccessAt: t.addingTimeInterval(-4),
                recordVersion: 3, recordSource: "registry"),
            writeIntervalSeconds: 30,
            buses: [
                .init(
                    name: "rs485-1", endpoint: "/dev/ttyUSB9", error: "no such file or directory (errno 2)",
                    since: t.addingTimeInterval(-600), devices: ["genset"])
            ])
    }

    static let body = """
        lifecycle  activated
        registry   https://registry.example:8443 %@reachable (last answer 4 s before)
        record     the registry's, version 3
        outbox     0 waiting
        bus        rs485-1 (/dev/ttyUSB9) CANNOT BE OPENED for 10 min 0 s: no such file or directory (errno 2); devices on it: genset

        devices
          genset           down      rs485-1/unit 10 · never answered · 0/0 ok · no connection to /dev/ttyUSB9
          mains-meter      up        meter-gateway/unit 1 · last ok 1 s ago · rtt 4.2 ms · 300/300 ok

        checks
          C-22 bus:rs485-1   critical bus rs485-1 (/dev/ttyUSB9) cannot be opened: no such file or directory (errno 2); unreachable on it: genset

        alerts
          C-22 critical: bus rs485-1 (/dev/ttyUSB9) cannot be opened · raised 2027-01-15 07:50:30 UTC, 9 min 30 s ago (condition since 2027-01-15 07:50:00 UTC)

        readings
          genset.fuel_level                  no sample (link lost: no connection to /dev/ttyUSB9: no such file or directory (errno 2); next attempt in 15 s)
          mains-meter.voltage_l1             231.4 V · 1 s ago
        """

    static func expected(_ head: [String], was: Bool = false) -> String {
        (["shelter SMX-HB-0007 · gateway gw-smx-hb-0007 · agent 0.4.0 (pid 4242)"] + head).joined(separator: "\n")
            + "\n" + body.replacing("%@", with: was ? "was " : "")
    }

    @Test("a running agent: when the figures were captured, every age from then, each check id once")
    func running() {
        let text = Self.status.text(now: Self.captured.addingTimeInterval(12), isProcessAlive: true)
        #expect(
            text
                == Self.expected([
                    "captured   2027-01-15 08:00:00 UTC, 12 s ago; ages below are counted from then (written when the "
                        + "figures change, at most every 30 s)"
                ]))
    }

    @Test("the agent died a few seconds ago: NOT RUNNING, and the registry only *was* reachable")
    func processGone() {
        let text = Self.status.text(now: Self.captured.addingTimeInterval(5), isProcessAlive: false)
        #expect(
            text
                == Self.expected(
                    [
                        "AGENT NOT RUNNING: process 4242 is gone; the figures below are its last, from 2027-01-15 08:00:00 UTC",
                        "captured   2027-01-15 08:00:00 UTC, 5 s ago; ages below are counted from then (written when the "
                            + "figures change, at most every 30 s)",
                    ], was: true))
    }

    @Test("a file neither written nor touched for twice its interval: NOT RUNNING even when the pid is taken")
    func fileTooOld() {
        let text = Self.status.text(now: Self.captured.addingTimeInterval(61), isProcessAlive: true)
        #expect(
            text
                == Self.expected(
                    [
                        "AGENT NOT RUNNING: the status file has not been written or touched for 1 min 1 s (a running "
                            + "agent writes or touches it every 30 s); the figures below are from 2027-01-15 08:00:00 UTC",
                        "captured   2027-01-15 08:00:00 UTC, 1 min 1 s ago; ages below are counted from then "
                            + "(written when the figures change, at most every 30 s)",
                    ], was: true))
        #expect(
            !Self.status.text(now: Self.captured.addingTimeInterval(60), isProcessAlive: true).contains("NOT RUNNING"))
    }

    @Test("figures unchanged for 10 min and the file touched 12 s ago: running; touched 61 s ago: NOT RUNNING")
    func unchangedButTouched() {
        let now = Self.captured.addingTimeInterval(600)
        let running = Self.status.text(now: now, isProcessAlive: true, touchedAt: now.addingTimeInterval(-12))
        #expect(
            running
                == Self.expected([
                    "captured   2027-01-15 08:00:00 UTC, 10 min 0 s ago; ages below are counted from then (written when "
                        + "the figures change, at most every 30 s)"
                ]))
        let stale = Self.status.text(now: now, isProcessAlive: true, touchedAt: now.addingTimeInterval(-61))
        #expect(
            stale.contains(
                "AGENT NOT RUNNING: the status file has not been written or touched for 1 min 1 s (a running agent "
                    + "writes or touches it every 30 s); the figures below are from 2027-01-15 08:00:00 UTC"))
    }
}
