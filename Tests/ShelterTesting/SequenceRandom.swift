/// Returns the given values in turn, then repeats the last: a jitter source tests can predict. For a long
/// reproducible stream use the core's `SeededRandom(seed:)`.
public struct SequenceRandom: RandomNumberGenerator, Sendable {
    /// The values, in order; at least one.
    public var values: [UInt64]
    private var index = 0

    public init(_ values: [UInt64]) {
        precondition(!values.isEmpty, "SequenceRandom needs at least one value")
        self.values = values
    }

    public mutating func next() -> UInt64 {
        defer { index = min(index + 1, values.count - 1) }
        return values[index]
    }

    /// r = 0: no jitter.
    public static let zero = SequenceRandom([0])
    /// r = 0.5: half of the configured jitter.
    public static let half = SequenceRandom([1 << 63])
}
