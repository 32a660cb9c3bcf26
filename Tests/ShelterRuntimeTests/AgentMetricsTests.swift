import FoundationEssentials
import ShelterCore
@testable import ShelterRuntime
import Testing

/// What `GET /metrics` shows for given counters (issue 17): figures read from the snapshot, unknown ones left
/// out, the bus cycle and utilisation computed from the devices' last polls; and `[metrics]` read from TOML.
@Suite struct AgentMetricsTests {
    static func reference() throws -> SiteConfiguration {
        try SiteConfigurationLoader(checksFiles: false)
            .load(siteFile: FixturePaths.firmwareConfig + "/sites/reference.toml").get()
    }

    /// The reference site with the TCP buses' devices polled once: mains-meter (2 s interval) 120 ms, io 30 ms.
    static func metrics(site: SiteConfiguration) -> AgentMetrics {
        var meter = DeviceCounters(device: "mains-meter", bus: "meter-gateway", unitID: 1)
        meter.requests = 7
        meter.failures = [.timeout: 2]
        meter.exceptionCodes = [4: 1, nil: 2]
        meter.replyFaults = [.wrongTransactionID: 1]
        meter.lastRoundTrip = .milliseconds(15)
        meter.linkState = .degraded
        meter.lastPollDuration = .milliseconds(120)
        meter.busTime = .seconds(3)
        var io = DeviceCounters(device: "io", bus: "io", unitID: 1)
        io.lastPollDuration = .milliseconds(30)
        let genset = DeviceCounters(device: "genset", bus: "rs485-1", unitID: 10)  // never polled
        var uplink = AgentState.Values(record: site.record, recordSource: "site-file")
        uplink.outboxDepth = 3
        uplink.outboxOldestAge = .seconds(42)
        uplink.lastRegistrySuccessAt = Date(timeIntervalSince1970: 1_700_000_000)
        return AgentMetrics(
            version: "9.8.7", startedAt: Date(timeIntervalSince1970: 1_600_000_000), site: site,
            counters: [genset, meter, io], checks: [.ok: 5, .unknown: 2], uplink: uplink)
    }

    @Test("device, bus, check, outbox and uplink figures as Prometheus text")
    func figures() throws {
        let text = MetricsExposition.prometheusText.render(Self.metrics(site: try Self.reference()).families())
        let lines = Set(text.split(separator: "\n").map(String.init))
        let meter = #"bus="meter-gateway",device="mains-meter",unit_id="1""#
        for expected in [
            #"shelter_agent_build_info{version="9.8.7"} 1"#,
            "shelter_agent_start_time_seconds 1600000000",
            "shelter_agent_device_requests_total{\(meter)} 7",
            "shelter_agent_device_failures_total{\(meter),kind=\"timeout\"} 2",
            "shelter_agent_device_failures_total{\(meter),kind=\"bad_data\"} 0",
            "shelter_agent_device_exceptions_total{\(meter),code=\"unknown\"} 2",
            "shelter_agent_device_exceptions_total{\(meter),code=\"4\"} 1",
            "shelter_agent_device_reply_faults_total{\(meter),fault=\"wrong_transaction_id\"} 1",
            "shelter_agent_device_last_round_trip_seconds{\(meter)} 0.015",
            "shelter_agent_device_link_state{\(meter),state=\"degraded\"} 1",
            "shelter_agent_device_link_state{\(meter),state=\"up\"} 0",
            #"shelter_agent_bus_cycle_seconds{bus="meter-gateway"} 0.12"#,
            #"shelter_agent_bus_utilisation_ratio{bus="meter-gateway"} 0.06"#,
            #"shelter_agent_bus_busy_seconds_total{bus="meter-gateway"} 3"#,
            #"shelter_agent_checks{status="ok"} 5"#, #"shelter_agent_checks{status="critical"} 0"#,
            #"shelter_agent_checks{status="unknown"} 2"#,
            "shelter_agent_outbox_depth 3", "shelter_agent_outbox_oldest_age_seconds 42",
            "shelter_agent_uplink_last_success_timestamp_seconds 1700000000", "shelter_agent_outbox_held 0",
        ] {
            #expect(lines.contains(expected), "missing: \(expected)")
        }
        // Unknown is no sample, never 0: genset never answered (no round trip), rs485-1 has a device not yet polled, the uplink
        // has not been tried.
        #expect(!text.contains("shelter_agent_device_last_round_trip_seconds{bus=\"rs485-1\""))
        #expect(!text.contains(#"shelter_agent_bus_cycle_seconds{bus="rs485-1"}"#))
        #expect(!text.contains("\nshelter_agent_uplink_reachable "))
    }

    @Test("before the first tick there are no check samples; an empty outbox has age 0")
    func beforeFirstTick() throws {
        var metrics = Self.metrics(site: try Self.reference())
        metrics.checks = nil
        metrics.uplink.outboxDepth = 0
        metrics.uplink.outboxOldestAge = nil
        let text = MetricsExposition.openMetrics.render(metrics.families())
        #expect(!text.contains("shelter_agent_checks{"))
        #expect(text.contains("\nshelter_agent_outbox_oldest_age_seconds 0\n"))
        #expect(text.hasSuffix("# EOF\n"))
    }

    @Test("[metrics] is read from the site file; an unknown key in it is named")
    func fromTOML() throws {
        let site = try #require(FileHelpers.read(FixturePaths.firmwareConfig + "/sites/reference.toml"))
        let names = [
            "deepsea-dse7320", "tripplite-modbuscard", "rs485-level-transmitter", "tuf-2000m", "generic-people-counter",
            "eastron-sdm630", "advantech-adam-6050",
        ]
        var profiles: [String: String] = [:]
        for name in names { profiles[name] = FileHelpers.read(FixturePaths.firmwareConfig + "/profiles/\(name).toml") }
        let loader = SiteConfigurationLoader(checksFiles: false)
        let good = site + "\n[metrics]\nlisten = \"127.0.0.1:9469\"\n"
        let loaded = try loader.load(siteText: good, file: "site.toml", profileTexts: profiles).get()
        #expect(loaded.metrics == MetricsListener(host: "127.0.0.1", port: 9469))
        guard
            case .failure(let error) = loader.load(
                siteText: good + "port = 1\n", file: "site.toml", profileTexts: profiles)
        else {
            Issue.record("an unknown key was accepted")
            return
        }
        #expect(error.issues.map(\.keyPath) == ["metrics.port"])
    }
}
