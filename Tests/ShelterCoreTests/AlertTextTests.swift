import FoundationEssentials
import Testing

@testable import ShelterCore

@Suite("Alert texts: both languages from the catalog, words a duty officer reads right")
struct AlertTextTests {
    typealias F = ShelterFixture

    static func texts(
        _ check: CheckID, level: CheckStatus = .warning, type: CAPMessageType = .alert, subject: String = "",
        value: Double?, threshold: Double?, finding: CheckFinding?
    ) -> (zh: AlertEventText, en: AlertEventText) {
        let texts = AlertText.make(
            for: check, type: type, level: level, subject: subject, value: value, threshold: threshold,
            finding: finding, origin: .nationalDefault, capacity: 2000)
        #expect(texts.map(\.language) == ["zh-CN", "en-US"])
        return (texts[0], texts[1])
    }

    @Test("C-12 while no generator is on load says so (issue 11 item 5: 'generator on load 15.11 s')")
    func noGeneratorOnLoad() {
        let t = Self.texts(
            .generatorTransfer, value: 15.11, threshold: 15, finding: .noGeneratorOnLoad(secondsSinceLoss: 15.11))
        #expect(
            t.en.headline
                == "C-12 warning: time since mains loss with no generator on load yet: 15.1 s (threshold 15 s)")
        #expect(t.zh.headline == "C-12 警告：市电中断后仍无发电机带载的时长为 15.1 秒（阈值 15 秒）")
        #expect(
            t.en.description.hasPrefix("mains lost 15.1 s ago and no generator is on load yet. Source: GB 50052-2009"))
        #expect(t.zh.event == "市电中断后发电机未及时带载")
    }

    @Test("C-12's Cancel after a late transfer says when the generator took the load")
    func lateTransfer() {
        // The warning was raised with .noGeneratorOnLoad; once a generator has the load the condition is over
        // and the Cancel reports the transfer time (issue 11: C-12 resolves when a generator takes the load).
        let t = Self.texts(
            .generatorTransfer, level: .ok, type: .cancel, value: 40, threshold: 15,
            finding: .generatorOnLoadAfter(seconds: 40))
        #expect(t.en.headline == "C-12 resolved: time from mains loss until a generator took the load")
        #expect(t.zh.headline == "C-12 已解除：市电中断至发电机带载的用时")
        #expect(
            t.en.description.hasPrefix("a generator took the load 40 s after mains was lost. Source: GB 50052-2009"))
        #expect(t.zh.description.hasPrefix("市电中断 40 秒后发电机已带载。依据：GB 50052-2009"))
    }

    @Test("C-11 counts sources as whole numbers (issue 11 item 5: '1.00 sources')")
    func sourceCount() {
        let t = Self.texts(
            .sourceRedundancy, subject: "power", value: 1, threshold: 2,
            finding: .sources(.power, healthy: [.mains], unknown: []))
        #expect(t.en.headline == "C-11 warning: healthy sources of emergency power: 1 source (threshold 2 sources)")
        #expect(t.zh.headline == "C-11 警告：应急供电的正常来源数为 1 个（阈值 2 个）")
    }

    @Test("C-05 if full: hours below one day, and what 'if full' means (issue 11 item 5: '(if_full) 0.11 d')")
    func waterIfFull() {
        let t = Self.texts(
            .waterDays, level: .critical, subject: "if_full", value: 0.11, threshold: 1,
            finding: .waterDays(litres: 3300, persons: 2000, ifFull: true, ration: 15, days: 0.11))
        #expect(
            t.en.headline
                == "C-05 critical: water left if the shelter were full (2\u{202F}000 persons): 2.6 h (threshold 24 h)")
        #expect(t.zh.headline == "C-05 严重：满员（2\u{202F}000 人）时的可供水时间为 2.6 小时（阈值 24 小时）")
        #expect(!t.en.headline.contains("if_full"))
    }

    @Test("C-22 for a device whose link is down says the link is down, not a data age under its threshold")
    func deviceDown() {
        let t = Self.texts(
            .dataFreshness, level: .critical, subject: "io-hall", value: 2, threshold: 10,
            finding: .deviceOldestPoint(device: "io-hall", link: .down, point: "door_in", intervals: 2))
        #expect(t.en.headline == "C-22 critical: device io-hall: link down")
        #expect(t.zh.headline == "C-22 严重：设备 io-hall 通信状态中断")
        let stale = Self.texts(
            .dataFreshness, level: .warning, subject: "io-hall", value: 4.5, threshold: 3,
            finding: .deviceOldestPoint(device: "io-hall", link: .up, point: "door_in", intervals: 4.5))
        #expect(stale.zh.headline == "C-22 警告：设备 io-hall 的数据时效为 4.5 个轮询周期（阈值 3 个轮询周期）")
    }

    @Test("a resolved alert says so and asks for nothing")
    func resolved() {
        let t = Self.texts(.occupancy, type: .cancel, value: 0.8, threshold: 0.9, finding: nil)
        #expect(t.en.headline == "C-01 resolved: occupancy of registered capacity")
        #expect(t.zh.headline == "C-01 已解除：在场人数占可容纳人数的比例")
        #expect(t.zh.instruction == "情况已恢复，无需采取行动。")
    }

    @Test("without a finding the description gives the value and threshold in the check's unit")
    func withoutFinding() {
        let t = Self.texts(.waterDays, value: 0.11, threshold: 1, finding: nil)
        #expect(t.zh.description.hasPrefix("当前值 2.6 小时，阈值 24 小时。依据："))
        #expect(t.en.description.hasSuffix("Threshold from national default."))
    }

    @Test("an unknown check id gets no texts")
    func unknownCheck() {
        #expect(
            AlertText.make(
                for: CheckID(rawValue: "C-99"), type: .alert, level: .warning, subject: "", value: 1, threshold: 1,
                finding: nil, origin: nil, capacity: 1
            ).isEmpty)
    }

    @Test("events from the checks carry zh-CN and en texts; the primary language fills the top-level fields")
    func eventsFromChecks() throws {
        func mainsLost(at seconds: Double) -> SiteSnapshot {
            var snapshot = F.snapshot(at: F.t0.plus(seconds))
            snapshot.mainsPresent = .known(false, observedAt: F.t0.plus(seconds))
            return snapshot
        }
        var assessment = Assessment(record: F.record())
        _ = assessment.evaluate(mainsLost(at: 0), lifecycle: .init(state: .activated), at: F.t0)
        let results = assessment.evaluate(mainsLost(at: 20), lifecycle: .init(state: .activated), at: F.t0.plus(20))
        let c12 = try #require(results.first { $0.checkId == .generatorTransfer })
        #expect(c12.finding == .noGeneratorOnLoad(secondsSinceLoss: 20))
        #expect(c12.summary == "mains lost 20 s ago and no generator is on load yet")

        var tracker = AlertTracker(identifiers: SequentialIdentifierGenerator(prefix: "id"))
        let context = AlertContext(
            shelterId: "SMX-HB-0007", gatewayId: "gw-1", lifecycle: .init(state: .activated), occupancy: 1000,
            capacity: 2000, now: F.t0.plus(20), language: .zhCN)
        let events = tracker.update(results, context: context)
        let event = try #require(events.first { $0.parameters.checkId == .generatorTransfer })
        let texts = try #require(event.texts)
        #expect(texts.map(\.language) == ["zh-CN", "en-US"])
        #expect(event.headline == texts[0].headline)
        #expect(event.headline == "C-12 警告：市电中断后仍无发电机带载的时长为 20 秒（阈值 15 秒）")
        #expect(texts[1].headline.contains("no generator on load yet"))
    }
}

