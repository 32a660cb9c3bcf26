import Glibc
import Testing

@testable import Modbus

@Suite("ModbusError")
struct ModbusErrorTests {
    @Test("exception codes 1...11 are rebuilt from MODBUS_ENOBASE")
    func exceptionCodes() {
        #expect(ModbusError.illegalFunction.rawValue == 112_345_679)
        #expect(ModbusError.gatewayTargetDeviceFailedToRespond.rawValue == 112_345_689)
        #expect(ModbusError.badCRC.rawValue == 112_345_690)
        #expect(ModbusError.wrongUnitID.rawValue == 112_345_695)
        for code in UInt8(1)...11 {
            #expect(ModbusError(exceptionCode: code).exceptionCode == code)
            #expect(ModbusError(exceptionCode: code).kind == .exception)
        }
        #expect(ModbusError.badData.exceptionCode == nil)
    }

    @Test("descriptions come from modbus_strerror and name the exception code")
    func descriptions() {
        #expect(ModbusError.illegalDataAddress.description == "illegal data address (exception 2)")
        #expect(ModbusError.serverDeviceBusy.description == "slave device or server is busy (exception 6)")
        #expect(ModbusError.badCRC.description == "invalid CRC")
        #expect(ModbusError.timedOut.description == "connection timed out")
    }

    @Test(
        "classification drives recovery",
        arguments: [
            (ModbusError.serverDeviceBusy, ModbusError.Kind.exception),
            (.unknownException, .exception),
            (.timedOut, .timeout),
            (.badCRC, .badData),
            (.badData, .badData),
            (.wrongUnitID, .badData),
            (.connectionReset, .linkLost),
            (.brokenPipe, .linkLost),
            (.badFileDescriptor, .linkLost),
            (.connectionRefused, .linkLost),
            (ModbusError(rawValue: ENOTCONN), .linkLost),
            (.invalidArgument, .other),
            (.tooManyData, .other),
        ])
    func classification(error: ModbusError, kind: ModbusError.Kind) {
        #expect(error.kind == kind)
    }

    @Test("catch clauses match named codes")
    func catchPattern() {
        func fail() throws { throw ModbusError.serverDeviceBusy }
        var matched = false
        do { try fail() } catch ModbusError.illegalDataAddress {
            Issue.record("matched the wrong code")
        } catch ModbusError.serverDeviceBusy {
            matched = true
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(matched)
    }
}
