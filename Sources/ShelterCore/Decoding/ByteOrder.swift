/// The order of bytes of a multi-register value as it arrives on the wire.
///
/// Letters name the bytes of the value from most to least significant: `ABCD` is big-endian in both words
/// and bytes (the Modbus default), `CDAB` swaps the two 16-bit words ("word swap"), `BADC` swaps the bytes
/// inside each word, `DCBA` is fully little-endian. The raw value is the config-file spelling.
public enum ByteOrder: String, Sendable, Hashable, CaseIterable, Codable {
    /// One register, big-endian (the Modbus default for 16-bit values).
    case ab = "AB"
    /// One register, bytes swapped.
    case ba = "BA"
    /// Two registers, big-endian words and bytes.
    case abcd = "ABCD"
    /// Two registers, word-swapped.
    case cdab = "CDAB"
    /// Two registers, byte-swapped within each word.
    case badc = "BADC"
    /// Two registers, fully little-endian.
    case dcba = "DCBA"
    /// Four registers, big-endian.
    case abcdefgh = "ABCDEFGH"
    /// Four registers, fully little-endian.
    case hgfedcba = "HGFEDCBA"
    /// Four registers, byte-swapped within each word.
    case badcfehg = "BADCFEHG"
    /// Four registers, word order reversed.
    case ghefcdab = "GHEFCDAB"

    /// How many 16-bit registers an order of this length describes: 1, 2 or 4.
    public var registerCount: Int {
        switch self {
        case .ab, .ba: 1
        case .abcd, .cdab, .badc, .dcba: 2
        case .abcdefgh, .hgfedcba, .badcfehg, .ghefcdab: 4
        }
    }

    /// The big-endian order for a value `registerCount` registers wide (1, 2 or 4); `nil` for other widths.
    public static func bigEndian(registerCount: Int) -> ByteOrder? {
        switch registerCount {
        case 1: .ab
        case 2: .abcd
        case 4: .abcdefgh
        default: nil
        }
    }
}
