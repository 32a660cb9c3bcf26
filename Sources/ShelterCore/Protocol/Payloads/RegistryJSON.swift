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

    /// A new decoder configured for registry payloads.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
