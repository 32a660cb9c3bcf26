/// Locations of test fixtures and shipped configuration, found from this file's path (no Bundle needed).
enum FixturePaths {
    /// `Tests/ShelterRuntimeTests`.
    static var testsDirectory: String {
        let file = #filePath
        return String(file[..<(file.lastIndex(of: "/") ?? file.endIndex)])
    }

    /// `Tests/ShelterRuntimeTests/Fixtures/configs`.
    static var configs: String { testsDirectory + "/Fixtures/configs" }

    /// The repository's `Firmware-Config` directory.
    static var firmwareConfig: String {
        var path = testsDirectory
        for _ in 0..<2 { path = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) }
        return path + "/Firmware-Config"
    }
}
