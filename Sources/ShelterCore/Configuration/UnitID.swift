/// A Modbus unit id (slave address): 1...247 on a serial line, 0...247 or 255 on Modbus TCP
/// (248–254 are reserved; libmodbus refuses them).
///
/// Source: Modbus over Serial Line V1.02 §2.2 (addresses 1–247; 0 is broadcast) and Modbus Messaging on
/// TCP/IP V1.0b §4.4.1 (unit identifier 0–255, 0xFF when unused).
public struct UnitID: RawRepresentable, Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
    public static func < (lhs: UnitID, rhs: UnitID) -> Bool { lhs.rawValue < rhs.rawValue }
}
