/// Identifier of a shelter check from DESIGN §5, e.g. `"C-01"`. Encodes as a plain JSON string.
public struct CheckID:
    RawRepresentable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible, CaseIterable
{
    /// The id as written in DESIGN §5 and the site file, e.g. `"C-01"`.
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: CheckID, rhs: CheckID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// C-01 occupancy vs registered capacity.
    public static let occupancy = CheckID(rawValue: "C-01")
    /// C-02 area per person.
    public static let areaPerPerson = CheckID(rawValue: "C-02")
    /// C-04 time until full.
    public static let timeUntilFull = CheckID(rawValue: "C-04")
    /// C-05 days of water at current occupancy, and if full.
    public static let waterDays = CheckID(rawValue: "C-05")
    /// C-06 standby water reserve.
    public static let waterReserve = CheckID(rawValue: "C-06")
    /// C-11 source redundancy (power, water).
    public static let sourceRedundancy = CheckID(rawValue: "C-11")
    /// C-12 mains lost, generator on load.
    public static let generatorTransfer = CheckID(rawValue: "C-12")
    /// C-13 generator fuel autonomy.
    public static let fuelAutonomy = CheckID(rawValue: "C-13")
    /// C-16 battery autonomy while mains and generator are down.
    public static let batteryAutonomy = CheckID(rawValue: "C-16")
    /// C-19 sewage tank level / time to full.
    public static let sewageLevel = CheckID(rawValue: "C-19")
    /// C-21 people present while not activated.
    public static let unexpectedOccupancy = CheckID(rawValue: "C-21")
    /// C-22 data freshness.
    public static let dataFreshness = CheckID(rawValue: "C-22")
    /// C-23 record drift.
    public static let recordDrift = CheckID(rawValue: "C-23")

    /// Every check of DESIGN §5, in id order: the ids a `[thresholds."C-xx"]` table or a scenario may name.
    public static let allCases: [CheckID] = [
        .occupancy, .areaPerPerson, .timeUntilFull, .waterDays, .waterReserve, .sourceRedundancy, .generatorTransfer,
        .fuelAutonomy, .batteryAutonomy, .sewageLevel, .unexpectedOccupancy, .dataFreshness, .recordDrift,
    ]
}

/// Outcome of one check. JSON: `"ok"`, `"warning"`, `"critical"`, `"unknown"`.
///
/// `unknown` means the check could not be evaluated (missing or stale input); it is never reported as ok.
public enum CheckStatus: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Evaluated, no threshold crossed.
    case ok
    /// The warning threshold is crossed.
    case warning
    /// The critical threshold is crossed.
    case critical
    /// Not evaluated: an input is missing or stale (see the result's `reason`).
    case unknown

    /// Order of badness for a known status: ok < warning < critical; unknown sorts after critical.
    private var rank: Int {
        switch self {
        case .ok: 0
        case .warning: 1
        case .critical: 2
        case .unknown: 3
        }
    }

    public static func < (lhs: CheckStatus, rhs: CheckStatus) -> Bool { lhs.rank < rhs.rank }
}

/// A computed value with its unit, e.g. `{ "value": 0.92, "unit": "1" }` or `{ "value": 0.33, "unit": "d" }`.
///
/// Units use UCUM-like short symbols: `"1"` (ratio), `"%"`, `"persons"`, `"m2/person"`, `"min"`, `"h"`, `"d"`,
/// `"s"`, `"L"`, `"sources"`, `"facilities"`.
public struct MeasuredValue: Sendable, Hashable, Codable {
    /// The value, finite.
    public var value: Double
    /// The unit symbol.
    public var unit: String

    public init(_ value: Double, unit: String) {
        self.value = value
        self.unit = unit
    }
}

/// Where a threshold came from. JSON: `"record"`, `"site_policy"`, `"national_default"`.
///
/// A registered value for the site beats a national default; a site-file override (site policy) beats both.
public enum ThresholdOrigin: String, Sendable, Hashable, Codable, CaseIterable {
    /// Derived from the shelter's registered record (art. 14), e.g. its registered area per person.
    case record
    /// Set in the site file (`[thresholds."C-xx"]`) or a site-policy default.
    case sitePolicy = "site_policy"
    /// The national standard's (or handbook's) default named in the check's source.
    case nationalDefault = "national_default"
}

/// Which side of a threshold is bad. JSON: `"above"` (bad when value ≥ threshold), `"exceeds"` (bad when
/// value > threshold), `"below"` (bad when value < threshold).
public enum ThresholdDirection: String, Sendable, Hashable, Codable, CaseIterable {
    /// The condition holds when the value is at or above the threshold (e.g. C-01 occupancy ratio ≥ 0.90).
    case above
    /// The condition holds when the value is below the threshold (e.g. C-05 days of water < 3).
    case below
    /// The condition holds when the value is strictly above the threshold (e.g. C-12 transfer time > 15 s).
    case exceeds
}

