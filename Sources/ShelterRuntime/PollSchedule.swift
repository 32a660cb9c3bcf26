public import ShelterCore

/// What one bus worker polls: its transport and its devices with their requests and points, in the form the
/// worker runs (built from a validated `SiteConfiguration` and its `PollPlan` by `schedules(for:)`).
///
/// Pure value; `Sendable`. Units: times as `Duration`, counts in 16-bit registers or bits.
public struct PollSchedule: Sendable, Hashable {
    /// One read request: `count` registers or bits from `start` in `function`'s table.
    public struct Request: Sendable, Hashable {
        /// The table, which gives the function code.
        public var function: RegisterFunction
        /// First address, 0-based.
        public var start: Int
        /// Registers (1...125) or bits (1...2000).
        public var count: Int
        /// The points the reply carries, in address order.
        public var points: [Point]

        public init(function: RegisterFunction, start: Int, count: Int, points: [Point]) {
            self.function = function
            self.start = start
            self.count = count
            self.points = points
        }
    }

    /// One device on the bus.
    public struct Device: Sendable, Hashable {
        /// Device name from the site configuration.
        public var name: String
        /// Modbus unit id (slave address), 0...255 (1...247 on serial lines).
        public var unitID: UInt8
        /// Time between the starts of two polls. Default 1 second.
        public var pollInterval: Duration
        /// How long to wait for the first byte of a reply. Default 500 ms.
        public var responseTimeout: Duration
        /// How long to wait between bytes of a reply. Default 100 ms.
        public var byteTimeout: Duration
        /// Retries after a "server device busy" (exception 6) reply. Default 2.
        public var busyRetries: Int
        /// Wait before retrying a busy request. Default 100 ms.
        public var busyRetryWait: Duration
        /// Requests in the order they are sent.
        public var requests: [Request]

        public init(
            name: String, unitID: UInt8, pollInterval: Duration = .seconds(1),
            responseTimeout: Duration = .milliseconds(500), byteTimeout: Duration = .milliseconds(100),
            busyRetries: Int = 2, busyRetryWait: Duration = .milliseconds(100), requests: [Request]
        ) {
            self.name = name
            self.unitID = unitID
            self.pollInterval = pollInterval
            self.responseTimeout = responseTimeout
            self.byteTimeout = byteTimeout
            self.busyRetries = busyRetries
            self.busyRetryWait = busyRetryWait
            self.requests = requests
        }
    }

    /// Bus name from the site configuration.
    public var bus: String
    /// Where the bus is.
    public var transport: Bus.Transport
    /// Silence kept between the end of one transaction and the next request (`Bus.interFrameGap`: on RTU
    /// the line's t3.5, at least 1.75 ms; libmodbus does not wait it).
    public var interFrameGap: Duration
    /// The devices, in polling order.
    public var devices: [Device]

    public init(bus: String, transport: Bus.Transport, interFrameGap: Duration, devices: [Device]) {
        self.bus = bus
        self.transport = transport
        self.interFrameGap = interFrameGap
        self.devices = devices
    }
}
