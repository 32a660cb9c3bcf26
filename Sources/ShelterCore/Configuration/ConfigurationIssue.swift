/// One problem found in a configuration file: where, what value, what is wrong, and how to fix it.
///
/// Validation collects every issue rather than stopping at the first (STYLE §4), so a site manager sees the
/// whole list in one `check-config` run.
public struct ConfigurationIssue: Sendable, Hashable, CustomStringConvertible {
    /// The file the issue is in, as given to the loader (e.g. `"sites/reference.toml"`).
    public var file: String
    /// Key path inside the file, e.g. `"devices[3].points[2].scale"`; empty for the whole file.
    public var keyPath: String
    /// The offending value as written (or a short rendering of it); empty when the key is missing.
    public var value: String
    /// What is wrong.
    public var message: String
    /// How to fix it.
    public var fix: String

    /// Creates an issue.
    public init(file: String, keyPath: String, value: String = "", message: String, fix: String = "") {
        self.file = file
        self.keyPath = keyPath
        self.value = value
        self.message = message
        self.fix = fix
    }

    /// One line: `file: keyPath = value: message (fix: …)`.
    public var description: String {
        var line = file
        if !keyPath.isEmpty { line += ": \(keyPath)" }
        if !value.isEmpty { line += " = \(value)" }
        line += ": \(message)"
        if !fix.isEmpty { line += " (fix: \(fix))" }
        return line
    }
}

/// The error thrown when a configuration has one or more issues; carries all of them.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Every issue found, in file order then key-path order of discovery. Never empty.
    public var issues: [ConfigurationIssue]

    /// Creates the error; `issues` should not be empty.
    public init(issues: [ConfigurationIssue]) { self.issues = issues }

    public var description: String {
        "\(issues.count) configuration issue\(issues.count == 1 ? "" : "s"):\n"
            + issues.map { "  " + $0.description }.joined(separator: "\n")
    }
}
