/// The release of shelter-agent, shelter-sim and shelter-registry, printed by each one's `--version`.
///
/// The one source of the number: `VERSION` at the repository root must hold the same text (a test compares
/// them; `Scripts` read `VERSION`). Semantic versioning: `MAJOR.MINOR.PATCH`.
public enum ShelterVersion {
    /// `MAJOR.MINOR.PATCH`, e.g. `0.1.0`.
    public static let current = "0.1.0"
}
