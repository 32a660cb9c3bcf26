import FoundationEssentials
import ShelterCore
@testable import ShelterRuntime
import Testing

@Suite("Counters across a reload")
struct ReloadCountersTests {
    @Test("a reload keeps a device's counts and last answer (issue 11: 'never answered · 0/0' after SIGHUP)")
    func reloadKeepsCounters() {
        let answeredAt = Date(timeIntervalSince1970: 1_800_000_000)
        var kept = DeviceCounters(device: "m1", bus: "rs485", unitID: 1)
        kept.requests = 12
        kept.successes = 11
        kept.failures = [.timeout: 1]
        kept.lastSuccessAt = answeredAt
        kept.linkState = .up
        var readdressed = DeviceCounters(device: "m2", bus: "rs485", unitID: 9)  // now unit 2: another device
        readdressed.requests = 5
        let schedule = TestProfiles.schedule(
            bus: "rs485", transport: .serial(SerialLine(device: "/dev/null", parity: .even)),
            devices: [("m1", 1), ("m2", 2)])
        let worker = BusWorker(
            bus: schedule.bus, devices: schedule.devices, sink: CollectingSink(), carrying: [kept, readdressed],
            logger: TestProfiles.logger)
        let counters = worker.counters()
        #expect(counters.map(\.device) == ["m1", "m2"])
        #expect(counters[0].requests == 12)
        #expect(counters[0].successes == 11)
        #expect(counters[0].failures == [.timeout: 1])
        #expect(counters[0].lastSuccessAt == answeredAt)
        #expect(counters[0].linkState == .unknown)  // its health starts again: not "up" before it answers
        #expect(counters[1].requests == 0)
        #expect(counters[1].lastSuccessAt == nil)
    }
}
