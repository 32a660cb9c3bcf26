/// A value inside a catalog text, formatted per language when rendered: numbers with thin grouping
/// (`1 880`), a unit in the reader's words (`1 880 人` / `1 880 persons`), spans of time in the unit a
/// person reads (`40 秒`, `25 分钟`, `2.6 小时`, `3 天`, never `0.11 d`), English plurals, plural-free Chinese.
///
/// Chinese templates put a space between a number and what precedes it, and none between a Chinese unit and
/// the Chinese text after it (`预计 27 分钟后满员`).
public enum TextArgument: Sendable, Hashable {
    /// Text shown as given in every language: a device, point or generator name, an id, free-text detail.
    case verbatim(String)
    /// A whole number with grouping, no unit, e.g. `12 000`.
    case integer(Int)
    /// A whole number of things: `1 880 人` / `1 880 persons`, `1 个` / `1 source`.
    case count(Int, CountUnit)
    /// A number with `places` decimals (0...6) and grouping, no unit, e.g. `1.5`.
    case decimal(Double, places: Int)
    /// A ratio as a whole percentage: `0.94` → `94 %` (a space before `%` in both languages, SI style).
    case percent(Double)
    /// A measured quantity with at most `places` decimals (trailing zeros dropped) and its unit:
    /// `12 000 升` / `12 000 L`, `20 kW`, `1.5 平方米/人`.
    case quantity(Double, QuantityUnit, places: Int)
    /// A span of time given in seconds, written in the largest unit that keeps it readable: under 2 min in
    /// seconds (one decimal under 1 min), under 2 h in minutes, under 2 days in hours (one decimal, so below
    /// one day is never `0.11 d`), else days (one decimal); a trailing `.0` is dropped.
    case timeSpan(seconds: Double)
    /// Time elapsed on a status screen, whole seconds in two units: `12 s`, `4 min 3 s`, `2 h 5 min`,
    /// `3 d 4 h` / `12 秒`, `4 分 3 秒`, `2 小时 5 分`, `3 天 4 小时`. Negative spans read as 0.
    case elapsed(seconds: Double)
    /// Another catalog entry, rendered in the same language.
    case entry(AnyCatalogEntry)
    /// Items joined with `、` (zh) or `, ` (en); `无` / `none` when empty.
    case list([TextArgument])
    /// Clauses (items that may hold commas themselves) joined with `；` (zh) or `; ` (en); `无` / `none` when
    /// empty.
    case clauses([TextArgument])

    /// A count of persons.
    public static func persons(_ n: Int) -> TextArgument { .count(n, .persons) }
    /// Litres, whole.
    public static func litres(_ value: Double) -> TextArgument { .quantity(value, .litres, places: 0) }
    /// A span of `minutes` minutes.
    public static func minutes(_ value: Double) -> TextArgument { .timeSpan(seconds: value * 60) }
    /// A span of `hours` hours.
    public static func hours(_ value: Double) -> TextArgument { .timeSpan(seconds: value * 3600) }
    /// A span of `days` days.
    public static func days(_ value: Double) -> TextArgument { .timeSpan(seconds: value * 86_400) }

    /// The argument as text in `language`.
    public func render(_ language: Language) -> String {
        let zh = language == .zhCN
        switch self {
        case .verbatim(let text): return text
        case .integer(let n): return LocalizedNumber.grouped(n)
        case .count(let n, let unit): return LocalizedNumber.grouped(n) + " " + unit.word(for: n, in: language)
        case .decimal(let value, let places): return LocalizedNumber.format(value, places: places)
        case .percent(let ratio): return LocalizedNumber.format(ratio * 100, places: 0) + " %"
        case .quantity(let value, let unit, let places):
            return LocalizedNumber.trimmed(value, places: places) + " " + unit.symbol(in: language)
        case .timeSpan(let seconds): return Self.span(seconds, zh: zh)
        case .elapsed(let seconds): return Self.elapsed(seconds, zh: zh)
        case .entry(let entry): return entry.base.text(in: language)
        case .list(let items):
            guard !items.isEmpty else { return zh ? "无" : "none" }
            return items.map { $0.render(language) }.joined(separator: zh ? "、" : ", ")
        case .clauses(let items):
            guard !items.isEmpty else { return zh ? "无" : "none" }
            return items.map { $0.render(language) }.joined(separator: zh ? "；" : "; ")
        }
    }

