import Testing

@testable import ShelterCore

/// The text a Prometheus server scrapes from `GET /metrics` (issue 17): HELP and TYPE lines per family, the
/// counter and info naming rules of each format, escaping, numbers and the closing `# EOF` of OpenMetrics.
@Suite("MetricsExposition")
struct MetricsExpositionTests {
    static let requests = MetricFamily(
        name: "shelter_agent_device_requests", kind: .counter, help: "Requests sent.",
        samples: [.init([.init("device", "ups1"), .init("unit_id", "20")], 42)])
    static let roundTrip = MetricFamily(
        name: "shelter_agent_device_last_round_trip_seconds", kind: .gauge, help: "Last round trip.",
        unit: "seconds", samples: [.init([.init("device", "ups1")], 0.0125)])
    static let build = MetricFamily(
        name: "shelter_agent_build", kind: .info, help: "Version.", samples: [.init([.init("version", "0.1.0")], 1)])

    @Test("OpenMetrics: counter family named without _total, samples with it, UNIT, info type, # EOF last")
    func openMetrics() {
        let text = MetricsExposition.openMetrics.render([Self.requests, Self.roundTrip, Self.build])
        #expect(
            text == """
                # HELP shelter_agent_device_requests Requests sent.
                # TYPE shelter_agent_device_requests counter
                shelter_agent_device_requests_total{device="ups1",unit_id="20"} 42
                # HELP shelter_agent_device_last_round_trip_seconds Last round trip.
                # TYPE shelter_agent_device_last_round_trip_seconds gauge
                # UNIT shelter_agent_device_last_round_trip_seconds seconds
                shelter_agent_device_last_round_trip_seconds{device="ups1"} 0.0125
                # HELP shelter_agent_build Version.
                # TYPE shelter_agent_build info
                shelter_agent_build_info{version="0.1.0"} 1
                # EOF

                """)
    }

    @Test("Prometheus text 0.0.4: counter TYPE names _total, info is a gauge _info, no UNIT, no # EOF")
    func prometheusText() {
        let text = MetricsExposition.prometheusText.render([Self.requests, Self.roundTrip, Self.build])
        #expect(
            text == """
                # HELP shelter_agent_device_requests_total Requests sent.
                # TYPE shelter_agent_device_requests_total counter
                shelter_agent_device_requests_total{device="ups1",unit_id="20"} 42
                # HELP shelter_agent_device_last_round_trip_seconds Last round trip.
                # TYPE shelter_agent_device_last_round_trip_seconds gauge
                shelter_agent_device_last_round_trip_seconds{device="ups1"} 0.0125
                # HELP shelter_agent_build_info Version.
                # TYPE shelter_agent_build_info gauge
                shelter_agent_build_info{version="0.1.0"} 1

                """)
    }

    @Test("label values escape backslash, double quote and newline in both formats; other text stays")
    func labelEscaping() {
        let family = MetricFamily(
            name: "x", kind: .gauge, help: "h", samples: [.init([.init("device", "a\\b\"c\nd 泵房")], 1)])
        for format in [MetricsExposition.openMetrics, .prometheusText] {
            #expect(format.render([family]).contains(#"x{device="a\\b\"c\nd 泵房"} 1"#))
        }
        #expect(MetricsExposition.escapeLabelValue(#"C:\dir"#) == #"C:\\dir"#)
    }

    @Test("help text: backslash and newline escaped in both, double quote only in OpenMetrics")
    func helpEscaping() {
        let family = MetricFamily(name: "x", kind: .gauge, help: "a \"b\" c\\d\ne", samples: [])
        #expect(MetricsExposition.openMetrics.render([family]).hasPrefix(#"# HELP x a \"b\" c\\d\ne"# + "\n"))
        #expect(MetricsExposition.prometheusText.render([family]).hasPrefix(#"# HELP x a "b" c\\d\ne"# + "\n"))
    }

    @Test(
        "numbers: integers without a fraction, fractions as Double prints them, NaN and infinities spelled",
        arguments: [
            (0.0, "0"), (42.0, "42"), (-3.0, "-3"), (0.0125, "0.0125"), (1.5e-05, "1.5e-05"), (1e20, "1e+20"),
            (Double.nan, "NaN"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
        ])
    func numbers(value: Double, text: String) {
        #expect(MetricsExposition.number(value) == text)
    }

    @Test("a family without samples is still described; an empty scrape in OpenMetrics is just # EOF")
    func emptyFamilies() {
        let family = MetricFamily(name: "x", kind: .counter, help: "h", samples: [])
        #expect(MetricsExposition.openMetrics.render([family]) == "# HELP x h\n# TYPE x counter\n# EOF\n")
        #expect(MetricsExposition.openMetrics.render([]) == "# EOF\n")
    }

    @Test(
        "Accept: OpenMetrics only when the scraper names it",
        arguments: [
            (nil, MetricsExposition.prometheusText), ("*/*", .prometheusText),
            ("text/plain;version=0.0.4;q=0.5,*/*;q=0.1", .prometheusText),
            ("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5", .openMetrics),
        ])
    func negotiation(accept: String?, format: MetricsExposition) {
        #expect(MetricsExposition(accept: accept) == format)
        #expect(format.contentType.hasSuffix("charset=utf-8"))
    }
}

/// `[metrics]` in the site file: off when absent, loopback only unless allowed, every mistake named.
@Suite("[metrics] validation")
struct MetricsListenerValidationTests {
    static func site(_ metrics: SiteFile.Metrics?) -> Result<SiteConfiguration, ConfigurationError> {
        var file = SiteFixture.file()
        file.metrics = metrics
        return SiteConfiguration.validate(file, file: "site.toml", profiles: [:])
    }

    @Test("absent: no listener; a loopback address and localhost are taken")
    func accepted() throws {
        #expect(try Self.site(nil).get().metrics == nil)
        #expect(
            try Self.site(.init(listen: "127.0.0.1:9469")).get().metrics
                == MetricsListener(host: "127.0.0.1", port: 9469))
        #expect(
            try Self.site(.init(listen: "localhost:0")).get().metrics == MetricsListener(host: "127.0.0.1", port: 0))
        #expect(
            try Self.site(.init(listen: "0.0.0.0:9469", allowNonLoopback: true)).get().metrics?.isLoopback == false)
    }

    @Test(
        "a listen value that is not IPv4 HOST:PORT is an issue with the fix",
        arguments: ["9469", "127.0.0.1", "127.0.0.1:70000", "[::1]:9469", "host.example:9469", "1.2.3.4.5:1", ""])
    func malformed(listen: String) {
        guard case .failure(let error) = Self.site(.init(listen: listen)) else {
            Issue.record("\(listen) accepted")
            return
        }
        #expect(error.issues.map(\.keyPath) == ["metrics.listen"])
        #expect(error.issues.first?.fix.contains("127.0.0.1:9469") == true)
    }

    @Test("a table without listen is an issue")
    func missing() {
        guard case .failure(let error) = Self.site(.init(listen: nil)) else {
            Issue.record("accepted")
            return
        }
        #expect(error.issues.map(\.keyPath) == ["metrics.listen"])
    }

    @Test("a non-loopback address is refused unless allow_non_loopback = true")
    func nonLoopback() {
        guard case .failure(let error) = Self.site(.init(listen: "192.168.50.2:9469")) else {
            Issue.record("accepted")
            return
        }
        #expect(error.issues.map(\.keyPath) == ["metrics.listen"])
        #expect(error.issues.first?.message.contains("no authentication") == true)
        #expect(error.issues.first?.fix.contains("allow_non_loopback = true") == true)
    }
}
