public import ShelterCore

extension PollSchedule {
    /// The schedules of every bus of a validated configuration, with the requests `RequestPlanner` plans
    /// (the plan `show-plan` prints).
    public static func schedules(for configuration: SiteConfiguration) -> [PollSchedule] {
        configuration.buses.map { bus in
            PollSchedule(
                bus: bus.name, transport: bus.transport, interFrameGap: bus.interFrameGap,
                devices: configuration.devices(on: bus).map(Device.init(configured:)))
        }
    }
}

extension PollSchedule.Device {
    /// A configured device with its planned requests; busy retries take the defaults.
    public init(configured device: Device) {
        self.init(
            name: device.name, unitID: device.unitID.rawValue, pollInterval: device.pollInterval,
            responseTimeout: device.responseTimeout, byteTimeout: device.byteTimeout,
            requests: RequestPlanner.requests(for: device).map { request in
                PollSchedule.Request(
                    function: request.function, start: request.start, count: request.count,
                    points: request.points.compactMap { device.profile.point(named: $0) })
            })
    }
}
