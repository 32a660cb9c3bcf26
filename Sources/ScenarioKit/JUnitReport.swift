public import FoundationEssentials
import ShelterCore

/// A JUnit XML report (the de-facto format CI systems read: Jenkins, GitLab, GitHub actions): one
/// `<testsuite>` per scenario, one `<testcase>` per expectation (plus one for setup when it failed).
///
/// Pure: `xml()` renders text; the runner writes it to the `--junit` file.
public struct JUnitReport: Sendable, Hashable {
    /// The suites, in order.
    public var suites: [Suite]

    public init(suites: [Suite]) { self.suites = suites }

    /// One scenario.
    public struct Suite: Sendable, Hashable {
        public var name: String
        /// When the run started; `nil` omits the attribute.
        public var timestamp: Date?
        /// Wall time of the whole run.
        public var time: Duration
        public var cases: [TestCase]
        /// Free text kept with the suite: the timeline as played and the children's log tails.
        public var systemOut: String

        public init(name: String, timestamp: Date? = nil, time: Duration, cases: [TestCase], systemOut: String = "") {
            self.name = name
            self.timestamp = timestamp
            self.time = time
            self.cases = cases
            self.systemOut = systemOut
        }

        public var failureCount: Int { cases.filter { if case .failed = $0.result { true } else { false } }.count }
        public var errorCount: Int { cases.filter { if case .error = $0.result { true } else { false } }.count }
        public var skippedCount: Int { cases.filter { if case .skipped = $0.result { true } else { false } }.count }
    }

    /// One expectation.
    public struct TestCase: Sendable, Hashable {
        /// How it ended.
        public enum Result: Sendable, Hashable {
            case passed
            /// The expectation was not met (`<failure>`).
            case failed(message: String)
            /// It could not be judged: setup failed, the run was interrupted (`<error>`).
            case error(message: String)
            /// Not run (`<skipped>`).
            case skipped(message: String)
        }

        public var name: String
        public var className: String
        /// When it was decided, from the start of the run (JUnit's `time`).
        public var time: Duration
        public var result: Result
        /// The verdict's explanation, also for a pass.
        public var detail: String

        public init(name: String, className: String, time: Duration, result: Result, detail: String = "") {
            self.name = name
            self.className = className
            self.time = time
            self.result = result
            self.detail = detail
        }
    }

    /// The XML document, UTF-8 text with a declaration.
    public func xml() -> String {
        let cases = suites.flatMap(\.cases)
        let total = suites.reduce(Duration.zero) { $0 + $1.time }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out +=
            "<testsuites name=\"shelter-sim scenario\" tests=\"\(cases.count)\""
            + " failures=\"\(suites.map(\.failureCount).reduce(0, +))\""
            + " errors=\"\(suites.map(\.errorCount).reduce(0, +))\" time=\"\(Self.seconds(total))\">\n"
        for suite in suites {
            out +=
                "  <testsuite name=\"\(suite.name.xmlEscaped)\" tests=\"\(suite.cases.count)\""
                + " failures=\"\(suite.failureCount)\" errors=\"\(suite.errorCount)\""
                + " skipped=\"\(suite.skippedCount)\" time=\"\(Self.seconds(suite.time))\""
            if let timestamp = suite.timestamp {
                out += " timestamp=\"\(timestamp.formatted(Date.ISO8601FormatStyle()))\""
            }
            out += ">\n"
            for testCase in suite.cases {
                out +=
                    "    <testcase name=\"\(testCase.name.xmlEscaped)\""
                    + " classname=\"\(testCase.className.xmlEscaped)\" time=\"\(Self.seconds(testCase.time))\""
                switch testCase.result {
                case .passed:
                    out +=
                        testCase.detail.isEmpty
                        ? "/>\n"
                        : ">\n      <system-out>\(testCase.detail.xmlEscaped)"
                            + "</system-out>\n    </testcase>\n"
                case .failed(let message):
                    out +=
                        ">\n      <failure message=\"\(message.xmlEscaped)\" type=\"expectation\">"
                        + "\(testCase.detail.xmlEscaped)</failure>\n    </testcase>\n"
                case .error(let message):
                    out +=
                        ">\n      <error message=\"\(message.xmlEscaped)\" type=\"setup\">"
                        + "\(testCase.detail.xmlEscaped)</error>\n    </testcase>\n"
                case .skipped(let message):
                    out += ">\n      <skipped message=\"\(message.xmlEscaped)\"/>\n    </testcase>\n"
                }
            }
            if !suite.systemOut.isEmpty {
                out += "    <system-out>\(suite.systemOut.xmlEscaped)</system-out>\n"
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    /// Seconds with millisecond precision, as JUnit's `time` attribute wants (`12.345`).
    static func seconds(_ d: Duration) -> String {
        let ms = max(0, Int64((d.seconds * 1000).rounded()))
        let fraction = String(ms % 1000)
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
