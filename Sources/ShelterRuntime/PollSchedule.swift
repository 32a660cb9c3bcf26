public import ShelterCore

/// What one bus worker polls: its transport and its devices with their requests, in the form the worker
/// runs (built from a validated `SiteConfiguration` and its `PollPlan`; see `PollSchedule+Configuration`).
///
/// Pure value; `Sendable`. Units: times as `Duration`, counts in 16-bit registers or bits.
public struct PollSchedule: Sendable, Hashable {
    /// Where the bus is.
    public enum Transport: Sendable, Hashable {
        /// Modbus TCP to `host:port`.
        case tcp(host: String, port: Int)
        /// Modbus RTU on a serial port, e.g. `/dev/ttyUSB0`, at `baud` (e.g. 9600), parity `"N"`, `"E"` or
        /// `"O"`, 7 or 8 data bits, 1 or 2 stop bits.
        case rtu(device: String, baud: Int, parity: Character, dataBits: Int, stopBits: Int)
    }

    /// How one point is decoded from its request's reply.
    public struct Point: Sendable, Hashable {
        /// Point name, unique within its device.
        public var name: String
        /// First address (0-based) of the point in its table.
        public var address: Int
        /// Data type; `.boolean` for coils and discrete inputs.
        public var type: DataType
        /// Byte order of the registers.
        public var order: ByteOrder
        /// Multiplier applied to the raw value. Default 1.
        public var scale: Double
        /// Added after scaling. Default 0.
        public var offset: Double
        /// Raw values (unsigned bits of the type's width) that mean "no data".
        public var sentinels: Set<UInt64>
        /// Plausible engineering values; a value outside is no sample (`out_of_range`). `nil`: any.
        public var plausibleRange: ClosedRange<Double>?

        public init(
            name: String, address: Int, type: DataType, order: ByteOrder? = nil, scale: Double = 1,
            offset: Double = 0, sentinels: Set<UInt64> = [], plausibleRange: ClosedRange<Double>? = nil
        ) {
            self.name = name
            self.address = address
            self.type = type
            self.order = order ?? type.defaultByteOrder
            self.scale = scale
            self.offset = offset
            self.sentinels = sentinels
            self.plausibleRange = plausibleRange
        }

        /// Registers (or bits, for bit tables) the point spans.
        public var width: Int { type == .boolean ? 1 : type.registerCount }
    }

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
    public var transport: Transport
    /// Silence kept between the end of one transaction and the next request. On RTU the default is
    /// max(3.5 characters, 1.75 ms) (Modbus over serial line V1.02 §2.5.1.1; libmodbus does not wait it).
    public var interFrameGap: Duration
    /// The devices, in polling order.
    public var devices: [Device]

    public init(bus: String, transport: Transport, interFrameGap: Duration? = nil, devices: [Device]) {
        self.bus = bus
        self.transport = transport
        self.devices = devices
        if let interFrameGap {
            self.interFrameGap = interFrameGap
        } else if case .rtu(_, let baud, let parity, let dataBits, let stopBits) = transport {
            let bits = 1 + dataBits + (parity == "N" ? 0 : 1) + stopBits
            let nanoseconds = Int64(bits) * 3_500_000_000 / Int64(max(baud, 1))
            self.interFrameGap = .nanoseconds(max(nanoseconds, 1_750_000))
        } else {
            self.interFrameGap = .zero
        }
    }
}