/// The thresholds a check used, in the unit of its value, and their origin.
public struct ThresholdUsed: Sendable, Hashable, Codable {
    /// Warning threshold; `nil` when the check has no warning level.
    public var warning: Double?
    /// Critical threshold; `nil` when the check has no critical level (e.g. C-21, C-23 only warn).
    public var critical: Double?
    /// Unit of both thresholds (same as the value's).
    public var unit: String
    /// Which side of the threshold is bad.
    public var direction: ThresholdDirection
    /// Where the thresholds came from.
    public var origin: ThresholdOrigin

    public init(
        warning: Double?, critical: Double?, unit: String, direction: ThresholdDirection,
        origin: ThresholdOrigin
    ) {
        self.warning = warning
        self.critical = critical
        self.unit = unit
        self.direction = direction
        self.origin = origin
    }
}

/// The result of one check at one instant (DESIGN §5): status with why, value with unit, threshold with
/// origin, and the rule's source.
///
/// A check that covers several things (one per generator, battery or stale device) returns one result per
/// `subject`; the pair (`checkId`, `subject`) identifies a condition instance for the alert lifecycle.
public struct CheckResult: Sendable, Hashable, Codable {
    /// The check, e.g. `"C-05"`.
    public var checkId: CheckID
    /// What the result is about within the check: `""` for the site as a whole, or e.g. `"gen1"`,
    /// `"if_full"`, `"power"`, a device name.
    public var subject: String
    /// ok / warning / critical / unknown.
    public var status: CheckStatus
    /// The computed value; `nil` when unknown or when the check has no numeric value.
    public var value: MeasuredValue?
    /// The thresholds used; `nil` when the check did not get as far as comparing.
    public var threshold: ThresholdUsed?
    /// The rule's source: standard and clause, regulation article, or `"site policy"`, e.g.
    /// `"GB 21734-2008 §5.4"`.
    public var source: String
    /// Why the status is what it is, in one sentence for a person (e.g. `"1840 of 2000 registered persons"`).
    ///
    /// Written from `finding` by the catalog (English) when it is read, unless set: the checks run on every
    /// tick, and the text is needed only when a report, an alert or the status file is written (issue 13:
    /// rendering every result's text on each tick was a quarter of the tick's CPU). Setting a non-empty text
    /// overrides the finding's.
    public var summary: String {
        get { summaryText ?? finding?.text(in: .en) ?? "" }
        set { summaryText = newValue.isEmpty ? nil : newValue }
    }
    /// The summary given as text; `nil` when it comes from `finding` (or is empty).
    private var summaryText: String?
    /// When `status` is `unknown`: the machine-readable reason (e.g. `"stale"`, `"missing_input"`).
    public var reason: NoSampleReason.Kind?
    /// When `status` is `unknown`: the reason in words.
    public var reasonDetail: String?
    /// What the check found as typed facts, from which the catalog writes the summary and the alert texts in
    /// each language (`CheckFinding`); `nil` from a check that gives none. Not part of the JSON.
    public var finding: CheckFinding?

    private enum CodingKeys: String, CodingKey {
        case checkId, subject, status, value, threshold, source, summary, reason, reasonDetail
    }

    public init(
        checkId: CheckID, subject: String = "", status: CheckStatus, value: MeasuredValue?,
        threshold: ThresholdUsed?, source: String, summary: String,
        reason: NoSampleReason.Kind? = nil, reasonDetail: String? = nil
    ) {
        self.checkId = checkId
        self.subject = subject
        self.status = status
        self.value = value
        self.threshold = threshold
        self.source = source
        self.summaryText = summary.isEmpty ? nil : summary
        self.reason = reason
        self.reasonDetail = reasonDetail
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        checkId = try c.decode(CheckID.self, forKey: .checkId)
        subject = try c.decode(String.self, forKey: .subject)
        status = try c.decode(CheckStatus.self, forKey: .status)
        value = try c.decodeIfPresent(MeasuredValue.self, forKey: .value)
        threshold = try c.decodeIfPresent(ThresholdUsed.self, forKey: .threshold)
        source = try c.decode(String.self, forKey: .source)
        summary = try c.decode(String.self, forKey: .summary)
        reason = try c.decodeIfPresent(NoSampleReason.Kind.self, forKey: .reason)
        reasonDetail = try c.decodeIfPresent(String.self, forKey: .reasonDetail)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(checkId, forKey: .checkId)
        try c.encode(subject, forKey: .subject)
        try c.encode(status, forKey: .status)
        try c.encodeIfPresent(value, forKey: .value)
        try c.encodeIfPresent(threshold, forKey: .threshold)
        try c.encode(source, forKey: .source)
        try c.encode(summary, forKey: .summary)
        try c.encodeIfPresent(reason, forKey: .reason)
        try c.encodeIfPresent(reasonDetail, forKey: .reasonDetail)
    }
}
