public import FoundationEssentials

/// One alert event for the registry (`POST /v1/shelters/{shelterId}/alerts`, DESIGN §4): a raise, update or
/// resolve of one condition instance, with its fields mapped onto OASIS CAP 1.2 `alert`/`info`.
///
/// `alertId` is stable for the condition instance (from first firing to resolution); `eventId` is unique per
/// event, and the registry de-duplicates on it (delivery is at least once). JSON keys camelCase; CAP enum
/// values keep CAP's spelling (`"Actual"`, `"Alert"`, `"Severe"`, …); dates ISO 8601.
public struct AlertEvent: Sendable, Hashable, Codable {
    /// Stable id of the condition instance; the same on the Alert, every Update and the Cancel.
    public var alertId: String
    /// Unique id of this event (CAP `identifier`).
    public var eventId: String
    /// Registry id of the shelter.
    public var shelterId: String
    /// Id of the gateway that raised it (CAP `sender`).
    public var gatewayId: String
    /// `eventId`s of earlier events of the same `alertId`, oldest first (CAP `references`); empty on the Alert.
    public var references: [String]
    /// CAP `status`: `Actual`, or `Exercise` during a drill (never `Actual` in a drill).
    public var status: CAPStatus
    /// CAP `msgType`: `Alert` (raised), `Update` (severity or figures changed), `Cancel` (resolved).
    public var msgType: CAPMessageType
    /// CAP `category`, e.g. `Infra` for power and water, `Health` for sanitation, `Safety` for occupancy.
    public var category: CAPCategory
    /// CAP `event`: short name of the condition, e.g. `"Shelter occupancy near capacity"`.
    public var event: String
    /// CAP `urgency`.
    public var urgency: CAPUrgency
    /// CAP `severity`: `Severe` for a critical check, `Moderate` for a warning.
    public var severity: CAPSeverity
    /// CAP `certainty`: `Observed` for a measured fact, `Likely` for a projection (time until full, days of
    /// water, fuel or battery autonomy).
    public var certainty: CAPCertainty
    /// CAP `onset`: when the condition began (the check first crossed its threshold).
    public var onset: Date
    /// CAP `sent`: when this event was created.
    public var sent: Date
    /// CAP `headline`: one line, e.g. `"C-01 warning: occupancy 92 % of registered capacity"`.
    public var headline: String
    /// CAP `description`: what was measured, against what, from which source.
    public var description: String
    /// CAP `instruction`: what the site manager should do.
    public var instruction: String
    /// CAP `parameter` values.
    public var parameters: AlertParameters
    /// The texts in every language, one block per language, zh-CN first (CAP 1.2: one `info` per
    /// `language`; issue 16). The top-level `event`, `headline`, `description` and `instruction` repeat the
    /// gateway's primary language. JSON key `texts`; optional, so payloads from agents without it still decode,
    /// and omitted when `nil`.
    public var texts: [AlertEventText]?

    public init(
        alertId: String, eventId: String, shelterId: String, gatewayId: String, references: [String],
        status: CAPStatus, msgType: CAPMessageType, category: CAPCategory, event: String, urgency: CAPUrgency,
        severity: CAPSeverity, certainty: CAPCertainty, onset: Date, sent: Date, headline: String,
        description: String, instruction: String, parameters: AlertParameters, texts: [AlertEventText]? = nil
    ) {
        self.alertId = alertId
        self.eventId = eventId
        self.shelterId = shelterId
        self.gatewayId = gatewayId
        self.references = references
        self.status = status
        self.msgType = msgType
        self.category = category
        self.event = event
        self.urgency = urgency
        self.severity = severity
        self.certainty = certainty
        self.onset = onset
        self.sent = sent
        self.headline = headline
        self.description = description
        self.instruction = instruction
        self.parameters = parameters
        self.texts = texts
    }
}

/// The CAP texts of an alert event in one language (a CAP `info` block's `language`, `event`, `headline`,
/// `description`, `instruction`).
public struct AlertEventText: Sendable, Hashable, Codable {
    /// RFC 3066 language code as CAP writes it: `"zh-CN"` or `"en-US"` (`Language.capCode`). A string, so a
    /// registry accepts languages added later.
    public var language: String
    /// CAP `event`, e.g. `"饮用水即将不足"`.
    public var event: String
    /// CAP `headline`.
    public var headline: String
    /// CAP `description`.
    public var description: String
    /// CAP `instruction`.
    public var instruction: String

    public init(language: String, event: String, headline: String, description: String, instruction: String) {
        self.language = language
        self.event = event
        self.headline = headline
        self.description = description
        self.instruction = instruction
    }
}