    private static func elapsed(_ seconds: Double, zh: Bool) -> String {
        let rounded = seconds.isFinite ? seconds.rounded() : 0
        let s = rounded <= 0 ? 0 : (rounded >= Double(Int.max / 2) ? Int.max / 2 : Int(rounded))
        let (d, h, m) = zh ? (" 天", " 小时", " 分") : (" d", " h", " min")
        let sec = zh ? " 秒" : " s"
        switch s {
        case ..<60: return "\(s)\(sec)"
        case ..<3600: return "\(s / 60)\(m) \(s % 60)\(sec)"
        case ..<86_400: return "\(s / 3600)\(h) \(s % 3600 / 60)\(m)"
        default: return "\(s / 86_400)\(d) \(s % 86_400 / 3600)\(h)"
        }
    }

    private static func span(_ seconds: Double, zh: Bool) -> String {
        guard seconds.isFinite else { return LocalizedNumber.format(seconds, places: 0) }
        let magnitude = abs(seconds)
        if LocalizedNumber.rounded(magnitude, places: 1) < 60 {
            // One decimal below a minute, so 15.1 s past a 15 s threshold does not read as 15 s.
            return LocalizedNumber.trimmed(seconds, places: 1) + (zh ? " 秒" : " s")
        }
        if LocalizedNumber.rounded(magnitude, places: 0) < 120 {
            return LocalizedNumber.format(seconds, places: 0) + (zh ? " 秒" : " s")
        }
        if LocalizedNumber.rounded(magnitude / 60, places: 0) < 120 {
            return LocalizedNumber.format(seconds / 60, places: 0) + (zh ? " 分钟" : " min")
        }
        if magnitude < 2 * 86_400 {
            return LocalizedNumber.trimmed(seconds / 3600, places: 1) + (zh ? " 小时" : " h")
        }
        let days = LocalizedNumber.trimmed(seconds / 86_400, places: 1)
        return days + (zh ? " 天" : (days == "1" ? " day" : " days"))
    }
}

/// Units counted in whole numbers. Chinese has no plural; English has singular and plural.
public enum CountUnit: String, Sendable, Hashable, CaseIterable {
    /// 人 / person, persons.
    case persons
    /// Free places: 个空位 / place, places.
    case places
    /// Healthy supply sources: 个 / source, sources.
    case sources
    /// Facilities: 项 / facility, facilities.
    case facilities
    /// Problems found: 个问题 / problem, problems.
    case problems

    /// The unit word after `n` in `language`.
    public func word(for n: Int, in language: Language) -> String {
        let one = n == 1 || n == -1
        switch (self, language) {
        case (.persons, .zhCN): return "人"
        case (.persons, .en): return one ? "person" : "persons"
        case (.places, .zhCN): return "个空位"
        case (.places, .en): return one ? "place" : "places"
        case (.sources, .zhCN): return "个"
        case (.sources, .en): return one ? "source" : "sources"
        case (.facilities, .zhCN): return "项"
        case (.facilities, .en): return one ? "facility" : "facilities"
        case (.problems, .zhCN): return "个问题"
        case (.problems, .en): return one ? "problem" : "problems"
        }
    }
}

/// Units of measured quantities, written after the number.
public enum QuantityUnit: String, Sendable, Hashable, CaseIterable {
    /// 升 / L.
    case litres
    /// 升/小时 / L/h.
    case litresPerHour
    /// 升/人/天 / L per person per day (the water ration, Sphere 15 L).
    case litresPerPersonPerDay
    /// kW (the symbol is usual in Chinese technical text too).
    case kilowatts
    /// kWh.
    case kilowattHours
    /// 平方米 / m².
    case squareMetres
    /// 平方米/人 / m² per person.
    case squareMetresPerPerson
    /// 人/分钟 / persons/min.
    case personsPerMinute
    /// 个轮询周期 / poll intervals (C-22).
    case pollIntervals

    /// The unit as written after the number in `language`.
    public func symbol(in language: Language) -> String {
        switch (self, language) {
        case (.litres, .zhCN): "升"
        case (.litres, .en): "L"
        case (.litresPerHour, .zhCN): "升/小时"
        case (.litresPerHour, .en): "L/h"
        case (.litresPerPersonPerDay, .zhCN): "升/人/天"
        case (.litresPerPersonPerDay, .en): "L per person per day"
        case (.kilowatts, _): "kW"
        case (.kilowattHours, _): "kWh"
        case (.squareMetres, .zhCN): "平方米"
        case (.squareMetres, .en): "m²"
        case (.squareMetresPerPerson, .zhCN): "平方米/人"
        case (.squareMetresPerPerson, .en): "m² per person"
        case (.personsPerMinute, .zhCN): "人/分钟"
        case (.personsPerMinute, .en): "persons/min"
        case (.pollIntervals, .zhCN): "个轮询周期"
        case (.pollIntervals, .en): "poll intervals"
        }
    }
}
