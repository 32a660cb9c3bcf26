public import ShelterCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a simulated point's value evolves over time: one entry of a value-script file.
///
/// Pure: `value(at:random:)` takes the time since the simulation started and a random source, so tests
/// drive it with fixed times and a seeded generator. Values are engineering values (after scale and offset);
/// the device encodes them into registers with the point's type and byte order.
public enum ValueScript: Sendable, Hashable {
    /// Always the same value (a number or, for coils and digital inputs, a boolean).
    case constant(SampleValue)
    /// `from + perSecond · t`, held within `bounds`.
    case ramp(from: Double, perSecond: Double, bounds: ClosedRange<Double>)
    /// `before` until `at`, then `after`.
    case step(before: SampleValue, after: SampleValue, at: Duration)
    /// `mean + amplitude · sin(2π t / period)`.
    case sine(mean: Double, amplitude: Double, period: Duration)
    /// Starts at `start`; every `interval` moves by a uniform draw in `−step...step`, held within `bounds`.
    case randomWalk(start: Double, step: Double, interval: Duration, bounds: ClosedRange<Double>)
    /// An unsigned counter: `start + ⌊perSecond · t⌋`, modulo `modulus` (e.g. 65536 or 4294967296), so it wraps
    /// as a real device's counter does.
    case counter(start: UInt64, perSecond: Double, modulus: UInt64)
}

/// A value script with the state it needs (the position of a random walk). Not thread-safe; owned by one
/// simulated device, which serialises access.
public struct ValueGenerator: Sendable {
    /// The script.
    public private(set) var script: ValueScript
    private var walkPosition: Double = 0
    private var walkSteps: Int64 = 0

    /// Creates a generator at the start of `script`.
    public init(_ script: ValueScript) {
        self.script = script
        if case .randomWalk(let start, _, _, let bounds) = script { walkPosition = bounds.clamp(start) }
    }

    /// The value at `elapsed` since the simulation started.
    /// - Parameters:
    ///   - elapsed: time since start, ≥ 0. A random walk only moves forward: an earlier time keeps its position.
    ///   - random: the random source for random walks (seeded in tests).
    public mutating func value(at elapsed: Duration, random: inout some RandomNumberGenerator) -> SampleValue {
        let t = Self.seconds(elapsed)
        switch script {
        case .constant(let value):
            return value
        case .ramp(let from, let perSecond, let bounds):
            return .double(bounds.clamp(from + perSecond * t))
        case .step(let before, let after, let at):
            return elapsed < at ? before : after
        case .sine(let mean, let amplitude, let period):
            let p = Self.seconds(period)
            return .double(p > 0 ? mean + amplitude * sin(2 * Double.pi * t / p) : mean)
        case .randomWalk(_, let step, let interval, let bounds):
            let i = Self.seconds(interval)
            let due = i > 0 ? Int64(t / i) : 0
            while walkSteps < due {
                walkPosition = bounds.clamp(walkPosition + Double.random(in: -step...step, using: &random))
                walkSteps += 1
            }
            return .double(walkPosition)
        case .counter(let start, let perSecond, let modulus):
            let advanced = UInt64(max(0, (perSecond * t).rounded(.down)))
            guard modulus > 0 else { return .uint(start &+ advanced) }
            return .uint((start % modulus &+ advanced % modulus) % modulus)
        }
    }

    /// Replaces the script (the control channel's `set`); a random walk restarts from its start.
    public mutating func replace(with script: ValueScript) {
        self = ValueGenerator(script)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

extension ClosedRange where Bound == Double {
    func clamp(_ x: Double) -> Double { Swift.min(Swift.max(x, lowerBound), upperBound) }
}

/// A small seedable random generator (SplitMix64), so a value script with a `seed` repeats exactly.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
