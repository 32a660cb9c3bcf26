public import FoundationEssentials

/// The JSON coding every registry payload uses: camelCase keys (the Swift property names), dates as
/// ISO 8601 (`.iso8601`, whole seconds, UTC), keys sorted so equal payloads encode to equal bytes.
public enum RegistryJSON {
    /// A new encoder configured for registry payloads.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// A new decoder configured for registry payloads. Dates read as `.iso8601` reads them
    /// (`decodeDate(from:)`).
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom(decodeDate(from:))
        return decoder
    }

    /// Reads a date exactly as `JSONDecoder.DateDecodingStrategy.iso8601` does (the same strings accepted, the
    /// same instants, the same error), with the form the encoder writes, `2026-01-01T08:00:00Z`, read without
    /// `Date.ISO8601FormatStyle`: the style's parser took 5 % of the registry's CPU during a drain.
    ///
    /// - Throws: `DecodingError.dataCorrupted` ("Expected date string to be ISO8601-formatted.") for a string
    ///   `.iso8601` refuses; a type mismatch when the value is not a string.
    @Sendable public static func decodeDate(from decoder: any Decoder) throws -> Date {
        let string = try decoder.singleValueContainer().decode(String.self)
        if let date = wholeSecondsUTC(string) { return date }
        guard let date = try? Date.ISO8601FormatStyle().parse(string) else {
            // Without a coding path, as `.iso8601` throws it (so a refusal's issue is unchanged).
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "Expected date string to be ISO8601-formatted."))
        }
        return date
    }

    /// `YYYY-MM-DDThh:mm:ssZ` with a Gregorian date in 1900...9999 and a time within 00:00:00...23:59:59;
    /// `nil` for anything else (fractions, offsets, 24:00, leap seconds, 30 February), which the caller hands
    /// to the style's parser.
    static func wholeSecondsUTC(_ string: String) -> Date? {
        var string = string
        return string.withUTF8 { bytes -> Date? in
            guard bytes.count == 20, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A,
                bytes[16] == 0x3A, bytes[19] == 0x5A
            else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    let digit = Int(bytes[index]) - 0x30
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
                let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
                (1900...9999).contains(year), (1...12).contains(month), hour < 24, minute < 60, second < 60
            else { return nil }
            guard (1...ZonedTime.daysIn(month: month, year: year)).contains(day) else { return nil }
            let days = ZonedTime.daysSinceEpoch(year: year, month: month, day: day)
            return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3_600 + minute * 60 + second))
        }
    }
}
