/// One Modbus read request of a poll cycle: `count` registers (or bits) of one table from `start`.
///
/// Produced by `RequestPlanner`; the bus worker sends it and decodes `points` from the reply.
public struct ReadRequest: Sendable, Hashable, Codable {
    /// Device name.
    public let device: String
    /// The device's unit id, set on every request.
    public let unitID: UnitID
    /// The table read (function code 1, 2, 3 or 4).
    public let function: RegisterFunction
    /// First address, 0-based.
    public let start: Int
    /// Number of registers (1...125) or bits (1...2000), including bridged gaps.
    public let count: Int
    /// Names of the points decoded from the reply, in address order.
    public let points: [String]

    public init(device: String, unitID: UnitID, function: RegisterFunction, start: Int, count: Int, points: [String]) {
        self.device = device
        self.unitID = unitID
        self.function = function
        self.start = start
        self.count = count
        self.points = points
    }

    /// The addresses read.
    public var addresses: Range<Int> { start..<(start + count) }

    enum CodingKeys: String, CodingKey {
        case device, unitID = "unit_id", function, start, count, points
    }
}

/// The requests of one poll cycle on one bus, in the order they are sent.
public struct PollPlan: Sendable, Hashable, Codable {
    /// Bus name.
    public let bus: String
    /// Requests, grouped by device in site-file order, then by function (coil, discrete, holding, input),
    /// then by address.
    public let requests: [ReadRequest]

    public init(bus: String, requests: [ReadRequest]) {
        self.bus = bus
        self.requests = requests
    }

    /// Registers (or bits) read in one cycle, bridged gaps included.
    public var quantityRead: Int { requests.reduce(0) { $0 + $1.count } }
}
