import Foundation
import ShelterCore

/// Everything the registry keeps, behind one interface with two engines: `SQLiteRegistryStore` (embedded
/// default: the demo, the tests, a county) and `PostgresRegistryStore` (a city: several stateless registry
/// instances on one database). Both apply the same versioned migrations (`RegistryMigrations`) and answer
/// the same way; `Tests/RegistryTests` runs against each.
///
/// De-duplication is per gateway: a report or alert event is known by `(gatewayId, reportId)` /
/// `(gatewayId, eventId)`, enforced by unique constraints (so it holds across instances), never across all
/// shelters: another gateway posting the same id cannot suppress this gateway's payload (issue 12 item 5).
protocol RegistryStore: Sendable {
    /// Creates the shelter unless the database already holds it (a restarted registry keeps its state), and
    /// maps its gateways. A seed without a record creates a shelter with no filed record.
    func seed(_ seed: RegistryDirectory.ShelterSeed, at now: Date) async throws

    /// Records that `gatewayId` serves `shelterId` (the gateways table).
    func mapGateway(_ gatewayId: String, to shelterId: String) async throws

    /// The shelter with `id`, or `nil`.
    func shelter(_ id: String) async throws -> StoredShelter?

    /// Applies an operator's lifecycle decision and records who made it and when; `nil` when there is no such
    /// shelter.
    func setLifecycle(
        shelterId: String, _ change: LifecycleChange, by actor: String, at now: Date
    ) async throws
        -> LifecycleStatus?

    /// Files `record` (its `recordVersion` replaced by `RecordVersion.of(record)`); `nil` when there is no such
    /// shelter.
    func replaceRecord(_ record: ShelterRecord, by actor: String, at now: Date) async throws -> ShelterRecord?

    /// Stores the reports `gatewayId` sent that it does not hold yet, in one transaction, each as its `body`.
    func store(reports: [Received<StatusReport>], gatewayId: String, at now: Date) async throws -> BatchResult

    /// Stores the alert events `gatewayId` sent that it does not hold yet, each as its `body`, and moves each
    /// alert's current state (raised, updated, cancelled), in one transaction.
    func store(alerts: [Received<AlertEvent>], gatewayId: String, at now: Date) async throws -> BatchResult

    /// Stores a heartbeat (every one: they are not de-duplicated) and the gateway's last-heartbeat time, and
    /// reads what the heartbeat's answer carries for `shelterId`; `nil` when there is no such shelter.
    func store(heartbeat: HeartbeatRequest, shelterId: String, at now: Date) async throws -> HeartbeatAnswer?

    /// Reports received, optionally for one shelter, as a JSON array in arrival order.
    func reportsJSON(shelterId: String?) async throws -> [UInt8]

    /// Alert events received, optionally for one shelter, as a JSON array in arrival order.
    func alertsJSON(shelterId: String?) async throws -> [UInt8]

    /// Heartbeats received as a JSON array of `{ "receivedAt": …, "heartbeat": … }`, arrival order.
    func heartbeatsJSON() async throws -> [UInt8]

    /// Every stored event with this `eventId` (one per gateway that used it), arrival order.
    func alertEvents(eventId: String) async throws -> [StoredAlertEvent]

    /// The events of one alert (`gatewayId`, `alertId`), arrival order.
    func alertHistory(gatewayId: String, alertId: String) async throws -> [StoredAlertEvent]

    /// The latest event of every alert not cancelled, newest first, at most `limit`.
    func openAlerts(limit: Int) async throws -> [StoredAlertEvent]

    /// The current state of one alert, or `nil` when no event of it was received.
    func alertState(gatewayId: String, alertId: String) async throws -> AlertState?

    /// Records an operator's acknowledgement of an alert; `nil` when no event of it was received.
    func acknowledge(
        gatewayId: String, alertId: String, by actor: String, note: String, at now: Date
    ) async throws
        -> AlertState?

    /// Prepares storage ahead of need: on PostgreSQL the month partitions of `reports` for this month and the
    /// next ones (`PostgresRegistryStore.ensureReportPartitions`); nothing on SQLite. Returns what it created.
    func prepareStorage(at now: Date) async throws -> [String]

    /// Deletes heartbeats, reports and closed alerts received before `cutoff`, keeping everything an alert
    /// that is still open refers to (its events, and its shelter's reports since the alert was raised).
    func prune(before cutoff: Date) async throws -> PruneCounts
}

/// A shelter as the registry holds it. `record` is `nil` until a record is filed: the registry then answers
/// 404 for the record, never a placeholder (issue 11 item 1).
struct StoredShelter: Sendable, Equatable {
    var id: String
    var record: ShelterRecord?
    var lifecycle: LifecycleState
    var isDrill: Bool
    /// Grade of the shelter (e.g. "I", "II", "III" per GB 21734), for the bureau's console; may be empty.
    var grade: String
    /// Administrative division code (GB/T 2260, six digits) of the shelter's district; may be empty.
    var divisionCode: String
}

/// What a heartbeat's answer carries of the shelter: the operators' lifecycle decision and the filed record's
/// version (0 when none is filed), read without decoding the record.
struct HeartbeatAnswer: Sendable, Equatable {
    var lifecycle: LifecycleState
    var isDrill: Bool
    var recordVersion: Int
}

/// An alert event with when this registry received it.
struct StoredAlertEvent: Sendable, Equatable {
    var event: AlertEvent
    var receivedAt: Date
}

/// The current state of one alert (all its events folded), with the bureau's acknowledgement.
struct AlertState: Sendable, Equatable, Codable {
    enum Phase: String, Sendable, Codable { case raised, updated, cancelled }
    var gatewayId: String
    var alertId: String
    var shelterId: String
    var phase: Phase
    var severity: String
    var status: String
    var raisedAt: Date
    var updatedAt: Date
    var cancelledAt: Date?
    var lastEventId: String
    var acknowledgedBy: String?
    var acknowledgedAt: Date?
    var acknowledgementNote: String?
}

/// What one `prune(before:)` deleted.
struct PruneCounts: Sendable, Equatable, Codable {
    var heartbeats = 0
    var reports = 0
    var alertEvents = 0
    var alerts = 0
}

extension AlertState.Phase {
    /// The phase an alert is in after an event of `msgType`.
    init(_ msgType: CAPMessageType) {
        switch msgType {
        case .alert: self = .raised
        case .update: self = .updated
        case .cancel: self = .cancelled
        }
    }
}

/// A report or alert event as received: the decoded, validated value and the JSON stored for it (the
/// gateway's array element without insignificant whitespace, `JSONArrayScanner`, or the canonical encoding
/// when the scanner could not walk the body).
struct Received<Payload: Sendable>: Sendable {
    var payload: Payload
    var body: [UInt8]
}

/// JSON listings built from stored bodies without re-encoding them.
enum StoredJSON {
    /// `[item,item,…]`.
    static func array(_ items: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = [0x5B]
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(0x2C) }
            out += item
        }
        out.append(0x5D)
        return out
    }

    /// `{"receivedAt":"…","heartbeat":BODY}`.
    static func heartbeatItem(receivedAt: Date, body: [UInt8]) throws -> [UInt8] {
        let stamp = try RegistryJSON.makeEncoder().encode(["receivedAt": receivedAt])  // {"receivedAt":"…"}
        return Array(stamp.dropLast()) + Array(",\"heartbeat\":".utf8) + body + [0x7D]
    }
}
