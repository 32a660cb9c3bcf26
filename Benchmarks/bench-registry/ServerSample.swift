import FoundationEssentials
import Glibc

/// CPU time and resident memory of the registry processes and, apart, of PostgreSQL's, from `/proc` (Linux).
struct ServerSample {
    /// The registry processes' user + system CPU seconds, summed.
    var cpuSeconds: Double
    /// The registry processes' resident set size, bytes, summed.
    var residentBytes: Int
    /// The same for every process named `postgres` (0 unless asked for); its RSS counts shared buffers once
    /// per process, so it overstates.
    var postgresCPUSeconds = 0.0
    var postgresResidentBytes = 0
    var at: ContinuousClock.Instant

    /// Samples `pids`, and every process named `postgres` when `includePostgres`.
    static func take(pids: [Int32], includePostgres: Bool) -> ServerSample {
        var sample = measure(pids)
        if includePostgres {
            let postgres = measure(processes(named: "postgres"))
            sample.postgresCPUSeconds = postgres.cpuSeconds
            sample.postgresResidentBytes = postgres.residentBytes
        }
        return sample
    }

    private static func measure(_ all: [Int32]) -> ServerSample {
        var cpu = 0.0
        var rss = 0
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        for pid in all {
            if let stat = read("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") {
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                // After "pid (comm)": state is field 3, utime 14, stime 15, rss 24 (1-based).
                if fields.count > 21, let user = Double(fields[11]), let system = Double(fields[12]),
                    let pages = Int(fields[21])
                {
                    cpu += (user + system) / ticks
                    rss += pages * page
                }
            }
        }
        return ServerSample(cpuSeconds: cpu, residentBytes: rss, at: .now)
    }

    static func processes(named name: String) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { Int32($0) }.filter {
            read("/proc/\($0)/comm")?.split(separator: "\n").first.map(String.init) == name
        }
    }

    private static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }
}
