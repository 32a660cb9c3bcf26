/// Collects issues for one file while a validator walks it. Internal helper of the validators.
struct IssueCollector {
    let file: String
    var issues: [ConfigurationIssue] = []

    mutating func add(_ path: String, _ value: String = "", _ message: String, fix: String = "") {
        issues.append(ConfigurationIssue(file: file, keyPath: path, value: value, message: message, fix: fix))
    }

    /// Reports a missing required key; returns the value otherwise.
    mutating func require<T>(_ value: T?, _ path: String, fix: String) -> T? {
        if value == nil { add(path, "", "required key is missing", fix: fix) }
        return value
    }

    /// A required non-empty string.
    mutating func requireText(_ value: String?, _ path: String, fix: String) -> String? {
        guard let value = require(value, path, fix: fix) else { return nil }
        if value.trimmingSpaces.isEmpty {
            add(path, "\"\"", "must not be empty", fix: fix)
            return nil
        }
        return value
    }

    /// A number within `range` (or the default when absent); reports and returns `nil` when outside.
    /// `why` explains a floor or ceiling that is policy rather than physics; it is added to the fix.
    mutating func number(
        _ value: Double?, _ path: String, default defaultValue: Double? = nil, in range: ClosedRange<Double>,
        exclusiveLower: Bool = false, unit: String = "", required: Bool = false, why: String? = nil
    ) -> Double? {
        guard let value else {
            if required, defaultValue == nil {
                add(
                    path, "", "required key is missing",
                    fix: "add `\(path.lastKey) = …` (\(describe(range, exclusiveLower, unit)))")
            }
            return defaultValue
        }
        if !value.isFinite {
            add(path, format(value), "not a finite number", fix: "use a value \(describe(range, exclusiveLower, unit))")
            return nil
        }
        if !range.contains(value) || (exclusiveLower && value == range.lowerBound) {
            let reason = why.map { ": \($0)" } ?? ""
            add(
                path, format(value), "out of range",
                fix: "use a value \(describe(range, exclusiveLower, unit))\(reason)")
            return nil
        }
        return value
    }

    /// An integer within `range` (or the default when absent).
    mutating func integer(
        _ value: Int?, _ path: String, default defaultValue: Int? = nil, in range: ClosedRange<Int>,
        required: Bool = false
    ) -> Int? {
        guard let value else {
            if required, defaultValue == nil {
                add(
                    path, "", "required key is missing",
                    fix: "add `\(path.lastKey) = …` (an integer \(range.lowerBound)...\(range.upperBound))")
            }
            return defaultValue
        }
        if !range.contains(value) {
            add(
                path, String(value), "out of range",
                fix: "use an integer \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return value
    }

    /// Reports names that occur more than once in `names` (path built per index).
    mutating func checkUnique(_ names: [String?], path: (Int) -> String, what: String) {
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            guard let name else { continue }
            if let first = seen[name] {
                add(
                    path(index), quoted(name), "duplicate \(what) name (also at index \(first))",
                    fix: "give every \(what) a unique name")
            } else {
                seen[name] = index
            }
        }
    }

    private func describe(_ range: ClosedRange<Double>, _ exclusiveLower: Bool, _ unit: String) -> String {
        let suffix = unit.isEmpty ? "" : " \(unit)"
        if range.upperBound == .greatestFiniteMagnitude {
            return exclusiveLower
                ? "greater than \(format(range.lowerBound))\(suffix)"
                : "of at least \(format(range.lowerBound))\(suffix)"
        }
        let lower = exclusiveLower ? "above \(format(range.lowerBound))" : "from \(format(range.lowerBound))"
        return "\(lower) to \(format(range.upperBound))\(suffix)"
    }
}

/// Renders a number the way a user would write it: `1.5`, `3`, not `3.0`.
func format(_ value: Double) -> String {
    if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
}

/// Renders text as a quoted TOML string for messages.
func quoted(_ text: String) -> String { "\"\(text)\"" }

extension String {
    /// The last component of a key path: `"devices[2].unit_id"` → `"unit_id"`.
    var lastKey: String {
        let tail = split(separator: ".").last.map(String.init) ?? self
        if let bracket = tail.firstIndex(of: "[") { return String(tail[..<bracket]) }
        return tail
    }

    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[first...last]
    }
}

extension Duration {
    /// A duration from a number of seconds (fractional allowed).
    static func seconds(fractional seconds: Double) -> Duration {
        .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}

extension Duration {
    /// The duration in milliseconds, fractional.
    var inMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
