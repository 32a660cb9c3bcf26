/// The agent's state directory (`gateway.state_directory`): what survives a restart. The one owner of the
/// file names (`StateFile`) and of how they are written: each write replaces the whole file atomically and
/// durably (temporary file, fsync, rename, fsync of the directory), so a crash or power loss leaves the old
/// file or the new one, never a torn one.
///
/// The runtime's `FileStateDirectory` writes real files; `ShelterTesting.InMemoryStateDirectory` is the
/// fake. Typed reads and writes are in `StateDirectory+Files.swift`. Implementations are thread-safe.
public protocol StateDirectory: Sendable {
    /// The file's bytes, or `nil` when it does not exist or cannot be read.
    func read(_ file: StateFile) -> [UInt8]?
    /// Replaces the file with `bytes`, atomically and durably.
    /// - Throws: when the file cannot be written; the old content then stays.
    func write(_ bytes: [UInt8], to file: StateFile) throws
}

/// The files of the state directory, by what they hold. The raw value is the file name.
public enum StateFile: String, Sendable, Hashable, CaseIterable {
    /// `status.json`: what `shelter-agent status` shows (`AgentStatus`), rewritten every 30 s.
    case status = "status.json"
    /// `active-alerts.json`: the latest event of every alert raised and not yet cancelled, so the next run
    /// carries them on (same `alertId`) or closes them.
    case activeAlerts = "active-alerts.json"
    /// `occupancy.json`: the people counters' state (`OccupancyCounter`), so a restart keeps who is inside.
    case occupancy = "occupancy.json"
    /// `lifecycle.json`: the registry's last word on the lifecycle (`LifecycleChange`), so a restart while
    /// the registry is away neither falls back to standby nor turns a drill real.
    case lifecycle = "lifecycle.json"
    /// `record.json`: the last valid record the registry sent (`ShelterRecord`, registry JSON).
    case record = "record.json"
    /// `record.etag`: that record's `ETag`.
    case recordEntityTag = "record.etag"
}
