public import FoundationEssentials

/// A fresh directory under the system temp directory (`/tmp/<prefix>-<uuid>`), removed with everything in it
/// when released: each test gets its own (as GRDB's tests do), so tests run in parallel.
public final class TemporaryDirectory: Sendable {
    /// The directory, absolute.
    public let path: String

    /// Creates the directory.
    /// - Parameter prefix: the start of its name, e.g. the suite's, so leftovers can be traced.
    /// - Throws: when it cannot be created.
    public init(prefix: String = "shelter-tests") throws {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/\(prefix)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
