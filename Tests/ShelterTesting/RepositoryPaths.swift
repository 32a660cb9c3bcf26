/// Locations in the repository, found from this file's path (no `Bundle` needed): the shipped configuration
/// and each test target's fixtures.
public enum RepositoryPaths {
    /// The repository root.
    public static var root: String {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) }
        return path
    }

    /// `Firmware-Config`: profiles, sites, scenarios.
    public static var firmwareConfig: String { root + "/Firmware-Config" }

    /// `Tests/<target>/Fixtures`.
    public static func fixtures(of target: String) -> String { root + "/Tests/\(target)/Fixtures" }
}
