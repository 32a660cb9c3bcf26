import FoundationEssentials
import Testing

@testable import ShelterCore

/// `RegistryJSON.makeDecoder()` reads dates with a fast path for the encoder's own form: it must accept the
/// same strings as `.iso8601`, give the same instants and refuse with the same error.
@Suite("Registry JSON dates")
struct RegistryJSONDateTests {
    private struct Stamped: Decodable { var at: Date }

    private static let iso8601: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// The outcome of decoding `{"at": value}`: the instant, or the error's description.
    private func outcome(_ decoder: JSONDecoder, _ value: String) -> String {
        do {
            return String(
                try decoder.decode(Stamped.self, from: Data("{\"at\":\(value)}".utf8)).at.timeIntervalSince1970)
        } catch {
            return "\(error)"
        }
    }

    @Test(
        "reads every string as .iso8601 does, the encoder's form and the edge cases alike",
        arguments: [
            "2026-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "1900-01-01T00:00:00Z",
            "1899-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "1582-10-15T00:00:00Z", "9999-12-31T23:59:59Z",
            "2000-02-29T12:34:56Z", "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
            "2026-02-30T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-32T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-00-10T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z",
            "2026-01-01T23:59:60Z", "2026-01-01T08:00:00+08:00", "2026-01-01T00:00:00.5Z", "2026-01-01t00:00:00z",
            "2026-01-01 00:00:00Z", "20260101T000000Z", "2026-01-01T00:00:00", "2026-1-01T00:00:00Z",
            "+026-01-01T00:00:00Z", "2026-01-01T00:00:0xZ", "x", "",
        ].map { "\"\($0)\"" } + ["null", "5", "true", "{}"])
    func matchesISO8601(value: String) {
        #expect(outcome(RegistryJSON.makeDecoder(), value) == outcome(Self.iso8601, value))
    }

    @Test("reads the encoder's form of every day from 1900 to 9999 (a sample) as .iso8601 does")
    func matchesISO8601OverYears() throws {
        let formatter = RegistryJSON.makeEncoder()
        var generator = SplitMix64(seed: 14)
        for _ in 0..<2_000 {
            let seconds = Double(Int64(generator.next() % 255_000_000_000)) - 2_208_988_800  // 1900...9999
            let value = String(decoding: try formatter.encode([Date(timeIntervalSince1970: seconds)]), as: UTF8.self)
                .dropFirst().dropLast()
            #expect(RegistryJSON.wholeSecondsUTC(String(value.dropFirst().dropLast())) != nil, "\(value)")
            #expect(outcome(RegistryJSON.makeDecoder(), String(value)) == outcome(Self.iso8601, String(value)))
        }
    }
}

/// A small seeded generator, so the sample is the same on every run.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
