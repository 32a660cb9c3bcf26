public import FoundationEssentials

/// The outcome of one scenario run: a verdict per expectation, the setup error if the run could not be
/// judged, and the timeline as played.
public struct ScenarioRunResult: Sendable {
    /// One expectation's verdict and when it was decided (from t = 0).
    public struct Verdict: Sendable, Hashable {
        public var expectation: Expectation
        public var outcome: ExpectationOutcome
        public var decidedAt: Duration

        public init(expectation: Expectation, outcome: ExpectationOutcome, decidedAt: Duration) {
            self.expectation = expectation
            self.outcome = outcome
            self.decidedAt = decidedAt
        }
    }

    public var scenario: Scenario
    /// Wall-clock start of the run.
    public var startedAt: Date
    /// Wall time of the whole run, setup and teardown included.
    public var elapsed: Duration
    public var verdicts: [Verdict]
    /// Set when the run could not be completed (a child failed to start or died, interrupted).
    public var setupError: ScenarioError?
    /// Lines describing the run: setup, steps as played, verdicts as decided, children's exits.
    public var log: [String]
    /// The last lines of each child's log, by child name (kept for a failed run).
    public var childLogTails: [String: String]
    /// Every alert event the run produced, fetched from the registry as CAP 1.2 XML and checked against the
    /// OASIS XSD and the CAP rules (`Scripts/validate-cap`); `nil` when the run broke before it.
    public var capValidation: ExpectationOutcome?

    public init(
        scenario: Scenario, startedAt: Date, elapsed: Duration, verdicts: [Verdict], setupError: ScenarioError?,
        log: [String], childLogTails: [String: String] = [:], capValidation: ExpectationOutcome? = nil
    ) {
        self.capValidation = capValidation
        self.scenario = scenario
        self.startedAt = startedAt
        self.elapsed = elapsed
        self.verdicts = verdicts
        self.setupError = setupError
        self.log = log
        self.childLogTails = childLogTails
    }

    /// Whether every expectation passed and the run completed.
    public var isPassed: Bool {
        setupError == nil && verdicts.allSatisfy(\.outcome.isPassed) && (capValidation?.isPassed ?? true)
    }

    /// Name of the CAP check in the summary and the JUnit report.
    static let capCheckName = "every alert event is valid CAP 1.2 (OASIS XSD and rules)"

    public var passedCount: Int { verdicts.filter(\.outcome.isPassed).count }
    public var failedCount: Int { verdicts.count - passedCount }

    /// The JUnit suite for this run: one test case per expectation, plus `setup` when the run broke.
    public func junitSuite() -> JUnitReport.Suite {
        let className = "scenario.\(scenario.name)"
        var cases: [JUnitReport.TestCase] = []
        if let setupError {
            cases.append(
                .init(
                    name: "setup", className: className, time: elapsed,
                    result: .error(message: setupError.description), detail: setupError.description))
        }
        for verdict in verdicts {
            let result: JUnitReport.TestCase.Result =
                switch verdict.outcome {
                case .passed: .passed
                case .failed(let text): .failed(message: text)
                case .pending(let text): .error(message: "not decided: \(text)")
                }
            cases.append(
                .init(
                    name: verdict.expectation.description, className: className, time: verdict.decidedAt,
                    result: result, detail: verdict.outcome.detail))
        }
        if let capValidation {
            let result: JUnitReport.TestCase.Result =
                switch capValidation {
                case .passed: .passed
                case .failed(let text): .failed(message: text)
                case .pending(let text): .error(message: "not decided: \(text)")
                }
            cases.append(
                .init(
                    name: Self.capCheckName, className: className, time: elapsed, result: result,
                    detail: capValidation.detail))
        }
        var out = log.joined(separator: "\n")
        if !isPassed {
            for (name, tail) in childLogTails.sorted(by: { $0.key < $1.key }) {
                out += "\n--- last lines of \(name) ---\n\(tail)"
            }
        }
        return JUnitReport.Suite(name: scenario.name, timestamp: startedAt, time: elapsed, cases: cases, systemOut: out)
    }

    /// The closing report for the console: one line per expectation, then a summary line.
    public func summaryText() -> String {
        var lines: [String] = []
        if let setupError { lines.append("ERROR \(setupError)") }
        for verdict in verdicts {
            let mark = verdict.outcome.isPassed ? "PASS " : (verdict.outcome.isDecided ? "FAIL " : "ERROR")
            lines.append("\(mark) \(verdict.expectation) — \(verdict.outcome.detail)")
        }
        if let capValidation {
            lines.append("\(capValidation.isPassed ? "PASS " : "FAIL ") \(Self.capCheckName) — \(capValidation.detail)")
        }
        let status = isPassed ? "passed" : "FAILED"
        lines.append(
            "scenario \(scenario.name) \(status): \(passedCount) passed, \(failedCount) failed"
                + (setupError == nil ? "" : ", setup error")
                + " (\(JSONValue.format((elapsed.seconds * 10).rounded() / 10)) s)")
        return lines.joined(separator: "\n")
    }
}
