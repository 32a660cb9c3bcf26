/// How much of a bus's time one poll cycle takes: the cycle's wire time against the shortest poll interval of
/// the devices on the bus (issue 11 item 6, what `show-plan` states for every bus).
///
/// The measure is the conservative one: it assumes every device falls due at once (as at start, and whenever
/// the intervals line up), so under 100 % every device is polled on time; over 100 % polls run late. A bus
/// whose cycle time is not estimated (Modbus TCP: no shared serial wire, each request a network round trip)
/// has no fraction, only its shortest interval.
public struct BusUtilisation: Sendable, Hashable {
    /// The wire time of one cycle (`WireTimeEstimate.planned`); `nil` when not estimated (Modbus TCP).
    public let cycle: Duration?
    /// The shortest `poll_interval_seconds` of the devices on the bus.
    public let shortestPollInterval: Duration
    /// Devices polled at `shortestPollInterval`, in file order.
    public let fastestDevices: [String]
    /// Devices on the bus.
    public let deviceCount: Int

    /// Creates the figure from its parts.
    public init(cycle: Duration?, shortestPollInterval: Duration, fastestDevices: [String], deviceCount: Int) {
        self.cycle = cycle
        self.shortestPollInterval = shortestPollInterval
        self.fastestDevices = fastestDevices
        self.deviceCount = deviceCount
    }

    /// `cycle ÷ shortestPollInterval` (0.099 is 9.9 %); `nil` when the cycle is not estimated.
    public var fraction: Double? {
        guard let cycle, shortestPollInterval > .zero else { return nil }
        return cycle / shortestPollInterval
    }

    /// Whether one cycle takes longer than the shortest poll interval (polls would run late).
    public var isOverloaded: Bool { (fraction ?? 0) > 1 }
}

extension SiteConfiguration {
    /// The utilisation of the bus of `plan`; `nil` when the bus is unknown or carries no device.
    public func utilisation(for plan: PollPlan) -> BusUtilisation? {
        guard let bus = bus(named: plan.bus) else { return nil }
        let devices = devices(on: bus)
        guard let shortest = devices.map(\.pollInterval).min() else { return nil }
        return BusUtilisation(
            cycle: wireTimeEstimate(for: plan)?.planned, shortestPollInterval: shortest,
            fastestDevices: devices.filter { $0.pollInterval == shortest }.map(\.name), deviceCount: devices.count)
    }
}
