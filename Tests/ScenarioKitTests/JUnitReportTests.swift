import FoundationEssentials
import Testing

@testable import ScenarioKit

@Suite("JUnit XML")
struct JUnitReportTests {
    @Test("renders suites, cases, failures and errors with counts and escaping")
    func renders() {
        let report = JUnitReport(suites: [
            JUnitReport.Suite(
                name: "c01 <capacity>", timestamp: Date(timeIntervalSince1970: 0), time: .milliseconds(61_250),
                cases: [
                    .init(
                        name: "alert C-01 Moderate by t=30s", className: "scenario.c01", time: .seconds(12),
                        result: .passed),
                    .init(
                        name: "report capacity.occupied >= 1800", className: "scenario.c01", time: .seconds(40),
                        result: .failed(message: "latest report has \"1500\" & less"), detail: "a\u{1}b"),
                    .init(
                        name: "setup", className: "scenario.c01", time: .zero, result: .error(message: "registry died")),
                ],
                systemOut: "t=0s set pc1.count_in = 1700")
        ])
        let xml = report.xml()
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"))
        #expect(xml.contains("tests=\"3\" failures=\"1\" errors=\"1\" time=\"61.250\""))
        #expect(
            xml.contains(
                "<testsuite name=\"c01 &lt;capacity&gt;\" tests=\"3\" failures=\"1\" errors=\"1\" skipped=\"0\" time=\"61.250\" timestamp=\"1970-01-01T00:00:00Z\">"
            ))
        #expect(
            xml.contains("<testcase name=\"alert C-01 Moderate by t=30s\" classname=\"scenario.c01\" time=\"12.000\"/>")
        )
        #expect(
            xml.contains(
                "<failure message=\"latest report has &quot;1500&quot; &amp; less\" type=\"expectation\">ab</failure>"))
        #expect(xml.contains("<error message=\"registry died\" type=\"setup\"></error>"))
        #expect(xml.contains("<system-out>t=0s set pc1.count_in = 1700</system-out>"))
        #expect(xml.hasSuffix("</testsuites>\n"))
    }

    @Test(
        "time attribute has millisecond precision",
        arguments: [
            (Duration.zero, "0.000"), (.milliseconds(5), "0.005"), (.milliseconds(1234), "1.234"),
            (.seconds(600), "600.000"),
        ])
    func seconds(duration: Duration, text: String) {
        #expect(JUnitReport.seconds(duration) == text)
    }
}
