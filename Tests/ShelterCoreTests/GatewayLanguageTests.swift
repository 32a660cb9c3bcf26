import FoundationEssentials
import Testing

@testable import ShelterCore

/// `gateway.language` (issue 16 item 5): the primary language of the alerts the gateway sends; both languages
/// are always in `texts`.
@Suite("gateway.language")
struct GatewayLanguageTests {
    typealias F = ShelterFixture

    static func site(language: String?) -> Result<SiteConfiguration, ConfigurationError> {
        var file = SiteFixture.file()
        file.gateway?.language = language
        return SiteConfiguration.validate(file, file: "site.toml", profiles: [:])
    }

    @Test("absent means zh-CN; zh-CN and en are taken as written")
    func values() throws {
        #expect(try Self.site(language: nil).get().gateway.language == .zhCN)
        #expect(try Self.site(language: "zh-CN").get().gateway.language == .zhCN)
        #expect(try Self.site(language: "en").get().gateway.language == .en)
    }

    @Test("another value is an issue naming the key and the fix", arguments: ["zh-TW", "EN", "chinese", ""])
    func rejected(value: String) {
        guard case .failure(let error) = Self.site(language: value) else {
            Issue.record("\(value) accepted")
            return
        }
        #expect(error.issues.map(\.keyPath) == ["gateway.language"])
        #expect(error.issues.first?.value == "\"\(value)\"")
        #expect(error.issues.first?.fix.contains("\"zh-CN\"") == true)
    }

    /// Activates the site and holds 1 900 of 2 000 persons for ten minutes; returns the alert events sent.
    static func alerts(language: String?) throws -> [AlertEvent] {
        var machine = AgentStateMachine(
            site: try site(language: language).get(), record: F.record(), startedAt: F.t0, firstSequence: 1,
            identifiers: SequentialIdentifierGenerator(prefix: "gw-1"))
        _ = machine.heartbeatAnswered(lifecycle: .activated, isDrill: false)
        var events: [AlertEvent] = []
        for minute in 0...10 {
            let at = F.t0.plus(Double(minute) * 60)
            SiteFixture.poll(&machine, at: at, persons: 1900)
            let actions = machine.tick(at: at, utcOffsetMinutes: 480)
            for event in actions.enqueueAlerts { _ = machine.alertCommitted(eventId: event.eventId) }
            events += actions.enqueueAlerts
        }
        return events
    }

    @Test(
        "the site's language writes the top-level CAP texts; texts carry zh-CN and en-US either way",
        arguments: [(nil, "zh-CN"), ("zh-CN", "zh-CN"), ("en", "en-US")])
    func alertsFollowTheSite(language: String?, primary: String) throws {
        let events = try Self.alerts(language: language)
        #expect(events.contains { $0.parameters.checkId == .occupancy })
        for event in events {
            let texts = try #require(event.texts)
            #expect(texts.map(\.language) == ["zh-CN", "en-US"])
            let top = try #require(texts.first { $0.language == primary })
            #expect(event.headline == top.headline)
            #expect(event.description == top.description)
            #expect(event.instruction == top.instruction)
            #expect(event.event == top.event)
        }
        let occupancy = try #require(events.first { $0.parameters.checkId == .occupancy })
        let hasChinese = occupancy.headline.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
        #expect(hasChinese == (primary == "zh-CN"), "\(occupancy.headline)")
    }
}
