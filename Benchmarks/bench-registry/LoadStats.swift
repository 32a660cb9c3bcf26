import FoundationEssentials
import Synchronization

/// Latencies and failures of a load run, from every gateway task.
final class LoadStats: Sendable {
    enum Kind: String, Sendable, CaseIterable { case heartbeat, report, alert }

    private struct State {
        var latencies: [Kind: [Double]] = [:]
        var statuses: [Int: Int] = [:]
        var failures: [String: Int] = [:]
        var reconnects = 0
    }

    private let state = Mutex(State())

    func record(_ kind: Kind, latency: Duration, status: Int) {
        let seconds = Double(latency.components.seconds) + Double(latency.components.attoseconds) * 1e-18
        state.withLock {
            $0.latencies[kind, default: []].append(seconds)
            $0.statuses[status, default: 0] += 1
        }
    }

    func fail(_ reason: String) {
        let key = String(reason.prefix(120))
        state.withLock { $0.failures[key, default: 0] += 1 }
    }

    func reconnected() { state.withLock { $0.reconnects += 1 } }

    func report(
        gateways: Int, instances: Int, seconds: Double, before: ServerSample, atMeasureStart: ServerSample,
        after: ServerSample, client: (start: ServerSample, end: ServerSample)
    ) -> String {
        let snapshot = state.withLock { $0 }
        let all = snapshot.latencies.values.flatMap { $0 }.sorted()
        var lines: [String] = []
        let failed = snapshot.failures.values.reduce(0, +)
        lines.append(
            "gateways \(gateways) on \(instances) instance(s), \(Self.fixed(seconds, 0)) s measured: "
                + "\(all.count) answers, \(Self.fixed(Double(all.count) / seconds, 1)) req/s, "
                + "p50 \(Self.milliseconds(all, 0.5)) ms, p99 \(Self.milliseconds(all, 0.99)) ms, "
                + "max \(Self.milliseconds(all, 1.0)) ms, \(failed) failed, \(snapshot.reconnects) reconnects")
        for kind in Kind.allCases {
            let values = (snapshot.latencies[kind] ?? []).sorted()
            guard !values.isEmpty else { continue }
            lines.append(
                "  \(kind.rawValue): \(values.count), p50 \(Self.milliseconds(values, 0.5)) ms, "
                    + "p99 \(Self.milliseconds(values, 0.99)) ms")
        }
        lines.append(
            "  statuses: "
                + snapshot.statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }
                .joined(separator: " "))
        for (reason, count) in snapshot.failures.sorted(by: { $0.value > $1.value }).prefix(5) {
            lines.append("  failure ×\(count): \(reason)")
        }
        let elapsed = after.at - atMeasureStart.at
        let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let cpu = elapsedSeconds > 0 ? (after.cpuSeconds - atMeasureStart.cpuSeconds) / elapsedSeconds * 100 : 0
        let perGateway = Double(after.residentBytes - before.residentBytes) / Double(max(1, gateways)) / 1024
        lines.append(
            "  registry: CPU \(Self.fixed(cpu, 0)) % of one core, RSS \(Self.fixed(Double(after.residentBytes) / 1_048_576, 0)) MiB "
                + "(\(Self.fixed(perGateway, 1)) KiB per connected gateway over the idle registry)")
        let clientCPU =
            elapsedSeconds > 0 ? (client.end.cpuSeconds - client.start.cpuSeconds) / elapsedSeconds * 100 : 0
        let answers = Double(max(1, all.count))
        lines.append(
            "  load client: CPU \(Self.fixed(clientCPU, 0)) % of one core; CPU per request: client "
                + "\(Self.fixed((client.end.cpuSeconds - client.start.cpuSeconds) / answers * 1e6, 0)) µs, registry "
                + "\(Self.fixed((after.cpuSeconds - atMeasureStart.cpuSeconds) / answers * 1e6, 0)) µs")
        if after.postgresResidentBytes > 0 {
            let postgresCPU =
                elapsedSeconds > 0
                ? (after.postgresCPUSeconds - atMeasureStart.postgresCPUSeconds) / elapsedSeconds * 100 : 0
            lines.append(
                "  postgres: CPU \(Self.fixed(postgresCPU, 0)) % of one core, RSS summed over its processes "
                    + "\(Self.fixed(Double(after.postgresResidentBytes) / 1_048_576, 0)) MiB")
        }
        return lines.joined(separator: "\n")
    }

    private static func milliseconds(_ sorted: [Double], _ quantile: Double) -> String {
        guard !sorted.isEmpty else { return "-" }
        let index = min(sorted.count - 1, Int((Double(sorted.count) * quantile).rounded(.up)) - 1)
        return fixed(sorted[max(0, index)] * 1000, 1)
    }

    static func fixed(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if decimals == 0 { return String(Int(rounded)) }
        return String(rounded)
    }
}
