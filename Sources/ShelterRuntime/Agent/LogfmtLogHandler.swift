public import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// A swift-log handler writing one line per event to stderr as `key=value` pairs (logfmt), the shape
/// journald and log shippers index: `level=info msg="alert raised" alert.check=C-01 device.id=genset`.
///
/// Under systemd (`$JOURNAL_STREAM` set) the timestamp is left out, since journald adds its own. Values with
/// spaces, quotes or `=` are quoted. Thread-safe: each line is one `write(2)`.
public struct LogfmtLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let withTimestamp: Bool

    /// - Parameters:
    ///   - label: the logger's label, written as `logger=`.
    ///   - level: the lowest level written. Default `.info`.
    ///   - withTimestamp: whether to write `ts=` (UTC, ISO 8601). Default (`nil`): when not under journald.
    public init(label: String, level: Logger.Level = .info, withTimestamp: Bool? = nil) {
        self.label = label
        self.logLevel = level
        self.withTimestamp = withTimestamp ?? (getenv("JOURNAL_STREAM") == nil)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = ""
        if withTimestamp { line += "ts=\(Self.timestamp()) " }
        line += "level=\(event.level.rawValue) msg=\(Self.quoted(event.message.description))"
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for key in merged.keys.sorted() {
            line += " \(key)=\(Self.quoted("\(merged[key]!)"))"
        }
        line += "\n"
        _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    }

    static func quoted(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\n" }
        guard needsQuotes else { return value }
        var escaped = ""
        for c in value {
            switch c {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.append(c)
            }
        }
        return "\"" + escaped + "\""
    }

    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let millis = Int(now.tv_nsec / 1_000_000)
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(ms)Z"
    }
}
