public import Platform

extension ChildProcess {
    /// Starts a child of the scenario runner; a child that cannot be spawned is a setup failure.
    /// - Throws: `ScenarioError` `.setupFailed` naming the child and the reason.
    static func start(
        name: String, executable: String, arguments: [String], logPath: String, errorLogPath: String? = nil,
        environment: [String: String] = [:]
    ) throws(ScenarioError) -> ChildProcess {
        do {
            return try ChildProcess(
                name: name, executable: executable, arguments: arguments, logPath: logPath,
                errorLogPath: errorLogPath, environment: environment)
        } catch {
            throw ScenarioError(code: .setupFailed, subject: name, error.description)
        }
    }
}
