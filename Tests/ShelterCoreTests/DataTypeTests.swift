import Testing
@testable import ShelterCore
@Test func dataTypeNames() { #expect(DataType(name: "bit3") == .bit(3)) }
