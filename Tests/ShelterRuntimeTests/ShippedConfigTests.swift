import ShelterCore
import ShelterRuntime
import Testing

/// Every file shipped under `Firmware-Config/` validates, and the reference site gives the figures issue 3
/// states (one request per serial device; 9600-baud cycle within 2 % of the framing formula).
@Suite struct ShippedConfigTests {
    static var profileFiles: [String] {
        FileHelpers.list(FixturePaths.firmwareConfig + "/profiles").filter { $0.hasSuffix(".toml") }
    }

    static var siteFiles: [String] {
        FileHelpers.list(FixturePaths.firmwareConfig + "/sites").filter { $0.hasSuffix(".toml") }
    }

    @Test func firmwareConfigIsFound() {
        #expect(Self.profileFiles.count >= 8)
        #expect(Self.siteFiles.contains("reference.toml"))
    }

    @Test(arguments: profileFiles)
    func profileValidates(_ name: String) throws {
        let result = SiteConfigurationLoader().load(profileFile: FixturePaths.firmwareConfig + "/profiles/" + name)
        if case .failure(let error) = result { Issue.record("\(error)") }
        let profile = try result.get()
        #expect(!profile.document.isEmpty)
        #expect(!profile.points.isEmpty)
    }

    @Test(arguments: siteFiles)
    func siteValidates(_ name: String) {
        // TLS paths name files on the gateway, not on this machine: file checks are off here and tested on
        // their own in TLSFileCheckTests.
        let result = SiteConfigurationLoader(checksFiles: false).load(
            siteFile: FixturePaths.firmwareConfig + "/sites/" + name)
        if case .failure(let error) = result { Issue.record("\(error)") }
    }

    static func reference() throws -> SiteConfiguration {
        try SiteConfigurationLoader(checksFiles: false)
            .load(siteFile: FixturePaths.firmwareConfig + "/sites/reference.toml").get()
    }

    @Test func referenceSiteHasTheDevicesIssue3Describes() throws {
        let site = try Self.reference()
        let serial = try #require(site.buses.first { $0.serialLine != nil })
        let line = try #require(serial.serialLine)
        #expect(line.baudRate == 9600 && line.parity == .even && line.dataBits == 8 && line.stopBits == 1)
        #expect(site.devices(on: serial).count == 11)
        let tcpDevices = site.devices.filter { site.bus(named: $0.busName)?.serialLine == nil }.map(\.name)
        #expect(tcpDevices == ["mains-meter", "io"])
        #expect(site.record.capacity == 2000)
        #expect(Double(site.record.capacity) * site.record.requiredAreaPerPerson <= site.record.effectiveArea)
        #expect(site.record.effectiveArea >= 3000)
        #expect(site.record.facilities.generators.count == 1)
        #expect(site.record.facilities.batteries.count == 2)
        #expect(site.record.facilities.waterTanks.count == 3)
        #expect(site.record.facilities.sewageTankCapacity > 0)
    }

    @Test func referencePlanReachesOneRequestPerSerialDevice() throws {
        let site = try Self.reference()
        let plans = RequestPlanner.plan(for: site)
        let serial = try #require(plans.first { $0.bus == "rs485-1" })
        #expect(serial.requests.count == 11)
        #expect(Set(serial.requests.map(\.device)).count == 11)
        let counts = Dictionary(serial.requests.map { ($0.device, $0.count) }, uniquingKeysWith: +)
        #expect(counts["genset"] == 40)
        #expect(counts["tank1-level"] == 2 && counts["flow1"] == 4 && counts["counter-north"] == 4)
        #expect(counts["ups1"] == 20 && counts["ups2"] == 20)
        #expect(serial.quantityRead == 106)
    }

    @Test func referenceWireTimeIsWithinTwoPercentOfTheIssueFigures() throws {
        let site = try Self.reference()
        let plan = try #require(RequestPlanner.plan(for: site).first { $0.bus == "rs485-1" })
        let estimate = try #require(site.wireTimeEstimate(for: plan))
        // Issue 3: 495 ms with one request per device, 2672 ms with one request per register, at 9600 8E1.
        #expect(abs(estimate.planned.milliseconds - 495) / 495 < 0.02)
        #expect(abs(estimate.onePerRegister.milliseconds - 2672) / 2672 < 0.02)
        #expect(estimate.planned.milliseconds.rounded() == 495)
        #expect(estimate.onePerRegister.milliseconds.rounded() == 2672)
        // The framing formula on the plan's counts: 11 requests of 8 + (5 + 2N) characters and two t3.5
        // silences each (7 characters), 106 registers, 11 bits a character at 9600 baud.
        let characters = Double(11 * (8 + 5 + 7) + 2 * 106)
        #expect(abs(estimate.planned.milliseconds - characters * 11 / 9.6) < 0.001)
        #expect(estimate.requestCount == 11 && estimate.registerCount == 106)
    }
}