@Suite("Alert event payload: per-language texts are additive")
struct AlertEventTextCodingTests {
    static let oldPayload = """
        {"alertId":"a-1","eventId":"e-1","shelterId":"S","gatewayId":"G","references":[],"status":"Actual",
        "msgType":"Alert","category":"Infra","event":"Water","urgency":"Expected","severity":"Moderate",
        "certainty":"Likely","onset":"2026-12-02T14:55:38Z","sent":"2026-12-02T14:55:38Z","headline":"h",
        "description":"d","instruction":"i","parameters":{"checkId":"C-05","subject":"","checkStatus":"warning",
        "capacity":2000}}
        """

    @Test("a single-language payload from an older agent still decodes, with no texts")
    func oldPayloadDecodes() throws {
        let event = try RegistryJSON.makeDecoder().decode(AlertEvent.self, from: Data(Self.oldPayload.utf8))
        #expect(event.headline == "h")
        #expect(event.texts == nil)
        let json = String(decoding: try RegistryJSON.makeEncoder().encode(event), as: UTF8.self)
        #expect(!json.contains("\"texts\""), "nil texts are not written")
    }

    @Test("texts round-trip in order, zh-CN first")
    func textsRoundTrip() throws {
        var event = try RegistryJSON.makeDecoder().decode(AlertEvent.self, from: Data(Self.oldPayload.utf8))
        event.texts = [
            AlertEventText(language: "zh-CN", event: "饮用水即将不足", headline: "标题", description: "说明", instruction: "措施"),
            AlertEventText(language: "en-US", event: "Water", headline: "h", description: "d", instruction: "i"),
        ]
        let data = try RegistryJSON.makeEncoder().encode(event)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""language":"zh-CN""#))
        #expect(try RegistryJSON.makeDecoder().decode(AlertEvent.self, from: data) == event)
    }
}
