import FoundationEssentials
import Logging
import Platform
import ShelterCore
import ShelterTesting
import Testing

@testable import ShelterRuntime

/// Issue 13: the checks are evaluated when data arrives, not at the next periodic tick. The tick interval here is
/// an hour, so an event that follows a batch of results can only come from the evaluation on arrival (the wait
/// is generous: the suite runs in parallel on a loaded pool).
@Suite("Assessment on arrival")
struct AgentServicesArrivalTests {
    @Test("a batch of poll results is assessed at once: a device read again cancels its C-22 alert")
    func assessedOnArrival() async throws {
        let h = try AgentServicesTests.Harness()
        let (results, continuation) = AsyncStream.makeStream(of: [DevicePollResult].self)
        var configuration = AssessmentService.Configuration()
        configuration.machine.startupGrace = .zero
        configuration.machine.tickInterval = .seconds(3600)
        let service = AssessmentService(
            site: h.site, outbox: h.outbox, stateDirectory: h.directory, clock: h.clock, shared: h.shared,
            results: results, counters: { [] }, configuration: configuration, startedAt: h.clock.now,
            logger: Logger(label: "test"))
        // Ticked by hand until the never-read devices raise C-22.
        for _ in 0..<200 where h.outbox.alerts.isEmpty {
            h.clock.advance(by: 10)
            await service.tick()
        }
        let table = PointTable(devices: h.site.devices)
        let device = try #require(
            h.outbox.alerts.first { $0.parameters.checkId == .dataFreshness }?.parameters.subject)
        let d = try #require(table.deviceIndex(named: device))
        let running = Task { try await service.run() }
        defer { running.cancel() }
        let now = MonotonicInstant.now
        continuation.yield([
            DevicePollResult(
                bus: h.site.devices[d].busName, device: device, deviceIndex: d, linkState: .up,
                pointNames: table.points[table.base[d]..<table.base[d + 1]].map(\.name),
                readings: PollReadings(repeating: .value(.uint(1)), count: table.pointCount(ofDevice: d)),
                observedAt: h.clock.now, startedAt: now, endedAt: now)
        ])
        let cancelled = await eventually(timeout: .seconds(60)) {
            h.outbox.alerts.contains {
                $0.msgType == .cancel && $0.parameters.checkId == .dataFreshness && $0.parameters.subject == device
            }
        }
        #expect(cancelled)
    }
}
