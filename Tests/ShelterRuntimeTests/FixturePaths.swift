import ShelterTesting

/// This target's fixtures and the shipped configuration, located through `ShelterTesting.RepositoryPaths`.
enum FixturePaths {
    /// `Tests/ShelterRuntimeTests/Fixtures/configs`.
    static var configs: String { RepositoryPaths.fixtures(of: "ShelterRuntimeTests") + "/configs" }

    /// The repository's `Firmware-Config` directory.
    static var firmwareConfig: String { RepositoryPaths.firmwareConfig }
}
