import ArgumentParser
import FoundationEssentials
import ShelterCore
import ShelterRuntime

/// `shelter-agent show-plan FILE [--json]`: prints the read requests of one poll cycle, per bus.
struct ShowPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show-plan",
        abstract: "Print the read requests of one poll cycle per bus, with the serial wire-time estimate.",
        discussion: """
            For serial buses, also prints the estimated wire time of one cycle at the bus's settings next \
            to the time with one request per point and per register (Modbus RTU framing: request 8 \
            characters, reply 5 + 2N, t3.5 silence after each frame), and the bus's utilisation: that \
            cycle against the shortest poll interval of its devices. Over 100 % polls run late. Modbus \
            TCP buses have no shared serial wire: their utilisation is not estimated. Lines fit in 100 \
            columns.
            """)

    @Argument(help: "Site file.")
    var file: String

    @Option(name: .customLong("profiles"), help: "Profile directory. Default: ../profiles next to the site file.")
    var profileDirectory: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Flag(help: "Accepted for symmetry with check-config; a plan never needs the TLS files, so they are not checked.")
    var skipFileChecks = false

    @OptionGroup var language: LanguageOptions

    func run() async throws {
        let reader = language.resolved(environment: ProcessInfo.processInfo.environment)
        // What goes on the wire does not depend on the gateway's certificates: plan a site file anywhere.
        let loader = SiteConfigurationLoader(profileDirectory: profileDirectory, checksFiles: false)
        let site: SiteConfiguration
        switch loader.load(siteFile: file) {
        case .success(let loaded): site = loaded
        case .failure(let error):
            for issue in error.issues { print(issue.text(in: reader)) }
            throw ExitCode(ExitStatus.dataError.rawValue)
        }
        let plans = RequestPlanner.plan(for: site)
        if json {
            let report = plans.map {
                PlanReport(plan: $0, estimate: site.wireTimeEstimate(for: $0), utilisation: site.utilisation(for: $0))
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        for plan in plans {
            print(
                PlanText.render(
                    plan, bus: site.bus(named: plan.bus), estimate: site.wireTimeEstimate(for: plan),
                    utilisation: site.utilisation(for: plan), language: reader))
        }
    }
}

/// The JSON shape of one bus in `show-plan --json`.
struct PlanReport: Encodable {
    var bus: String
    var requests: [ReadRequest]
    var estimate: Estimate?
    var utilisation: Utilisation?

    struct Estimate: Encodable {
        var requests: Int
        var plannedMilliseconds: Double
        var points: Int
        var onePerPointMilliseconds: Double
        var registers: Int
        var onePerRegisterMilliseconds: Double

        enum CodingKeys: String, CodingKey {
            case requests, points, registers
            case plannedMilliseconds = "planned_milliseconds"
            case onePerPointMilliseconds = "one_per_point_milliseconds"
            case onePerRegisterMilliseconds = "one_per_register_milliseconds"
        }
    }

    /// `BusUtilisation`: `percent` and `cycle_milliseconds` are absent on a bus whose cycle is not estimated
    /// (Modbus TCP).
    struct Utilisation: Encodable {
        var percent: Double?
        var cycleMilliseconds: Double?
        var shortestPollIntervalSeconds: Double
        var fastestDevices: [String]
        var devices: Int

        enum CodingKeys: String, CodingKey {
            case percent, devices
            case cycleMilliseconds = "cycle_milliseconds"
            case shortestPollIntervalSeconds = "shortest_poll_interval_seconds"
            case fastestDevices = "fastest_devices"
        }
    }

    init(plan: PollPlan, estimate: WireTimeEstimate?, utilisation: BusUtilisation?) {
        bus = plan.bus
        requests = plan.requests
        self.estimate = estimate.map {
            Estimate(
                requests: $0.requestCount, plannedMilliseconds: PlanText.milliseconds($0.planned),
                points: $0.pointCount, onePerPointMilliseconds: PlanText.milliseconds($0.onePerPoint),
                registers: $0.registerCount, onePerRegisterMilliseconds: PlanText.milliseconds($0.onePerRegister))
        }
        self.utilisation = utilisation.map {
            Utilisation(
                percent: $0.fraction.map { ($0 * 1000).rounded() / 10 },
                cycleMilliseconds: $0.cycle.map(PlanText.milliseconds),
                shortestPollIntervalSeconds: PlanText.milliseconds($0.shortestPollInterval) / 1000,
                fastestDevices: $0.fastestDevices, devices: $0.deviceCount)
        }
    }
}

/// Text rendering of a plan.
enum PlanText {
    static func milliseconds(_ duration: Duration) -> Double {
        let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return (value * 10).rounded() / 10
    }

    /// The widest line `show-plan` prints, in terminal columns (issue 11: it fits a 100-column terminal).
    static let width = 100

    static func render(
        _ plan: PollPlan, bus: Bus?, estimate: WireTimeEstimate?, utilisation: BusUtilisation?,
        language: Language = .en
    ) -> String {
        var lines: [String] = []
        func add(_ text: String, indent: String) {
            lines += DisplayWidth.wrap(text, width: width, indent: indent, continuation: indent + "    ")
        }
        var header = plan.bus
        if let bus {
            switch bus.transport {
            case .serial(let line):
                header +=
                    " (serial \(line.device), \(line.baudRate) \(line.dataBits)\(line.parity.rawValue)\(line.stopBits))"
            case .tcp(let host, let port): header += " (tcp \(host):\(port))"
            case .rtuOverTCP(let host, let port): header += " (rtu over tcp \(host):\(port))"
            }
        }
        add(
            ScreenText.planBus(bus: header, requests: plan.requests.count, quantity: plan.quantityRead).text(
                in: language), indent: "")
        for request in plan.requests {
            let line = ScreenText.planRequest(
                device: request.device, unitID: Int(request.unitID.rawValue),
                functionCode: Int(request.function.readFunctionCode),
                function: request.function, start: Int(request.start), count: Int(request.count),
                points: request.points.joined(separator: ", "))
            add(line.text(in: language), indent: "  ")
        }
        if let estimate {
            add(
                ScreenText.planWireTime(planned: "\(milliseconds(estimate.planned))", requests: estimate.requestCount)
                    .text(in: language), indent: "  ")
            add(
                ScreenText.planWireTimeAlternatives(
                    perPoint: "\(milliseconds(estimate.onePerPoint))", points: estimate.pointCount,
                    perRegister: "\(milliseconds(estimate.onePerRegister))", registers: estimate.registerCount
                ).text(in: language), indent: "    ")
        }
        if let utilisation {
            let interval = milliseconds(utilisation.shortestPollInterval) / 1000
            let fastest = utilisation.fastestDevices.count
            if let fraction = utilisation.fraction, let cycle = utilisation.cycle {
                add(
                    ScreenText.planUtilisation(
                        fraction: fraction, cycle: "\(milliseconds(cycle))", interval: interval, fastest: fastest,
                        devices: utilisation.deviceCount
                    ).text(in: language), indent: "  ")
                if utilisation.isOverloaded { add(ScreenText.planOverloaded.text(in: language), indent: "    ") }
            } else {
                add(
                    ScreenText.planUtilisationNotEstimated(
                        interval: interval, fastest: fastest, devices: utilisation.deviceCount
                    ).text(in: language), indent: "  ")
            }
        }
        return lines.joined(separator: "\n")
    }
}
