import Testing
@testable import ShelterCore

/// Pure validation rules that the golden folders do not pin down one by one.
@Suite struct SiteValidationTests {
    static func point(
        _ name: String, _ function: String, _ address: Int, type: String? = nil, order: String? = nil
    )
        -> ProfileFile.Point
    {
        var point = ProfileFile.Point()
        point.name = name
        point.function = function
        point.address = address
        point.type = type
        point.byteOrder = order
        return point
    }

    static func profile(_ points: [ProfileFile.Point]) -> ProfileFile {
        var file = ProfileFile()
        file.vendor = "v"
        file.model = "m"
        file.document = "d"
        file.points = points
        return file
    }

    @Test func decodingIsResolvedOnceWithDefaults() throws {
        let (profile, issues) = DeviceProfile.validate(
            Self.profile([
                Self.point("a", "holding", 0), Self.point("b", "input", 1, type: "float32", order: "cdab"),
                Self.point("c", "discrete", 7),
            ]), name: "p", file: "p.toml")
        #expect(issues.isEmpty)
        let points = try #require(profile?.points)
        #expect(points[0].type == .uint16 && points[0].byteOrder == .ab && points[0].scale == 1)
        #expect(points[1].type == .float32 && points[1].byteOrder == .cdab)
        #expect(points[2].type == .boolean && points[2].function == .discreteInput)
    }

    @Test func bitsOfOneRegisterMayShareItButWordsMayNot() {
        let (_, issues) = DeviceProfile.validate(
            Self.profile([
                Self.point("b0", "holding", 5, type: "BIT0"), Self.point("b1", "holding", 5, type: "BIT1"),
                Self.point("b1again", "holding", 5, type: "BIT1"), Self.point("w", "holding", 5),
            ]), name: "p", file: "p.toml")
        #expect(
            issues.map(\.keyPath) == [
                "points[2].address", "points[3].address", "points[3].address", "points[3].address",
            ])
    }

    @Test func sentinelsMustFitTheRawWidth() {
        var wide = Self.point("x", "holding", 0, type: "UINT16")
        wide.sentinels = [65535, 65536, -1]
        let (_, issues) = DeviceProfile.validate(Self.profile([wide]), name: "p", file: "p.toml")
        #expect(issues.map(\.keyPath) == ["points[0].sentinels[1]", "points[0].sentinels[2]"])
    }

    @Test func aBooleanQuantityNeedsABooleanPoint() {
        var point = Self.point("x", "holding", 0)
        point.quantity = "power.mains.present"
        let (_, issues) = DeviceProfile.validate(Self.profile([point]), name: "p", file: "p.toml")
        #expect(issues.map(\.keyPath) == ["points[0].type"])
    }

    @Test("a filed GB/T 2260 division code is six digits; a valid one reaches the record")
    func divisionCodeIsSixDigits() throws {
        var file = SiteFixture.file()
        file.record?.location?.divisionCode = "41120"
        let refused = SiteConfiguration.validate(file, file: "site.toml", profiles: [:])
        guard case .failure(let error) = refused else {
            Issue.record("a five-digit code was accepted")
            return
        }
        #expect(error.issues.map(\.keyPath) == ["record.location.division_code"])
        #expect(error.issues.first?.value == "41120")
        file.record?.location?.divisionCode = "411202"
        let accepted = try SiteConfiguration.validate(file, file: "site.toml", profiles: [:]).get()
        #expect(accepted.record.location.divisionCode == "411202")
    }

    @Test func unitIDRulesDependOnTheBus() {
        var site = SiteFile()
        var serial = SiteFile.Bus()
        serial.name = "s"
        serial.kind = "serial"
        serial.device = "/dev/ttyS0"
        var tcp = SiteFile.Bus()
        tcp.name = "t"
        tcp.kind = "tcp"
        tcp.host = "h"
        site.buses = [serial, tcp]
        func device(_ bus: String, _ unit: Int) -> SiteFile.Device {
            var device = SiteFile.Device()
            device.name = "\(bus)\(unit)"
            device.bus = bus
            device.unitId = unit
            device.points = [SiteValidationTests.point("a", "holding", 0)]
            return device
        }
        site.devices = [
            device("s", 247), device("s", 248), device("t", 0), device("t", 255), device("t", 256), device("t", 247),
            device("t", 248), device("t", 254),
        ]
        guard case .failure(let error) = SiteConfiguration.validate(site, file: "s.toml", profiles: [:]) else {
            Issue.record("expected issues")
            return
        }
        let unitIssues = error.issues.filter { $0.keyPath.hasSuffix("unit_id") }.map(\.keyPath)
        #expect(unitIssues == ["devices[1].unit_id", "devices[4].unit_id", "devices[6].unit_id", "devices[7].unit_id"])
        let reserved = error.issues.first { $0.keyPath == "devices[6].unit_id" }
        #expect(reserved?.message == "out of range: on Modbus TCP unit ids are 0...247 or 255 (248...254 are reserved)")
    }
}