/// CAP `parameter` values of an alert event.
public struct AlertParameters: Sendable, Hashable, Codable {
    /// The check, e.g. `"C-05"`.
    public var checkId: CheckID
    /// The condition instance within the check (`""` for the whole site, or e.g. `"gen1"`, `"if_full"`).
    public var subject: String
    /// The check's status when the event was created (`warning`, `critical`, or `unknown` for C-22).
    public var checkStatus: CheckStatus
    /// The check's value at the event; `nil` when it had none.
    public var value: MeasuredValue?
    /// The threshold crossed (critical if critical, else warning), in the value's unit; `nil` if none.
    public var threshold: Double?
    /// Where the threshold came from.
    public var thresholdOrigin: ThresholdOrigin?
    /// Persons present at the event; `nil` when unknown.
    public var occupancy: Int?
    /// Registered capacity, persons.
    public var capacity: Int

    public init(
        checkId: CheckID, subject: String, checkStatus: CheckStatus, value: MeasuredValue?, threshold: Double?,
        thresholdOrigin: ThresholdOrigin?, occupancy: Int?, capacity: Int
    ) {
        self.checkId = checkId
        self.subject = subject
        self.checkStatus = checkStatus
        self.value = value
        self.threshold = threshold
        self.thresholdOrigin = thresholdOrigin
        self.occupancy = occupancy
        self.capacity = capacity
    }
}

/// CAP 1.2 `status` (the values this agent sends).
public enum CAPStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// A real event.
    case actual = "Actual"
    /// A drill (Sanmenxia measures art. 20): never to be acted on as real.
    case exercise = "Exercise"
}

/// CAP 1.2 `msgType` (the values this agent sends).
public enum CAPMessageType: String, Sendable, Hashable, Codable, CaseIterable {
    /// A new condition instance fired.
    case alert = "Alert"
    /// The condition's severity or figures changed.
    case update = "Update"
    /// The condition resolved.
    case cancel = "Cancel"
}

/// CAP 1.2 `category`.
public enum CAPCategory: String, Sendable, Hashable, Codable, CaseIterable {
    /// Geophysical (including landslide).
    case geo = "Geo"
    /// Meteorological (including flood).
    case met = "Met"
    /// General emergency and public safety (used for occupancy).
    case safety = "Safety"
    /// Law enforcement, military, homeland and local/private security (used for C-21).
    case security = "Security"
    /// Rescue and recovery.
    case rescue = "Rescue"
    /// Fire suppression and rescue.
    case fire = "Fire"
    /// Medical and public health (used for sanitation).
    case health = "Health"
    /// Pollution and other environmental.
    case env = "Env"
    /// Public and private transportation.
    case transport = "Transport"
    /// Utility, telecommunication, other non-transport infrastructure (power, water, data).
    case infra = "Infra"
    /// Chemical, biological, radiological, nuclear or high-yield explosive threat or attack.
    case cbrne = "CBRNE"
    /// Other events.
    case other = "Other"
}

/// CAP 1.2 `urgency`.
public enum CAPUrgency: String, Sendable, Hashable, Codable, CaseIterable {
    /// Responsive action should be taken immediately (a critical check).
    case immediate = "Immediate"
    /// Responsive action should be taken soon, within the next hour (a warning).
    case expected = "Expected"
    /// Responsive action should be taken in the near future.
    case future = "Future"
    /// Responsive action is no longer required (a Cancel).
    case past = "Past"
    /// Not known.
    case unknown = "Unknown"
}

/// CAP 1.2 `severity`.
public enum CAPSeverity: String, Sendable, Hashable, Codable, CaseIterable {
    /// Extraordinary threat to life or property.
    case extreme = "Extreme"
    /// Significant threat to life or property (a critical check).
    case severe = "Severe"
    /// Possible threat to life or property (a warning).
    case moderate = "Moderate"
    /// Minimal to no known threat to life or property.
    case minor = "Minor"
    /// Not known.
    case unknown = "Unknown"
}

/// CAP 1.2 `certainty`. This agent sends `Observed` (measured) and `Likely` (projected).
public enum CAPCertainty: String, Sendable, Hashable, Codable, CaseIterable {
    /// Determined to have occurred or to be ongoing (a measured fact).
    case observed = "Observed"
    /// Likely, p > ~50 % (a projection such as days of water left).
    case likely = "Likely"
    /// Possible but not likely, p ≤ ~50 %.
    case possible = "Possible"
    /// Not expected to occur, p ~ 0.
    case unlikely = "Unlikely"
    /// Not known.
    case unknown = "Unknown"
}
