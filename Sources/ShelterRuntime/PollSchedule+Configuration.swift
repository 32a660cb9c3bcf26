public import ShelterCore

extension PollSchedule {
    /// The schedules of every bus of a validated configuration, from its request plan (`RequestPlanner`).
    ///
    /// Devices keep the plan's request order and their configured interval and timeouts; busy retries use
    /// the defaults of `PollSchedule.Device`.
    public static func schedules(for configuration: SiteConfiguration) -> [PollSchedule] {
        let plans = Dictionary(RequestPlanner.plan(for: configuration).map { ($0.bus, $0) }) { a, _ in a }
        return configuration.buses.map { bus in
            let requests = plans[bus.name]?.requests ?? []
            let devices = configuration.devices(on: bus).map { device in
                Device(
                    name: device.name, unitID: device.unitID.rawValue,
                    pollInterval: device.pollInterval, responseTimeout: device.responseTimeout,
                    byteTimeout: device.byteTimeout,
                    requests: requests.filter { $0.device == device.name }.map { request in
                        Request(
                            function: request.function, start: request.start, count: request.count,
                            points: request.points.compactMap { device.profile.point(named: $0) })
                    })
            }
            return PollSchedule(bus: bus.name, transport: bus.transport, interFrameGap: bus.interFrameGap, devices: devices)
        }
    }
}
