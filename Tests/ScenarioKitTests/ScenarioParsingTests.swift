import ShelterCore
import Testing

@testable import ScenarioKit

@Suite("Scenario file parsing and validation")
struct ScenarioParsingTests {
    static let valid = """
        name = "c01-capacity"
        description = "people arrive until the shelter is full"
        site = "../sites/reference.toml"
        duration_seconds = 60

        [agent]
        report_interval_seconds = 2
        heartbeat_interval_seconds = 1.5

        [registry]
        lifecycle = "activated"

        [[steps]]
        at_seconds = 20
        action = "ramp"
        device = "pc1"
        point = "count_in"
        to = 2000
        over_seconds = 10

        [[steps]]
        at_seconds = 0
        action = "set"
        device = "pc1"
        point = "count_in"
        value = 1700

        [[steps]]
        at_seconds = 20
        action = "fault"
        device = "gen1"
        fault = "exception"
        exception_code = 4
        function = "holding"
        addresses = [10, 12]

        [[steps]]
        at_seconds = 30
        action = "uplink_down"

        [[steps]]
        at_seconds = 40
        action = "uplink_up"

        [[steps]]
        at_seconds = 41
        action = "set"
        device = "io1"
        point = "mains_ok"
        value = false

        [[expect.alert]]
        check = "C-01"
        severity = "Moderate"
        status = "Actual"
        msg_type = "Alert"
        by_seconds = 30

        [[expect.no_alert]]
        status = "Exercise"

        [[expect.report]]
        path = "checks[checkId=C-01].status"
        op = "=="
        value = "critical"
        after_seconds = 30
        by_seconds = 55

        [expect.delivery]
        by_seconds = 58
        minimum_alerts = 2
        """

