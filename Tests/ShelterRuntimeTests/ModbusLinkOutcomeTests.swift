import Modbus
import ShelterCore
import Testing

@testable import ShelterRuntime

/// The link adapter classifies each failure once (DESIGN §3); an exception keeps its code, and an exception
/// code the library cannot name stays unnamed: no invented number.
@Suite("ModbusContextLink: failure classification")
struct ModbusLinkOutcomeTests {
    @Test("a named exception keeps its code; an unknown one has none; a timeout is a failure")
    func classification() {
        guard case .exception(let code, _) = ModbusContextLink.outcome(of: .illegalDataAddress) else {
            Issue.record("exception 2 must be an exception outcome")
            return
        }
        #expect(code == 2)
        guard case .exception(let unknown, let detail) = ModbusContextLink.outcome(of: .unknownException) else {
            Issue.record("an unknown exception is still the device's answer")
            return
        }
        #expect(unknown == nil)
        #expect(!detail.isEmpty)
        guard case .failed(let kind, _, _) = ModbusContextLink.outcome(of: .timedOut) else {
            Issue.record("a timeout is no answer")
            return
        }
        #expect(kind == .timeout)
    }
}
