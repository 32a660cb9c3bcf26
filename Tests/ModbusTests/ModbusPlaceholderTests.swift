import Testing
@testable import Modbus
@Test func placeholder() { #expect(1 == 1) }
