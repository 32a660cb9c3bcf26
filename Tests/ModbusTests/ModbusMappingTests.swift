import Modbus
import Testing

@Suite("ModbusMapping")
struct ModbusMappingTests {
    @Test("serves ranges with start addresses and refuses addresses outside them")
    func startAddresses() throws {
        let mapping = try ModbusMapping(holdingRegisters: 100..<110, inputRegisters: 30000..<30002)
        try mapping.setRegisters([7, 8], in: .holdingRegisters, startingAt: 108)
        #expect(mapping.registers(in: .holdingRegisters, startingAt: 108, count: 2) == [7, 8])
        #expect(mapping.registers(in: .holdingRegisters, startingAt: 109, count: 2) == nil)
        #expect(mapping.registers(in: .holdingRegisters, startingAt: 99, count: 1) == nil)
        #expect(throws: ModbusError.illegalDataAddress) {
            try mapping.setRegisters([1, 2, 3], in: .inputRegisters, startingAt: 30000)
        }
        #expect(throws: ModbusError.invalidArgument) {
            try mapping.setBits([true], in: .holdingRegisters, startingAt: 100)
        }
        #expect(mapping.bits(in: .coils, startingAt: 0, count: 1) == nil)
    }
}
