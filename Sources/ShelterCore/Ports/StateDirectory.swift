public import FoundationEssentials

/// The agent's state directory (`gateway.state_directory`): what survives a restart. The one owner of the
/// file names (`StateFile`) and of how they are written: each write replaces the whole file atomically
/// (temporary file, rename), so a reader never sees a torn file. A file that is the only copy of what it holds
/// (`StateFile.isDerived` false) is also written durably (fsync of the file and of the directory), so a crash
/// or power loss leaves the old file or the new one; a derived file (the status, the people counters) skips
/// the fsyncs to spare the flash (issue 13: it is rebuilt on start, and an empty one reads as missing).
///
/// The runtime's `FileStateDirectory` writes real files; `ShelterTesting.InMemoryStateDirectory` is the
/// fake. Typed reads and writes are in `StateDirectory+Files.swift`. Implementations are thread-safe.
public protocol StateDirectory: Sendable {
    /// The file's bytes, or `nil` when it does not exist or cannot be read.
    func read(_ file: StateFile) -> [UInt8]?
    /// Replaces the file with `bytes`, atomically (and durably unless `file.isDerived`).
    /// - Throws: when the file cannot be written; the old content then stays.
    func write(_ bytes: [UInt8], to file: StateFile) throws
    /// Marks the file as current without rewriting it (its modification time becomes now): the agent's sign
    /// of life when the status has not changed (`shelter-agent status` reads it).
    /// - Throws: when the file does not exist or cannot be touched.
    func touch(_ file: StateFile) throws
    /// When the file was last written or touched; `nil` when it does not exist.
    func modifiedAt(_ file: StateFile) -> Date?
}

/// The files of the state directory, by what they hold. The raw value is the file name.
public enum StateFile: String, Sendable, Hashable, CaseIterable {
    /// `status.json`: what `shelter-agent status` shows (`AgentStatus`), written when its figures change and
    /// touched as a sign of life otherwise, at most every `statusFileInterval` (30 s).
    case status = "status.json"
    /// `active-alerts.json`: the latest event of every alert raised and not yet cancelled, as agents before
    /// outbox schema 3 saved it. Read once, when the outbox adopts it; the outbox now keeps the alerts' state
    /// with their events (`OutboxWriter.standingAlerts()`).
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

    /// Whether the file is derived state, rewritten often, that the agent rebuilds or can do without on start
    /// (the status, the people counters), and so is written without fsync (issue 13). After a power loss it is
    /// the old file or the new one on ext4's defaults (`auto_da_alloc` flushes a file renamed over another), at
    /// worst empty, which reads as missing: the status is rewritten at start, the counters start from 0.
    public var isDerived: Bool { self == .status || self == .occupancy }

    /// Whether the file is kept in the runtime directory (RAM: systemd's `RuntimeDirectory=`, `/run/shelter-agent`)
    /// when the agent has one, linked from the state directory: the status is rewritten every 30 s whenever a
    /// value moved (an analogue reading nearly always has), 21 KB each time, which was most of what the agent wrote
    /// to flash in standby (issue 13: 2.5 MB/h of 6.8). The people counters stay on flash: they are what a
    /// restart after a power cut needs, and they change only when people move.
    public var isRuntime: Bool { self == .status }
}
