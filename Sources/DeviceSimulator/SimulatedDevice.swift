public import Modbus
public import ShelterCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One simulated Modbus device: a register map from a profile, values from scripts, declared faults.
///
/// Values are computed when a request arrives (from the time since `start`), encoded with each point's type,
/// byte order, scale and offset, and served from a `ModbusMapping`. Thread-safe: server threads call
/// `handle(_:)`, the control channel calls `set`/`updateFaults` at any time.
public final class SimulatedDevice: Sendable {
    /// Device name (from the site file, or given on the command line).
    public let name: String
    /// Unit id answered.
    public let unitID: UInt8
    /// The register map.
    public let profile: DeviceProfile
    /// The served tables.
    public let mapping: ModbusMapping
    private let isTCP: Bool
    private let clock = ContinuousClock()
    private let startedAt: ContinuousClock.Instant
    private let state: Mutex<State>

    private struct State: Sendable {
        var generators: [String: ValueGenerator]
        var faults: FaultPlan
        var random: SeededRandom
        var requests = 0
        var isDown = false
    }

    /// Creates a device serving `profile` with `scripts` (points without a script hold the middle of their
    /// plausible range, or 0).
    /// - Parameters:
    ///   - isTCP: whether it is served over Modbus TCP (decides the shape of junk replies).
    ///   - seed: seed for random walks.
    /// - Throws: `ModbusError` if the mapping cannot be created.
    public init(
        name: String, unitID: UInt8, profile: DeviceProfile, scripts: [String: ValueScript] = [:],
        faults: FaultPlan = .init(), isTCP: Bool, seed: UInt64 = 1
    ) throws(ModbusError) {
        self.name = name
        self.unitID = unitID
        self.profile = profile
        self.isTCP = isTCP
        func range(_ function: RegisterFunction) -> Range<Int> {
            let spans = profile.points.filter { $0.function == function }.map(\.span)
            guard let low = spans.map(\.lowerBound).min(), let high = spans.map(\.upperBound).max() else {
                return 0..<0
            }
            return low..<high
        }
        mapping = try ModbusMapping(
            coils: range(.coil), discreteInputs: range(.discreteInput), holdingRegisters: range(.holdingRegister),
            inputRegisters: range(.inputRegister))
        var generators: [String: ValueGenerator] = [:]
        for point in profile.points {
            generators[point.name] = ValueGenerator(scripts[point.name] ?? .constant(Self.restingValue(of: point)))
        }
        startedAt = clock.now
        state = Mutex(State(generators: generators, faults: faults, random: SeededRandom(seed: seed)))
        refresh()
    }

    /// The value a point holds when no script names it: the middle of its plausible range, else 0 (false).
    static func restingValue(of point: Point) -> SampleValue {
        if point.function.isBitTable || point.type == .boolean { return .bool(false) }
        if let low = point.plausibleMinimum, let high = point.plausibleMaximum { return .double((low + high) / 2) }
        return .double(max(0, point.plausibleMinimum ?? 0))
    }

    // MARK: Control

    /// Replaces the script of `point`. Returns `false` for an unknown point.
    @discardableResult
    public func setScript(_ script: ValueScript, for point: String) -> Bool {
        state.withLock { s in
            guard s.generators[point] != nil else { return false }
            s.generators[point] = ValueGenerator(script)
            return true
        }
    }

    /// Changes the faults.
    public func updateFaults(_ body: (inout FaultPlan) -> Void) { state.withLock { body(&$0.faults) } }

    /// The current faults.
    public var faults: FaultPlan { state.withLock { $0.faults } }

    /// A stopped device answers nothing (a power cut); `isDown = false` restarts it.
    public var isDown: Bool {
        get { state.withLock { $0.isDown } }
        set { state.withLock { $0.isDown = newValue } }
    }

    /// Requests received so far.
    public var requestCount: Int { state.withLock { $0.requests } }

    /// The engineering value `point` has now, as the device would serve it.
    public func currentValue(of point: String) -> SampleValue? {
        let elapsed = startedAt.duration(to: clock.now)
        return state.withLock { s in
            guard var generator = s.generators[point] else { return nil }
            defer { s.generators[point] = generator }
            return generator.value(at: elapsed, random: &s.random)
        }
    }

    // MARK: Serving

    /// Encodes every point's current value into the mapping.
    func refresh() {
        let elapsed = startedAt.duration(to: clock.now)
        let values: [(Point, SampleValue)] = state.withLock { s in
            profile.points.compactMap { point in
                guard var generator = s.generators[point.name] else { return nil }
                defer { s.generators[point.name] = generator }
                return (point, generator.value(at: elapsed, random: &s.random))
            }
        }
        for (point, value) in values {
            if point.function.isBitTable {
                let on = value.numericValue.map { $0 != 0 } ?? false
                try? mapping.setBits([on], in: point.function.modbusTable, startingAt: point.address)
            } else if let registers = Self.encode(value, for: point) {
                try? mapping.setRegisters(registers, in: point.function.modbusTable, startingAt: point.address)
            }
        }
    }

    static func encode(_ value: SampleValue, for point: Point) -> [UInt16]? {
        if let registers = RegisterCodec.encode(
            value, as: point.type, order: point.byteOrder, scale: point.scale, offset: point.offset)
        {
            return registers
        }
        // A double script for an integer point: round to the nearest raw value.
        guard let x = value.numericValue else { return nil }
        let raw = ((x - point.offset) / point.scale).rounded()
        return RegisterCodec.encode(
            .double(raw * point.scale + point.offset), as: point.type, order: point.byteOrder, scale: point.scale,
            offset: point.offset)
    }

    /// Decides the server's action for one request addressed to this device, waiting out declared delays.
    public func handle(_ request: ModbusRequest) -> ModbusServerAction {
        let function = RegisterFunction.allCases.first { $0.readFunctionCode == request.functionCode }
        let addresses = Int(request.address)..<Int(request.address) + Int(request.count)
        let (action, isDown) = state.withLock { s in
            s.requests += 1
            return (s.faults.action(for: function, addresses: addresses), s.isDown)
        }
        if isDown { return .noAnswer }
        switch action {
        case .ignore:
            return .noAnswer
        case .drop:
            return .dropConnection
        case .exception(let code, let delay):
            pause(delay)
            return .exception(code)
        case .junk(let delay):
            pause(delay)
            return .junk(junkReply(for: request))
        case .reply(let delay):
            pause(delay)
            refresh()
            return .replyFrom(mapping)
        }
    }

    /// A reply-shaped frame that must be refused: on TCP a transaction id the client never sent, on RTU a bad CRC.
    private func junkReply(for request: ModbusRequest) -> [UInt8] {
        let pdu: [UInt8] = [request.functionCode, 2, 0xDE, 0xAD]
        if isTCP { return [0xFF, 0xFE, 0, 0, 0, UInt8(pdu.count + 1), request.unitID] + pdu }
        return [request.unitID] + pdu + [0x00, 0x00]
    }

    private func pause(_ delay: Duration) {
        guard delay > .zero else { return }
        let (seconds, attoseconds) = delay.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remainder = timespec()
        while nanosleep(&request, &remainder) == -1 && errno == EINTR { request = remainder }
    }
}

extension RegisterFunction {
    /// The libmodbus table of this function.
    var modbusTable: ModbusTable {
        switch self {
        case .coil: .coils
        case .discreteInput: .discreteInputs
        case .holdingRegister: .holdingRegisters
        case .inputRegister: .inputRegisters
        }
    }
}
