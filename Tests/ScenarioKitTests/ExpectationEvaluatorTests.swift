import FoundationEssentials
import ShelterCore
import Testing

@testable import ScenarioKit

@Suite("Expectation evaluation against registry listings")
struct ExpectationEvaluatorTests {
    static func alert(
        _ check: String, _ severity: String = "Moderate", status: String = "Actual", type: String = "Alert",
        id: String? = nil, alertId: String? = nil, sent: Double? = nil, seen: Double, position: Int = 0
    ) -> ObservedAlert {
        ObservedAlert(
            eventId: id ?? "e-\(check)-\(type)-\(position)", alertId: alertId ?? "a-\(check)", checkId: check,
            severity: severity, status: status, msgType: type, sentOffset: sent.map { .seconds(exactly: $0) },
            firstSeen: .seconds(exactly: seen), position: position)
    }

    static func report(_ sequence: Int64, occupied: Double, seen: Double, position: Int) -> ObservedReport {
        ObservedReport(
            reportId: "r\(sequence)", sequence: sequence,
            document: .object([
                "sequence": .number(Double(sequence)), "capacity": .object(["occupied": .number(occupied)]),
            ]),
            firstSeen: .seconds(exactly: seen), position: position)
    }

    let warningBy30 = Expectation.alertReceived(
        AlertMatcher(check: .occupancy, severity: .moderate, status: .actual, msgType: .alert), by: .seconds(30))

    @Test("an alert expectation passes once a matching event is seen before its deadline")
    func alertPasses() {
        let obs = RegistryObservations(alerts: [Self.alert("C-05", seen: 3), Self.alert("C-01", seen: 12, position: 1)])
        let outcome = ExpectationEvaluator.evaluate(warningBy30, observations: obs, now: .seconds(12), isFinal: false)
        #expect(outcome.isPassed)
        #expect(outcome.detail.contains("C-01"))
    }

