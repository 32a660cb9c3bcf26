import Foundation
import Testing

@testable import ShelterCore

@Suite("Registered record JSON")
struct ShelterRecordCodingTests {
    let record = ShelterRecord(
        id: "SMX-HB-0007", name: "No. 7 Middle School",
        location: .init(address: "Hubin", latitude: 34.77, longitude: 111.2),
        effectiveArea: 3600, capacity: 2000, designDuration: .seconds(2 * 86_400 + 43_200),
        facilities: .init(
            generators: [
                .init(name: "gen1", ratedPower: 150, fuelTankCapacity: 1000, unusableFuel: 50, burnRateAtLoad: 32)
            ],
            waterTanks: [
                .init(
                    name: "tank1", capacity: 35000, deadVolume: 1500,
                    levelToVolume: [.init(level: 0, volume: 0), .init(level: 2.5, volume: 35000)], height: 2.5)
            ]),
        recordVersion: 4)

    @Test("the design duration travels as days, and the record round-trips")
    func roundTrip() throws {
        let data = try RegistryJSON.makeEncoder().encode(record)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"designDurationDays\":2.5"))
        #expect(!text.contains("\"designDuration\":"))
        #expect(try RegistryJSON.makeDecoder().decode(ShelterRecord.self, from: data) == record)
        // The reserve defaults to the design duration in days.
        #expect(record.reserveDays == 2.5)
    }

    @Test("a nonsensical design duration is refused, not turned into a number", arguments: ["0", "-1", "1e9"])
    func badDuration(days: String) throws {
        var text = String(decoding: try RegistryJSON.makeEncoder().encode(record), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"designDurationDays\":2.5", with: "\"designDurationDays\":\(days)")
        #expect(throws: DecodingError.self) {
            try RegistryJSON.makeDecoder().decode(ShelterRecord.self, from: Data(text.utf8))
        }
    }
}
