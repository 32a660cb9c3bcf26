public import FoundationEssentials

/// An instant with the site's UTC offset, as EDXL-HAVE `LastUpdateTime` carries it.
///
/// JSON: `{ "instant": "2026-11-29T14:55:38Z", "utcOffsetMinutes": 480, "local": "2026-11-29T22:55:38+08:00" }`.
/// `local` is the ISO 8601 local time with its offset (whole seconds), computed here without calendars or ICU.
public struct ZonedTime: Sendable, Hashable, Codable {
    /// The instant (encodes as ISO 8601 UTC).
    public var instant: Date
    /// The site's offset from UTC, minutes, −14·60...14·60 (China Standard Time is 480).
    public var utcOffsetMinutes: Int
    /// The local time with its offset, `yyyy-MM-ddTHH:mm:ss±hh:mm`.
    public var local: String

    /// A zoned time as received, every member as given: nothing is derived, so no value traps (a reader of
    /// untrusted input uses this; `init(instant:utcOffsetMinutes:)` would compute `local` from any offset).
    public init(instant: Date, utcOffsetMinutes: Int, local: String) {
        self.instant = instant
        self.utcOffsetMinutes = utcOffsetMinutes
        self.local = local
    }

    /// Creates a zoned time; `local` is derived from `instant` and `utcOffsetMinutes`.
    public init(instant: Date, utcOffsetMinutes: Int) {
        self.instant = instant
        self.utcOffsetMinutes = utcOffsetMinutes
        self.local = Self.format(instant, utcOffsetMinutes: utcOffsetMinutes)
    }

    /// Formats `instant` as `yyyy-MM-ddTHH:mm:ss±hh:mm` in the given offset (proleptic Gregorian calendar,
    /// seconds truncated toward the past).
    static func format(_ instant: Date, utcOffsetMinutes: Int) -> String {
        let unix = instant.timeIntervalSince1970.rounded(.down)
        let local = Int64(unix) + Int64(utcOffsetMinutes) * 60
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        let (y, m, d) = civilDate(daysSinceEpoch: days)
        let sign = utcOffsetMinutes < 0 ? "-" : "+"
        let off = abs(utcOffsetMinutes)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))\(sign)\(pad(Int64(off / 60), 2)):"
            + pad(Int64(off % 60), 2)
    }

    /// (year, month, day) to days since 1970-01-01, proleptic Gregorian; H. Hinnant's `days_from_civil`, the
    /// inverse of `civilDate(daysSinceEpoch:)`. The date must be valid (the caller checks it).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Days in `month` (1...12) of `year`, proleptic Gregorian.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 to (year, month, day); H. Hinnant's `civil_from_days`.
    private static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(abs(value))
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }
}
