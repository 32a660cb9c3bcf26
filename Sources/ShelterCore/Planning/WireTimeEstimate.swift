/// Estimated time on the wire of one poll cycle on a serial (RTU) bus.
///
/// Modbus RTU framing (Modbus over Serial Line V1.02 §2.5.1): every character is start + data + parity +
/// stop bits (11 for 8E1); a read request is 8 characters (address, function, start, count, CRC); a reply is
/// 5 + 2N characters for N registers or 5 + ⌈N/8⌉ for N bits; each of the two frames is followed by the
/// inter-frame silence (t3.5 by default). Device turnaround time is not included: this is the floor the
/// plan can reach.
public struct WireTimeEstimate: Sendable, Hashable {
    /// Requests in the plan.
    public let requestCount: Int
    /// Time of the plan's requests.
    public let planned: Duration
    /// Points in the plan.
    public let pointCount: Int
    /// Time if every point were read by its own request.
    public let onePerPoint: Duration
    /// Registers (or bits) the plan reads, bridged gaps included.
    public let registerCount: Int
    /// Time if each register (or bit) the plan reads were read by its own request.
    public let onePerRegister: Duration

    /// Estimates `plan` on a serial line; the silence after each frame is `interFrameGap`.
    public init(plan: PollPlan, devices: [Device], line: SerialLine, interFrameGap: Duration) {
        let widths: [String: [String: (RegisterFunction, Int)]] = Dictionary(
            devices.map { device in
                (
                    device.name,
                    Dictionary(
                        device.points.map { ($0.name, ($0.function, $0.width)) }, uniquingKeysWith: { a, _ in a })
                )
            },
            uniquingKeysWith: { a, _ in a })
        func time(_ requests: [(RegisterFunction, Int)]) -> Duration {
            let characters = requests.reduce(0) { total, request in
                total + 8 + Self.replyCharacters(function: request.0, quantity: request.1)
            }
            return line.duration(ofCharacters: Double(characters)) + interFrameGap * (2 * requests.count)
        }
        let planned = plan.requests.map { ($0.function, $0.count) }
        let perPoint = plan.requests.flatMap { request in
            request.points.compactMap { widths[request.device]?[$0] }
        }
        let perRegister = plan.requests.flatMap { request in
            Array(repeating: (request.function, 1), count: request.count)
        }
        self.requestCount = planned.count
        self.planned = time(planned)
        self.pointCount = perPoint.count
        self.onePerPoint = time(perPoint)
        self.registerCount = plan.quantityRead
        self.onePerRegister = time(perRegister)
    }

    /// Characters in the reply to a read of `quantity` registers or bits: address, function, byte count,
    /// data, CRC.
    public static func replyCharacters(function: RegisterFunction, quantity: Int) -> Int {
        function.isBitTable ? 5 + (quantity + 7) / 8 : 5 + 2 * quantity
    }
}

extension SiteConfiguration {
    /// The wire-time estimate of `plan` if its bus is a serial line; `nil` for TCP buses.
    public func wireTimeEstimate(for plan: PollPlan) -> WireTimeEstimate? {
        guard let bus = bus(named: plan.bus), let line = bus.serialLine else { return nil }
        return WireTimeEstimate(plan: plan, devices: devices(on: bus), line: line, interFrameGap: bus.interFrameGap)
    }
}
