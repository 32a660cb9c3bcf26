/// One Modbus device of the site, with its resolved register map and polling settings.
///
/// Validated and immutable; owned by `SiteConfiguration`.
public struct Device: Sendable, Hashable {
    /// Name unique within the site, e.g. `"genset"` (file key `name`).
    public let name: String
    /// The bus it hangs on (file key `bus`); always names a bus of the configuration.
    public let busName: String
    /// Modbus unit id (file key `unit_id`): 1...247 on serial and RTU over TCP, 0...247 or 255 on TCP.
    public let unitID: UnitID
    /// The register map (file key `profile`, or inline `points`).
    public let profile: DeviceProfile
    /// How often every point is read (file key `poll_interval_seconds`). Default 10 s.
    public let pollInterval: Duration
    /// How long to wait for the first byte of a reply (file key `response_timeout_milliseconds`).
    /// Default 500 ms (the libmodbus default).
    public let responseTimeout: Duration
    /// Longest silence allowed between bytes of one reply (file key `byte_timeout_milliseconds`).
    /// Default 500 ms (the libmodbus default).
    public let byteTimeout: Duration
    /// The device's own cap on registers in one read request, 1...125 (file key `max_registers_per_request`).
    /// Default 125 (Modbus Application Protocol V1.1b3 §6.3). Bit reads are capped at 2000 bits.
    public let maxRegistersPerRequest: Int
    /// Largest gap of unread registers the planner may read through to merge two requests
    /// (file key `max_gap_registers`), 0...125. Default 10. Bit tables bridge up to 16 × this many bits
    /// (the same number of reply bytes).
    public let maxGapRegisters: Int
    /// Address ranges the device refuses (file key `known_holes`); never read.
    public let knownHoles: [RegisterRange]

    public init(
        name: String, busName: String, unitID: UnitID, profile: DeviceProfile, pollInterval: Duration = .seconds(10),
        responseTimeout: Duration = .milliseconds(500), byteTimeout: Duration = .milliseconds(500),
        maxRegistersPerRequest: Int = 125, maxGapRegisters: Int = 10, knownHoles: [RegisterRange] = []
    ) {
        self.name = name
        self.busName = busName
        self.unitID = unitID
        self.profile = profile
        self.pollInterval = pollInterval
        self.responseTimeout = responseTimeout
        self.byteTimeout = byteTimeout
        self.maxRegistersPerRequest = maxRegistersPerRequest
        self.maxGapRegisters = maxGapRegisters
        self.knownHoles = knownHoles
    }

    /// The device's points (its profile's).
    public var points: [Point] { profile.points }
}

/// A contiguous range of one Modbus table: `count` registers (or bits) from `start`.
public struct RegisterRange: Sendable, Hashable, Codable {
    /// The table.
    public let function: RegisterFunction
    /// First address, 0-based, 0...65535.
    public let start: Int
    /// Number of registers (or bits), ≥ 1; `start + count` ≤ 65536.
    public let count: Int

    public init(function: RegisterFunction, start: Int, count: Int) {
        self.function = function
        self.start = start
        self.count = count
    }

    /// The addresses covered.
    public var addresses: Range<Int> { start..<(start + count) }
}
