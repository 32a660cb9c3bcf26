public import FoundationEssentials

/// One periodic status report for the registry (`POST /v1/shelters/{shelterId}/status`, DESIGN §4), shaped
/// like an OASIS EDXL-HAVE 2.0 facility status: lifecycle, capacity, resource status, the derived figures of
/// every check, device links and readings with quality, and the last update time with its time-zone offset.
///
/// JSON keys are camelCase; dates are ISO 8601 (`RegistryJSON.makeEncoder()`). Delivery is at least once:
/// the registry de-duplicates on `reportId`.
public struct StatusReport: Sendable, Hashable, Codable {
    /// Unique id of this report (never reused, also across restarts).
    public var reportId: String
    /// Per-gateway sequence number, ≥ 1, increasing by one per report created.
    public var sequence: Int64
    /// Registry id of the shelter.
    public var shelterId: String
    /// Id of the gateway that sent the report.
    public var gatewayId: String
    /// Version of the registered record the checks were evaluated against (0: site-file copy only).
    public var recordVersion: Int
    /// When the site was observed (the snapshot's time).
    public var observedAt: Date
    /// Lifecycle state with drill and unconfirmed-activation flags.
    public var lifecycle: LifecycleStatus
    /// Registered, occupied and available places (EDXL-HAVE `Capacity`).
    public var capacity: CapacityStatus
    /// Status of power, water, sanitation and comms (EDXL-HAVE `Resource`).
    public var resources: ResourceStatus
    /// Every check that ran, in check-id order.
    public var checks: [CheckResult]
    /// Link state of every device, by device name order.
    public var devices: [DeviceLinkStatus]
    /// The readings the report rests on, with their quality.
    public var readings: [ReadingStatus]
    /// Last update time in the site's local time with its offset (EDXL-HAVE `LastUpdateTime`).
    public var lastUpdate: ZonedTime

    public init(
        reportId: String, sequence: Int64, shelterId: String, gatewayId: String, recordVersion: Int,
        observedAt: Date, lifecycle: LifecycleStatus, capacity: CapacityStatus, resources: ResourceStatus,
        checks: [CheckResult], devices: [DeviceLinkStatus], readings: [ReadingStatus], lastUpdate: ZonedTime
    ) {
        self.reportId = reportId
        self.sequence = sequence
        self.shelterId = shelterId
        self.gatewayId = gatewayId
        self.recordVersion = recordVersion
        self.observedAt = observedAt
        self.lifecycle = lifecycle
        self.capacity = capacity
        self.resources = resources
        self.checks = checks
        self.devices = devices
        self.readings = readings
        self.lastUpdate = lastUpdate
    }
}

/// Registered, occupied and available places (EDXL-HAVE `Capacity`), in persons.
public struct CapacityStatus: Sendable, Hashable, Codable {
    /// Registered capacity (Sanmenxia measures art. 14 (3)), persons, ≥ 1.
    public var registered: Int
    /// Persons present; `nil` when occupancy is unknown (never a guessed 0).
    public var occupied: Int?
    /// `max(0, registered − occupied)`; `nil` when occupancy is unknown.
    public var available: Int?
    /// Notes on the occupancy figure: counter wrap, reset, in/out asymmetry, or why it is unknown.
    public var notes: [String]

    /// Capacity figures as received, every member as given: nothing is derived, so no value traps (a reader
    /// of untrusted input uses this; `init(registered:occupied:notes:)` computes `available`).
    public init(registered: Int, occupied: Int?, available: Int?, notes: [String]) {
        self.registered = registered
        self.occupied = occupied
        self.available = available
        self.notes = notes
    }

    public init(registered: Int, occupied: Int?, notes: [String] = []) {
        self.registered = registered
        self.occupied = occupied
        self.available = occupied.map { max(0, registered - $0) }
        self.notes = notes
    }
}

/// Level of one resource (EDXL-HAVE resource status). JSON: `"adequate"`, `"insufficient"`, `"unknown"`.
public enum ResourceLevel: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every check on the resource is ok.
    case adequate
    /// At least one check on the resource is warning or critical.
    case insufficient
    /// No check on the resource is bad, but at least one is unknown (or none ran).
    case unknown
}

/// Status of the emergency facilities art. 24 sets up: power, water, sanitation, comms.
public struct ResourceStatus: Sendable, Hashable, Codable {
    /// Emergency power (C-11 power, C-12, C-13, C-16).
    public var power: ResourceLevel
    /// Drinking water (C-05, C-06, C-11 water).
    public var water: ResourceLevel
    /// Sanitation (C-19).
    public var sanitation: ResourceLevel
    /// Communication with devices (C-22 and device links).
    public var comms: ResourceLevel

    public init(power: ResourceLevel, water: ResourceLevel, sanitation: ResourceLevel, comms: ResourceLevel) {
        self.power = power
        self.water = water
        self.sanitation = sanitation
        self.comms = comms
    }
}

/// Link state of one device.
public struct DeviceLinkStatus: Sendable, Hashable, Codable {
    /// Device name from the site configuration.
    public var device: String
    /// `up`, `degraded`, `down` or `unknown`.
    public var link: LinkState

    public init(device: String, link: LinkState) {
        self.device = device
        self.link = link
    }
}

/// Quality of a reported reading. JSON: `"good"`, `"stale"`, `"bad"`.
public enum ReadingQuality: String, Sendable, Hashable, Codable, CaseIterable {
    /// A value read within the freshness limit.
    case good
    /// A value older than the freshness limit (C-22: more than 3× the poll interval).
    case stale
    /// No value: the reason says why.
    case bad
}

/// One reading as reported: value and unit (or no value with the reason), with its quality.
public struct ReadingStatus: Sendable, Hashable, Codable {
    /// Device name from the site configuration.
    public var device: String
    /// Point name from the device's profile.
    public var point: String
    /// The standard quantity the point is bound to, e.g. `"water.tank.level"`, if any.
    public var quantity: Quantity?
    /// The value as a number (booleans 1/0); `nil` when there is no sample or the value is text.
    public var value: Double?
    /// The value of a text point (a serial number, a firmware version), as read; `nil` for numbers and when
    /// there is no sample. Issue 11: a string point reached the registry as "good" with no value.
    public var text: String?
    /// The unit after scale and offset, e.g. `"m"`; `nil` for booleans and counts.
    public var unit: String?
    /// good / stale / bad.
    public var quality: ReadingQuality
    /// Why there is no sample (`quality == .bad`), e.g. `"timeout"`.
    public var reason: NoSampleReason.Kind?
    /// When the value was read; `nil` if never.
    public var observedAt: Date?

    public init(
        device: String, point: String, quantity: Quantity? = nil, value: Double?, unit: String?,
        quality: ReadingQuality, reason: NoSampleReason.Kind? = nil, observedAt: Date?, text: String? = nil
    ) {
        self.text = text
        self.device = device
        self.point = point
        self.quantity = quantity
        self.value = value
        self.unit = unit
        self.quality = quality
        self.reason = reason
        self.observedAt = observedAt
    }
}
