import Foundation
import Logging
import PostgresNIO

/// One month partition of `reports` (migration 2): rows whose `observed_at` (seconds since 1970) lies in
/// `[lower, upper)`, a calendar month in UTC, in the table `reports_yYYYYmMM`.
struct ReportPartition: Sendable, Equatable {
    var name: String
    var lower: Double
    var upper: Double

    /// The partitions of the month holding `date` and the `monthsAhead` months after it.
    static func months(from date: Date, monthsAhead: Int) -> [ReportPartition] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = calendar.dateComponents([.year, .month], from: date)
        guard let first = calendar.date(from: components) else { return [] }
        return (0...max(0, monthsAhead)).compactMap { offset in
            guard let start = calendar.date(byAdding: .month, value: offset, to: first),
                let end = calendar.date(byAdding: .month, value: 1, to: start)
            else { return nil }
            let parts = calendar.dateComponents([.year, .month], from: start)
            let month = parts.month ?? 0
            return ReportPartition(
                name: "reports_y\(parts.year ?? 0)m\(month < 10 ? "0" : "")\(month)",
                lower: start.timeIntervalSince1970, upper: end.timeIntervalSince1970)
        }
    }
}

extension PostgresRegistryStore {
    /// Months after the current one that always have a partition, so rows land in a month partition rather
    /// than in `reports_default`. The default is 3.
    static let partitionMonthsAhead = 3
    private static let partitionLock: Int64 = 0x5348_454C_5445_53  // "SHELTES"

    /// Creates the month partitions of `reports` from the month of `now` through `monthsAhead` months after it
    /// that do not exist yet, under an advisory lock so instances doing it together create each once. Rows
    /// `reports_default` holds for a month being created move into it (a month is created empty, filled
    /// from the default partition, then attached), so creating a month never fails on rows that arrived
    /// early. Past months are never created: their rows stay where they are.
    ///
    /// - Returns: the names of the partitions created (empty when all existed).
    @discardableResult
    func ensureReportPartitions(at now: Date, monthsAhead: Int = partitionMonthsAhead) async throws -> [String] {
        let months = ReportPartition.months(from: now, monthsAhead: monthsAhead)
        return try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.partitionLock))", logger: logger)
            var created: [String] = []
            for month in months {
                var exists = false
                for try await value in try await connection.query(
                    "SELECT to_regclass(\(month.name)) IS NOT NULL", logger: logger
                ).decode(Bool.self) { exists = value }
                if exists { continue }
                // Names and bounds are ours (digits), never input: safe to splice.
                let range = "observed_at >= \(month.lower) AND observed_at < \(month.upper)"
                for sql in [
                    "CREATE TABLE \(month.name) (LIKE reports INCLUDING DEFAULTS)",
                    """
                    WITH moved AS (DELETE FROM reports_default WHERE \(range) RETURNING *)
                    INSERT INTO \(month.name) SELECT * FROM moved
                    """,
                    "ALTER TABLE reports ATTACH PARTITION \(month.name) FOR VALUES FROM (\(month.lower)) TO (\(month.upper))",
                ] {
                    try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
                }
                created.append(month.name)
            }
            return created
        }
    }
}
