import FoundationEssentials
import ShelterCore

/// What a simulated gateway sends: the agent's payload types, ids with 64 random bits.
struct LoadPayloads {
    let gatewayId: String
    let shelterId: String
    private let encoder = RegistryJSON.makeEncoder()

    func heartbeat(uptime: Duration) throws -> [UInt8] {
        Array(
            try encoder.encode(
                HeartbeatRequest(
                    gatewayId: gatewayId, shelterId: shelterId, agentVersion: "bench", uptime: uptime, sentAt: Date(),
                    recordVersion: 0, lifecycle: LifecycleStatus(state: .activated),
                    outbox: OutboxHealth(depth: 0, oldestAge: nil, deadLetters: 0),
                    devices: [DeviceLinkStatus(device: "counter1", link: .up)])))
    }

    func report(sequence: Int64) throws -> [UInt8] {
        let now = Date()
        let report = StatusReport(
            reportId: "rpt-\(gatewayId)-\(UInt64.random(in: .min ... .max))", sequence: sequence, shelterId: shelterId,
            gatewayId: gatewayId, recordVersion: 0, observedAt: now, lifecycle: LifecycleStatus(state: .activated),
            capacity: CapacityStatus(registered: 2000, occupied: 1200, notes: []),
            resources: ResourceStatus(power: .adequate, water: .adequate, sanitation: .adequate, comms: .adequate),
            checks: [
                CheckResult(
                    checkId: .occupancy, status: .ok, value: MeasuredValue(0.6, unit: "1"),
                    threshold: ThresholdUsed(
                        warning: 0.9, critical: 1.0, unit: "1", direction: .above, origin: .record),
                    source: "record", summary: "1200 of 2000 registered persons")
            ],
            devices: [DeviceLinkStatus(device: "counter1", link: .up)],
            readings: [
                ReadingStatus(
                    device: "tank1", point: "level", quantity: .init(rawValue: "water.tank.level"), value: 1.25,
                    unit: "m", quality: .good, observedAt: now)
            ],
            lastUpdate: ZonedTime(instant: now, utcOffsetMinutes: 480))
        return Array(try encoder.encode([report]))
    }

    func alert(number: Int) throws -> [UInt8] {
        let now = Date()
        let event = AlertEvent(
            alertId: "alr-\(gatewayId)-\(number)", eventId: "evt-\(gatewayId)-\(UInt64.random(in: .min ... .max))",
            shelterId: shelterId, gatewayId: gatewayId, references: [], status: .exercise, msgType: .alert,
            category: .safety, event: "Shelter occupancy near capacity", urgency: .immediate, severity: .moderate,
            certainty: .observed, onset: now, sent: now, headline: "C-01 warning: occupancy 92 %",
            description: "1840 persons present, registered capacity 2000.", instruction: "Prepare overflow space.",
            parameters: AlertParameters(
                checkId: .occupancy, subject: "", checkStatus: .warning, value: MeasuredValue(0.92, unit: "1"),
                threshold: 0.9, thresholdOrigin: .record, occupancy: 1840, capacity: 2000))
        return Array(try encoder.encode([event]))
    }
}
