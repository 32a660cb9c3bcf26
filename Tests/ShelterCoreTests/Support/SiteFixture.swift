import FoundationEssentials

@testable import ShelterCore

/// A small validated site for the tick machine's tests: one TCP bus, three devices (a head counter, a tank
/// level in m, a generator fuel level in %), the `ShelterFixture` record (t1 100 000 L over 4 m; gen1
/// 1000 L tank, 50 L unusable, 20 L/h), and a report cadence of 900 s standby, 60 s activated, 20 s drill.
enum SiteFixture {
    static func point(
        _ name: String, address: Int, type: String = "UINT16", unit: String? = nil, scale: Double? = nil
    )
        -> ProfileFile.Point
    {
        var point = ProfileFile.Point()
        point.name = name
        point.function = "holding"
        point.address = address
        point.type = type
        point.unit = unit
        point.scale = scale
        return point
    }

    static func device(_ name: String, unit: Int, points: [ProfileFile.Point]) -> SiteFile.Device {
        var device = SiteFile.Device()
        device.name = name
        device.bus = "lan"
        device.unitId = unit
        device.points = points
        return device
    }

    static func binding(
        _ quantity: Quantity, _ device: String, _ point: String, facility: String? = nil
    )
        -> SiteFile.Binding
    {
        SiteFile.Binding(quantity: quantity.rawValue, facility: facility, device: device, point: point)
    }

    /// The site file; `record` is the `[record]` table as the site file states it.
    static func file(record: ShelterRecord = ShelterFixture.record()) -> SiteFile {
        var file = SiteFile()
        file.gateway = SiteFile.Gateway(
            id: "gw-1", stateDirectory: "/var/lib/shelter-agent", registryUrl: "https://registry.example",
            caBundle: "/etc/ca.pem", clientCertificate: "/etc/gw.pem", clientKey: "/etc/gw.key")
        var bus = SiteFile.Bus()
        bus.name = "lan"
        bus.kind = "tcp"
        bus.host = "127.0.0.1"
        bus.port = 502
        file.buses = [bus]
        file.devices = [
            device("counter", unit: 1, points: [point("present", address: 0)]),
            device("water", unit: 2, points: [point("level", address: 0, unit: "m", scale: 0.01)]),
            device("gen", unit: 3, points: [point("fuel", address: 0, unit: "%")]),
        ]
        file.record = SiteFile.Record(record)
        file.bindings = [
            binding(.occupancyPresent, "counter", "present"),
            binding(.waterTankLevel, "water", "level", facility: "t1"),
            binding(.generatorFuelLevel, "gen", "fuel", facility: "gen1"),
        ]
        file.reportingIntervalSeconds = ["standby": 900, "activated": 60, "drill": 20]
        return file
    }

    static func configuration(record: ShelterRecord = ShelterFixture.record()) throws -> SiteConfiguration {
        try SiteConfiguration.validate(file(record: record), file: "site.toml", profiles: [:]).get()
    }

    /// One poll of each device: `persons` present, the tank at `levelMetres`, the fuel at `fuelPercent`.
    static func poll(
        _ machine: inout AgentStateMachine, at now: Date, persons: Int = 1000, levelMetres: Double = 2,
        fuelPercent: Double = 53
    ) {
        func sample(_ device: String, _ point: String, _ value: SampleValue) -> Sample {
            Sample(device: device, point: point, reading: .value(value), observedAt: now)
        }
        machine.pollResultReceived(
            device: "counter", linkState: .up, samples: [sample("counter", "present", .int(Int64(persons)))], at: now)
        machine.pollResultReceived(
            device: "water", linkState: .up, samples: [sample("water", "level", .double(levelMetres))], at: now)
        machine.pollResultReceived(
            device: "gen", linkState: .up, samples: [sample("gen", "fuel", .double(fuelPercent))], at: now)
    }
}