    @Test("a valid file becomes a scenario with steps in time order and resolved paths")
    func validFile() throws {
        let s = try Scenario.parse(Self.valid, baseDirectory: "/repo/Firmware-Config/scenarios", subject: "t.toml")
        #expect(s.name == "c01-capacity")
        #expect(s.sitePath == "/repo/Firmware-Config/scenarios/../sites/reference.toml")
        #expect(s.duration == .seconds(60))
        #expect(s.agent.reportInterval == .seconds(2))
        #expect(s.agent.heartbeatInterval == .milliseconds(1500))
        #expect(s.initialLifecycle == LifecycleSetting(state: .activated))
        #expect(s.steps.map(\.index) == [1, 0, 2, 3, 4, 5])
        #expect(s.steps[0].action == .setPoint(device: "pc1", point: "count_in", value: .number(1700)))
        // The ramp's missing `from` comes from the earlier set of the same point.
        #expect(
            s.steps[1].action == .rampPoint(device: "pc1", point: "count_in", from: 1700, to: 2000, over: .seconds(10)))
        #expect(
            s.steps[2].action
                == .startFault(
                    device: "gen1",
                    fault: Fault(
                        kind: .exception, exceptionCode: 4, function: .holdingRegister, addresses: 10...12)))
        #expect(s.steps[3].action == .uplinkDown(.stop))
        #expect(s.steps[5].action == .setPoint(device: "io1", point: "mains_ok", value: .bool(false)))
        try #require(s.expectations.count == 4)
        #expect(
            s.expectations[0]
                == .alertReceived(
                    AlertMatcher(check: .occupancy, severity: .moderate, status: .actual, msgType: .alert),
                    by: .seconds(30)))
        #expect(s.expectations[1] == .alertAbsent(AlertMatcher(status: .exercise)))
        guard case .report(let report) = s.expectations[2] else {
            Issue.record("expected a report expectation")
            return
        }
        #expect(report.path.description == "checks[checkId=C-01].status")
        #expect(report.comparison == Comparison(.equal, .string("critical")))
        #expect(report.after == .seconds(30))
        #expect(s.expectations[3] == .delivery(DeliveryExpectation(by: .seconds(58), minimumAlerts: 2)))
        #expect(s.devicesActedOn == ["gen1", "io1", "pc1"])
    }

    @Test("every mistake is reported with its key path, not only the first")
    func collectsIssues() {
        let text = """
            name = "bad name!"
            duration_seconds = 30

            [[steps]]
            at_seconds = 40
            action = "set"
            device = "pc1"
            value = "lots"

            [[steps]]
            at_seconds = 1
            action = "ramp"
            device = "pc1"
            point = "x"
            to = 5
            over_seconds = 3
            fault = "busy"

            [[steps]]
            at_seconds = 2
            action = "explode"

            [[steps]]
            at_seconds = 3
            action = "uplink_up"

            [[steps]]
            at_seconds = 4
            action = "fault"
            device = "gen1"
            fault = "late_reply"

            [[expect.alert]]
            check = "C-1"
            severity = "Awful"
            by_seconds = 31

            [[expect.no_alert]]

            [[expect.report]]
            path = "checks[.x"
            op = ">="
            value = "high"
            by_seconds = 10
            """
        #expect(throws: ScenarioError.self) { try Scenario.parse(text, baseDirectory: ".", subject: "bad.toml") }
        do {
            _ = try Scenario.parse(text, baseDirectory: ".", subject: "bad.toml")
        } catch {
            let paths = error.issues.map(\.path)
            #expect(error.code == .invalid)
            for expected in [
                "name", "site", "steps[0].at_seconds", "steps[0].point", "steps[0].value", "steps[1].fault",
                "steps[1].from", "steps[2].action", "steps[3]", "steps[4].delay_milliseconds", "expect.alert[0].check",
                "expect.alert[0].severity", "expect.alert[0].by_seconds", "expect.no_alert[0]", "expect.report[0].path",
                "expect.report[0].value",
            ] {
                #expect(paths.contains(expected), "no issue at \(expected); got \(paths)")
            }
        }
    }

    @Test("an unknown key is refused, naming it")
    func unknownKey() {
        let text = "name = \"x\"\nsite = \"s.toml\"\nduration_seconds = 5\ndurration = 3\n"
        do {
            _ = try Scenario.parse(text, baseDirectory: ".", subject: "x.toml")
            Issue.record("an unknown key was accepted")
        } catch {
            #expect(error.issues.first?.path.contains("durration") == true)
        }
    }

    @Test("TOML syntax errors give line and column")
    func syntaxError() {
        do {
            _ = try Scenario.parse("name = \"x\"\nsite = [\n", baseDirectory: ".", subject: "x.toml")
            Issue.record("broken TOML was accepted")
        } catch {
            #expect(error.issues.first?.message.contains("line") == true)
        }
    }

    @Test("gateway_certificate swaps the agent's certificate after t = 0; at t = 0 or with a bad id it is refused")
    func gatewayCertificateStep() throws {
        func text(_ steps: String) -> String {
            """
            name = "x"
            site = "s.toml"
            duration_seconds = 30
            \(steps)
            [[expect.no_alert]]
            check = "C-22"
            """
        }
        let good = try Scenario.parse(
            text(
                """
                [[steps]]
                at_seconds = 3
                action = "gateway_certificate"
                gateway = "gw-reference-01"
                [[steps]]
                at_seconds = 20
                action = "gateway_certificate"
                """), baseDirectory: ".", subject: "x.toml")
        #expect(
            good.steps.map(\.action) == [
                .gatewayCertificate(gateway: "gw-reference-01"), .gatewayCertificate(gateway: nil),
            ])
        do {
            _ = try Scenario.parse(
                text(
                    """
                    [[steps]]
                    at_seconds = 0
                    action = "gateway_certificate"
                    gateway = "gw reference"
                    """), baseDirectory: ".", subject: "x.toml")
            Issue.record("a swap at t = 0 with a bad gateway id was accepted")
        } catch {
            #expect(error.issues.map(\.path).sorted() == ["steps[0].at_seconds", "steps[0].gateway"])
        }
    }

    @Test("stateful steps must alternate: stop before start, down before up")
    func sequenceChecks() {
        let text = """
            name = "x"
            site = "s.toml"
            duration_seconds = 30
            [[steps]]
            at_seconds = 2
            action = "start_device"
            device = "pc1"
            [[steps]]
            at_seconds = 1
            action = "uplink_down"
            mode = "hang"
            [[steps]]
            at_seconds = 3
            action = "uplink_down"
            [[expect.no_alert]]
            check = "C-22"
            """
        do {
            _ = try Scenario.parse(text, baseDirectory: ".", subject: "x.toml")
            Issue.record("out-of-order steps were accepted")
        } catch {
            #expect(error.issues.map(\.path).sorted() == ["steps[0]", "steps[2]"])
        }
    }

    @Test("steps are checked against the site's devices")
    func unknownDevice() throws {
        let s = try Scenario.parse(Self.valid, baseDirectory: ".", subject: "t.toml")
        let issues = s.issues(againstDevices: ["pc1", "io1"])
        #expect(issues.map(\.path) == ["steps[2].device"])
        #expect(issues.first?.message.contains("gen1") == true)
    }
}