    @Test("an alert expectation stays pending before its deadline and fails after it, listing what arrived")
    func alertFails() {
        let obs = RegistryObservations(alerts: [Self.alert("C-01", "Severe", seen: 5)])
        #expect(
            ExpectationEvaluator.evaluate(warningBy30, observations: obs, now: .seconds(29), isFinal: false)
                == .pending("not yet received"))
        let outcome = ExpectationEvaluator.evaluate(warningBy30, observations: obs, now: .seconds(31), isFinal: false)
        #expect(!outcome.isPassed && outcome.isDecided)
        #expect(outcome.detail.contains("C-01 Severe Actual Alert"))
    }

    @Test("a match seen after the deadline is reported as late, not as passed")
    func alertLate() {
        let obs = RegistryObservations(alerts: [Self.alert("C-01", seen: 33)])
        let outcome = ExpectationEvaluator.evaluate(warningBy30, observations: obs, now: .seconds(34), isFinal: false)
        #expect(outcome.detail.hasPrefix("arrived late"))
        #expect(!outcome.isPassed)
    }

    @Test("sent window: an event created outside it does not match")
    func sentWindow() {
        let during = Expectation.alertReceived(
            AlertMatcher(check: .fuelAutonomy, sentAfter: .seconds(30), sentBefore: .seconds(630)), by: .seconds(700))
        let before = RegistryObservations(alerts: [Self.alert("C-13", sent: 10, seen: 11)])
        #expect(
            !ExpectationEvaluator.evaluate(during, observations: before, now: .seconds(701), isFinal: true).isPassed)
        let inside = RegistryObservations(alerts: [Self.alert("C-13", sent: 45, seen: 640)])
        #expect(
            ExpectationEvaluator.evaluate(during, observations: inside, now: .seconds(640), isFinal: false).isPassed)
    }

    @Test(
        "sent after: CAP sent has whole seconds, so an event made at 50.03 s reads 49.999 s when t = 0 fell at .001",
        arguments: [(49.999, true), (49.5, true), (49.0, false), (48.999, false), (50.0, true), (51.0, true)])
    func sentAfterWholeSeconds(sent: Double, matches: Bool) {
        let cancel = Expectation.alertReceived(
            AlertMatcher(check: .generatorTransfer, sentAfter: .seconds(50)), by: .seconds(70))
        let seen = RegistryObservations(alerts: [Self.alert("C-12", sent: sent, seen: 52)])
        #expect(
            ExpectationEvaluator.evaluate(cancel, observations: seen, now: .seconds(70), isFinal: true).isPassed
                == matches)
    }

    @Test("an absence fails on the first forbidden event and passes only at the end")
    func absence() {
        let noActual = Expectation.alertAbsent(AlertMatcher(status: .actual))
        let drill = RegistryObservations(alerts: [Self.alert("C-01", status: "Exercise", seen: 4)])
        #expect(
            !ExpectationEvaluator.evaluate(noActual, observations: drill, now: .seconds(10), isFinal: false).isDecided)
        #expect(ExpectationEvaluator.evaluate(noActual, observations: drill, now: .seconds(60), isFinal: true).isPassed)
        let leaked = RegistryObservations(alerts: [
            Self.alert("C-01", status: "Exercise", seen: 4),
            Self.alert("C-12", status: "Actual", seen: 9, position: 1),
        ])
        let outcome = ExpectationEvaluator.evaluate(noActual, observations: leaked, now: .seconds(10), isFinal: false)
        #expect(outcome.isDecided && !outcome.isPassed)
        #expect(outcome.detail.contains("C-12"))
    }

    @Test("a report expectation judges the report that was latest inside its window")
    func reportWindow() throws {
        let expectation = Expectation.report(
            ReportExpectation(
                path: try #require(JSONPath("capacity.occupied")),
                comparison: Comparison(.greaterOrEqual, .number(1800)),
                after: .seconds(20), by: .seconds(40)))
        // #1 satisfies but was superseded at t=15, before the window opened.
        let early = RegistryObservations(reports: [
            Self.report(1, occupied: 1900, seen: 10, position: 0),
            Self.report(2, occupied: 1500, seen: 15, position: 1),
        ])
        #expect(
            !ExpectationEvaluator.evaluate(expectation, observations: early, now: .seconds(30), isFinal: false)
                .isDecided)
        let failed = ExpectationEvaluator.evaluate(expectation, observations: early, now: .seconds(41), isFinal: false)
        #expect(failed == .failed("latest report #2 has capacity.occupied = 1500, wanted >= 1800"))
        // #3, seen inside the window, satisfies it.
        var later = early
        later = RegistryObservations(reports: early.reports + [Self.report(3, occupied: 1810, seen: 25, position: 2)])
        #expect(
            ExpectationEvaluator.evaluate(expectation, observations: later, now: .seconds(26), isFinal: false).isPassed)
        // A report still latest when the window opens counts even if it arrived before it…
        let stillLatest = RegistryObservations(reports: [Self.report(1, occupied: 1850, seen: 10, position: 0)])
        #expect(
            ExpectationEvaluator.evaluate(expectation, observations: stillLatest, now: .seconds(20), isFinal: false)
                .isPassed)
        // …but not before the window opens: a later report may still supersede it.
        #expect(
            !ExpectationEvaluator.evaluate(expectation, observations: stillLatest, now: .seconds(15), isFinal: false)
                .isDecided)
    }

    @Test("no report at all is a failure that says so")
    func noReport() throws {
        let expectation = Expectation.report(
            ReportExpectation(
                path: try #require(JSONPath("capacity.occupied")), comparison: Comparison(.exists), by: .seconds(5)))
        let outcome = ExpectationEvaluator.evaluate(
            expectation, observations: .init(), now: .seconds(6), isFinal: false)
        #expect(outcome == .failed("no status report received by t=5s (0 received in all)"))
    }

    @Test("delivery after an outage: once each, in order, without gaps")
    func deliveryPasses() {
        let delivery = Expectation.delivery(DeliveryExpectation(by: .seconds(700), minimumAlerts: 3))
        let obs = RegistryObservations(
            alerts: [
                Self.alert("C-01", id: "e1", alertId: "a1", sent: 100, seen: 640, position: 0),
                Self.alert("C-13", id: "e2", alertId: "a2", sent: 200, seen: 640, position: 1),
                Self.alert(
                    "C-01", "Severe", type: "Update", id: "e3", alertId: "a1", sent: 300, seen: 641, position: 2),
            ],
            reports: (1...5).map { Self.report(Int64($0), occupied: 10, seen: 640, position: $0 - 1) })
        #expect(
            !ExpectationEvaluator.evaluate(delivery, observations: obs, now: .seconds(650), isFinal: false).isDecided)
        #expect(ExpectationEvaluator.evaluate(delivery, observations: obs, now: .seconds(700), isFinal: false).isPassed)
    }

    @Test("delivery finds duplicates, reordering and gaps, each named")
    func deliveryFails() {
        let delivery = Expectation.delivery(DeliveryExpectation(by: .seconds(100), minimumAlerts: 5))
        let obs = RegistryObservations(
            alerts: [
                Self.alert("C-01", id: "e1", alertId: "a1", sent: 50, seen: 90, position: 0),
                Self.alert("C-01", id: "e1", alertId: "a1", sent: 50, seen: 90, position: 1),
                Self.alert("C-01", type: "Cancel", id: "e4", alertId: "a1", sent: 40, seen: 90, position: 2),
                Self.alert("C-01", id: "e5", alertId: "a1", sent: 60, seen: 90, position: 3),
            ],
            reports: [1, 2, 4, 3, 3].enumerated().map { Self.report($1, occupied: 0, seen: 90, position: $0) })
        let outcome = ExpectationEvaluator.evaluate(delivery, observations: obs, now: .seconds(100), isFinal: false)
        let detail = outcome.detail
        #expect(!outcome.isPassed)
        #expect(detail.contains("4 alert events arrived, wanted at least 5"))
        #expect(detail.contains("event e1 arrived 2 times"))
        #expect(detail.contains("alert a1 has 2 distinct Alert events"))
        #expect(detail.contains("created later"))
        #expect(detail.contains("alert a1 arrived as Alert → Alert → Cancel → Alert"))
        #expect(detail.contains("report #3 arrived after #4"))
        #expect(detail.contains("1 report sequences arrived twice"))
        let gaps = ExpectationEvaluator.gaps(
            in: [1, 2, 5].enumerated().map { Self.report($1, occupied: 0, seen: 1, position: $0) })
        #expect(gaps == ["2 report sequences missing between #1 and #5: 3, 4"])
    }

    @Test("a reloaded agent starts a new sequence run: with sequence_restarts its jump is not a gap, a loss still is")
    func sequenceRestarts() {
        // Runs of a reloaded agent: its sequences start from each run's start time (milliseconds × 1000).
        let runs: [Int64] = [1_000_001, 1_000_002, 4_500_001, 4_500_002, 4_500_004, 9_000_001]
        let reports = runs.enumerated().map { Self.report($1, occupied: 0, seen: 1, position: $0) }
        #expect(
            ExpectationEvaluator.gaps(in: reports, restarts: 2) == [
                "1 report sequences missing between #1000001 and #9000001: 4500003"
            ])
        #expect(
            ExpectationEvaluator.gaps(in: reports, restarts: 0).first?.hasPrefix("7999995 report sequences") == true)
    }

    @Test("folding registry listings keeps first-seen times and reads wrapped events")
    func observationsUpdate() throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        func listing(_ text: String) throws -> JSONValue {
            try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        }
        let event = """
            {"eventId":"e1","alertId":"a1","status":"Actual","msgType":"Alert","severity":"Moderate",
             "sent":"2027-01-15T08:00:05Z","parameters":{"checkId":"C-01","subject":""}}
            """
        var obs = RegistryObservations()
        obs.update(
            alertListing: try listing("[\(event)]"),
            reportListing: try listing("{\"reports\":[{\"reportId\":\"r1\",\"sequence\":1}]}"),
            now: .seconds(3), timelineStart: start)
        try #require(obs.alerts.count == 1)
        #expect(obs.alerts[0].checkId == "C-01")
        #expect(obs.alerts[0].sentOffset == .seconds(5))
        #expect(obs.reports.map(\.sequence) == [1])
        let second = """
            {"alerts":[{"receivedAt":"x","event":\(event)},
                       {"event":{"eventId":"e2","alertId":"a1","status":"Actual","msgType":"Cancel","severity":"Moderate",
                                 "sent":"2027-01-15T08:00:09.250Z","parameters":{"checkId":"C-01"}}}]}
            """
        obs.update(alertListing: try listing(second), reportListing: nil, now: .seconds(9), timelineStart: start)
        #expect(obs.alerts.map(\.eventId) == ["e1", "e2"])
        #expect(obs.alerts.map(\.firstSeen) == [.seconds(3), .seconds(9)])
        #expect(obs.alerts[1].sentOffset == .milliseconds(9250))
        #expect(obs.reports.count == 1)  // a nil listing keeps what was there
        #expect(obs.latestReport?.reportId == "r1")
    }
}
