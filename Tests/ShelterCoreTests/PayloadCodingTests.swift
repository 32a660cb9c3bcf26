import FoundationEssentials
import Testing

@testable import ShelterCore

@Suite("Registry payload coding")
struct PayloadCodingTests {
    static let t0 = Date(timeIntervalSince1970: 1_796_223_338)  // 2026-12-02T14:55:38Z

    static func sampleReport() -> StatusReport {
        StatusReport(
            reportId: "r-1", sequence: 7, shelterId: "SMX-HB-0007", gatewayId: "gw-1", recordVersion: 3,
            observedAt: t0, lifecycle: LifecycleStatus(state: .outOfService, isDrill: true),
            capacity: CapacityStatus(registered: 2000, occupied: 1840, notes: ["counter reset at door 2"]),
            resources: ResourceStatus(power: .adequate, water: .insufficient, sanitation: .unknown, comms: .adequate),
            checks: [
                CheckResult(
                    checkId: .occupancy, status: .warning, value: MeasuredValue(0.92, unit: "1"),
                    threshold: ThresholdUsed(
                        warning: 0.9, critical: 1, unit: "1", direction: .above,
                        origin: .nationalDefault),
                    source: "site policy", summary: "1840 of 2000")
            ],
            devices: [DeviceLinkStatus(device: "pc1", link: .up)],
            readings: [
                ReadingStatus(
                    device: "pc1", point: "in", quantity: .occupancyCountIn, value: nil, unit: nil,
                    quality: .bad, reason: .linkLost, observedAt: nil)
            ],
            lastUpdate: ZonedTime(instant: t0, utcOffsetMinutes: 480))
    }

    @Test("a status report encodes camelCase keys, ISO 8601 dates and snake_case enum values, and round-trips")
    func statusReportRoundTrip() throws {
        let report = Self.sampleReport()
        let data = try RegistryJSON.makeEncoder().encode(report)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""observedAt":"2026-12-02T14:55:38Z""#))
        #expect(json.contains(#""local":"2026-12-02T22:55:38+08:00""#))
        #expect(json.contains(#""state":"out_of_service""#))
        #expect(json.contains(#""origin":"national_default""#))
        #expect(json.contains(#""checkId":"C-01""#))
        #expect(json.contains(#""reason":"link_lost""#))
        #expect(json.contains(#""available":160"#))
        #expect(!json.contains("occupancyNotes"))
        let back = try RegistryJSON.makeDecoder().decode(StatusReport.self, from: data)
        #expect(back == report)
    }

    @Test("a check result's summary is its finding's English text, written when read; a text set overrides it")
    func summaryFromFinding() throws {
        var result = CheckResult(
            checkId: .occupancy, status: .ok, value: MeasuredValue(0.5, unit: "1"), threshold: nil,
            source: "site policy", summary: "")
        #expect(result.summary == "")
        result.set(.occupancy(present: 300, capacity: 700, ratio: 0.43))
        let text = CheckFinding.occupancy(present: 300, capacity: 700, ratio: 0.43).text(in: .en)
        #expect(text.contains("300") && text.contains("700"))
        #expect(result.summary == text)
        let data = try RegistryJSON.makeEncoder().encode(result)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""summary":""#))
        #expect(!json.contains("summaryText") && !json.contains("finding"))
        let back = try RegistryJSON.makeDecoder().decode(CheckResult.self, from: data)
        #expect(back.summary == text && back.finding == nil)

        var other = result
        other.set(.occupancy(present: 301, capacity: 700, ratio: 0.43))
        #expect(other != result)
        other.summary = "cancelled"
        #expect(other.summary == "cancelled" && other.finding != nil)
        other.set(.occupancy(present: 300, capacity: 700, ratio: 0.43))
        #expect(other == result)
    }

    @Test("an alert event keeps CAP spellings and round-trips")
    func alertEventRoundTrip() throws {
        let event = AlertEvent(
            alertId: "a-1", eventId: "e-1", shelterId: "S", gatewayId: "G", references: [], status: .exercise,
            msgType: .update, category: .infra, event: "Water", urgency: .expected, severity: .severe,
            certainty: .likely, onset: Self.t0, sent: Self.t0, headline: "h", description: "d", instruction: "i",
            parameters: AlertParameters(
                checkId: .waterDays, subject: "", checkStatus: .critical, value: MeasuredValue(0.33, unit: "d"),
                threshold: 1, thresholdOrigin: .record, occupancy: 1840, capacity: 2000))
        let data = try RegistryJSON.makeEncoder().encode(event)
        let json = String(decoding: data, as: UTF8.self)
        for fragment in [
            #""status":"Exercise""#, #""msgType":"Update""#, #""certainty":"Likely""#,
            #""severity":"Severe""#, #""category":"Infra""#, #""sent":"2026-12-02T14:55:38Z""#,
        ] {
            #expect(json.contains(fragment), "\(fragment)")
        }
        #expect(try RegistryJSON.makeDecoder().decode(AlertEvent.self, from: data) == event)
    }

    @Test(
        "local time with offset",
        arguments: [
            (0.0, 0, "1970-01-01T00:00:00+00:00"),
            (-1.0, 0, "1969-12-31T23:59:59+00:00"),
            (951_782_400.0, 0, "2000-02-29T00:00:00+00:00"),
            (1_796_223_338.0, 480, "2026-12-02T22:55:38+08:00"),
            (1_796_223_338.0, -570, "2026-12-02T05:25:38-09:30"),
            (1_796_256_000.0, 480, "2026-12-03T08:00:00+08:00"),
        ])
    func zonedTime(unix: Double, offset: Int, expected: String) {
        #expect(ZonedTime(instant: Date(timeIntervalSince1970: unix), utcOffsetMinutes: offset).local == expected)
    }
}
