import ArgumentParser
import FoundationEssentials
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ShelterCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `bench-registry`: plays N gateways against running registries at city cadence, each with its own client
/// certificate and one kept-alive connection, and prints requests/s, p50/p99 latency and the servers' CPU
/// and memory (issue 14 item 5). `Scripts/bench-registry` starts the registries and runs it.
@main
struct RegistryLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-registry",
        abstract: "Load generator for shelter-registry: N gateways with their own certificates at city cadence.")

    @Option(help: "Write a registry --config for N gateways (shelters BENCH-0000…, gateways gw-bench-0000…) and exit.")
    var writeConfig: String?
    @Option(help: "Registry base URL, https://HOST:PORT (repeatable: gateways are spread over the instances).")
    var url: [String] = []
    @Option(help: "Directory of the development PKI (Scripts/pki): ca.crt and ca.key sign the gateways' certificates.")
    var pki: String?
    @Option(help: "Simulated gateways.") var gateways = 1000
    @Option(help: "Seconds over which the gateways connect (not measured).") var ramp = 30.0
    @Option(help: "Seconds measured after the ramp.") var duration = 120.0
    @Option(help: "Heartbeat interval, seconds.") var heartbeatSeconds = 30.0
    @Option(help: "Report interval of an activated shelter, seconds.") var activatedReportSeconds = 60.0
    @Option(help: "Report interval of a shelter on standby, seconds.") var standbyReportSeconds = 900.0
    @Option(help: "Share of the shelters activated, 0…1.") var activatedShare = 1.0
    @Option(help: "An alert burst every this many seconds: a share of the gateways raise an alert at once.")
    var burstSeconds = 60.0
    @Option(help: "Share of the gateways in each alert burst, 0…1.") var burstShare = 0.1
    @Option(help: "Server process id to sample for CPU and memory (repeatable).") var serverPid: [Int32] = []
    @Flag(help: "Also sample every process named postgres.") var includePostgres = false
    @Option(help: "Event-loop threads of the load generator.") var threads = 1

    func run() async throws {
        if let writeConfig {
            try Self.config(gateways: gateways).write(toFile: writeConfig)
            return
        }
        guard let pki, !url.isEmpty else { throw ValidationError("give --pki and --url (or --write-config)") }
        let targets = try url.map(Self.parse)
        let certificates = try GatewayCertificates(pkiDirectory: pki)
        let trust = try NIOSSLCertificate.fromPEMFile("\(pki)/ca.crt")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let stats = LoadStats()
        let clock = ContinuousClock()
        let start = clock.now
        let measureFrom = start + .seconds(ramp)
        let end = measureFrom + .seconds(duration)
        let before = ServerSample.take(pids: serverPid, includePostgres: includePostgres)

        let plan = self
        let client = [getpid()]
        let sampler = Task {
            try await clock.sleep(until: measureFrom)
            return (
                ServerSample.take(pids: plan.serverPid, includePostgres: plan.includePostgres),
                ServerSample.take(pids: client, includePostgres: false)
            )
        }
        // Sampled at the end of the measured window, while every gateway still holds its connection.
        let endSampler = Task {
            try await clock.sleep(until: end)
            return (
                ServerSample.take(pids: plan.serverPid, includePostgres: plan.includePostgres),
                ServerSample.take(pids: client, includePostgres: false)
            )
        }
        await withTaskGroup(of: Void.self) { tasks in
            for index in 0..<gateways {
                tasks.addTask {
                    await plan.playGateway(
                        index, target: targets[index % targets.count], certificates: certificates, trust: trust,
                        group: group, stats: stats, start: start, measureFrom: measureFrom, end: end)
                }
            }
        }
        let (atMeasureStart, clientAtStart) = try await sampler.value
        let (after, clientAfter) = try await endSampler.value
        try await group.shutdownGracefully()
        print(
            stats.report(
                gateways: gateways, instances: targets.count, seconds: duration, before: before,
                atMeasureStart: atMeasureStart, after: after, client: (clientAtStart, clientAfter)))
    }

    /// One gateway: connect during the ramp, then heartbeats, reports and burst alerts until `end`.
    private func playGateway(
        _ index: Int, target: (host: String, port: Int), certificates: GatewayCertificates, trust: [NIOSSLCertificate],
        group: any EventLoopGroup, stats: LoadStats, start: ContinuousClock.Instant,
        measureFrom: ContinuousClock.Instant, end: ContinuousClock.Instant
    ) async {
        let clock = ContinuousClock()
        let id = Self.name(index)
        let payloads = LoadPayloads(gatewayId: "gw-bench-\(id)", shelterId: "BENCH-\(id)")
        let rampShare = Double(index) / Double(max(1, gateways))
        try? await clock.sleep(until: start + .seconds(ramp * rampShare))
        let context: NIOSSLContext
        do {
            let (certificate, key) = try certificates.mint(gatewayId: payloads.gatewayId)
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(trust)
            tls.certificateVerification = .noHostnameVerification
            tls.certificateChain = [.certificate(certificate)]
            tls.privateKey = .privateKey(key)
            context = try NIOSSLContext(configuration: tls)
        } catch {
            stats.fail("certificate: \(error)")
            return
        }
        var connection: GatewayConnection?
        let activated = rampShare < activatedShare
        let reportEvery = activated ? activatedReportSeconds : standbyReportSeconds
        var nextHeartbeat = measureFrom + .seconds(Double.random(in: 0..<heartbeatSeconds)) - .seconds(heartbeatSeconds)
        var nextReport = measureFrom + .seconds(Double.random(in: 0..<reportEvery)) - .seconds(min(reportEvery, ramp))
        let inBursts = Double(index % 1000) / 1000 < burstShare
        var nextBurst = measureFrom + .seconds(burstSeconds / 2 + Double.random(in: 0..<1))
        var sequence: Int64 = 0
        var alerts = 0
        while clock.now < end {
            let due = min(nextHeartbeat, nextReport, inBursts ? nextBurst : end)
            if due > clock.now { try? await clock.sleep(until: min(due, end)) }
            guard clock.now < end else { break }
            let kind: LoadStats.Kind
            let method: HTTPMethod = .POST
            let path: String
            let body: [UInt8]
            do {
                if clock.now >= nextHeartbeat {
                    kind = .heartbeat
                    path = RegistryAPI.heartbeatPath(gatewayId: payloads.gatewayId)
                    body = try payloads.heartbeat(uptime: clock.now - start)
                    nextHeartbeat = nextHeartbeat + .seconds(heartbeatSeconds)
                } else if clock.now >= nextReport {
                    kind = .report
                    sequence += 1
                    path = RegistryAPI.statusPath(shelterId: payloads.shelterId)
                    body = try payloads.report(sequence: sequence)
                    nextReport = nextReport + .seconds(reportEvery)
                } else {
                    kind = .alert
                    alerts += 1
                    path = RegistryAPI.alertsPath(shelterId: payloads.shelterId)
                    body = try payloads.alert(number: alerts)
                    nextBurst = nextBurst + .seconds(burstSeconds)
                }
            } catch {
                stats.fail("encode: \(error)")
                return
            }
            let sentAt = clock.now
            do {
                if connection?.isActive != true {
                    connection = try await GatewayConnection.connect(
                        group: group, host: target.host, port: target.port, context: context)
                    if sentAt >= measureFrom { stats.reconnected() }
                }
                let status = try await connection!.send(method, path, json: body)
                if sentAt >= measureFrom { stats.record(kind, latency: clock.now - sentAt, status: status) }
            } catch {
                connection = nil
                if sentAt >= measureFrom { stats.fail("\(kind): \(error)") }
            }
        }
        // Hold the connection a moment past the end, so the end sample sees every gateway connected.
        try? await clock.sleep(until: end + .seconds(2))
        await connection?.close()
    }

    static func name(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    static func parse(_ url: String) throws -> (host: String, port: Int) {
        guard url.hasPrefix("https://") else { throw ValidationError("--url wants https://HOST:PORT, got \(url)") }
        let rest = url.dropFirst("https://".count).split(separator: "/").first ?? ""
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]) else {
            throw ValidationError("--url wants https://HOST:PORT, got \(url)")
        }
        return (String(rest[..<colon]), port)
    }

    /// A registry `--config` for `gateways` shelters, one gateway each, no filed records.
    static func config(gateways: Int) -> String {
        let shelters = (0..<gateways).map { index in
            let id = name(index)
            return "{\"id\":\"BENCH-\(id)\",\"gateways\":[\"gw-bench-\(id)\"],\"lifecycle\":\"activated\"}"
        }
        return "{\"shelters\":[\n" + shelters.joined(separator: ",\n") + "\n],\"operators\":[\"operator\"]}\n"
    }
}

extension String {
    func write(toFile path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(utf8)) else {
            throw BenchError("cannot write \(path)")
        }
    }
}
