/// One problem in a scenario file: where (key path), what, and how to fix it.
public struct ScenarioIssue: Sendable, Hashable, CustomStringConvertible {
    /// Key path in the file, e.g. `steps[3].over_seconds`; empty for the file as a whole.
    public var path: String
    /// What is wrong, with the offending value.
    public var message: String
    /// How to fix it; `nil` when obvious.
    public var hint: String?

    public init(path: String, message: String, hint: String? = nil) {
        self.path = path
        self.message = message
        self.hint = hint
    }

    public var description: String {
        let location = path.isEmpty ? "" : "\(path): "
        return "\(location)\(message)" + (hint.map { " (\($0))" } ?? "")
    }
}

/// A scenario that cannot be loaded or run. Every issue of a file is collected, not only the first.
public struct ScenarioError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure; plain so it can be a log key.
    public enum Code: String, Sendable, Hashable {
        /// The file could not be read.
        case unreadable
        /// The file is not valid TOML or does not match the format.
        case invalid
        /// A child process (registry, simulator, agent, PKI script) failed to start or to become ready.
        case setupFailed
        /// The run was interrupted (SIGINT/SIGTERM).
        case interrupted
    }

    public var code: Code
    /// The scenario file or the thing that failed.
    public var subject: String
    /// The problems, each with its key path (for `.invalid`), or one explanation.
    public var issues: [ScenarioIssue]

    public init(code: Code, subject: String, issues: [ScenarioIssue]) {
        self.code = code
        self.subject = subject
        self.issues = issues
    }

    init(code: Code, subject: String, _ message: String) {
        self.init(code: code, subject: subject, issues: [ScenarioIssue(path: "", message: message)])
    }

    public var description: String {
        if issues.count == 1 { return "\(subject): \(issues[0])" }
        return "\(subject): \(issues.count) problems\n" + issues.map { "  - \($0)" }.joined(separator: "\n")
    }
}
