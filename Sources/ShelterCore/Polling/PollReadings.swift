/// The readings of one device's poll: one `Reading` per point, in plan order (`PointTable`), stored so that
/// copying, writing and reading them touches no reference count.
///
/// `Reading` holds strings (a STRING point's text, a reason's detail), so every copy of one went through
/// outlined copy and destroy code with retain and release: about a quarter of the bus thread's instructions at
/// 125 registers per request (callgrind, `bench-poll path`). Here each point is a trivially copyable
/// `PackedReading`: a number or a bit inline, or the index of its text or reason in a side table. A poll that
/// reads numbers only leaves both side tables empty and allocates nothing in them.
///
/// A random-access collection of `Reading` (element `i` is point `i`'s reading, rebuilt on access), equal to
/// another when their readings are equal. Value type; copies share storage until written.
public struct PollReadings: Sendable, Hashable, RandomAccessCollection, ExpressibleByArrayLiteral {
    /// One entry per point.
    var packed: [PackedReading]
    /// Texts of STRING points, indexed by `PackedReading.text`.
    var texts: [String] = []
    /// Reasons of points without a sample, indexed by `PackedReading.noSample`.
    var reasons: [NoSampleReason] = []

    /// No readings.
    public init() { packed = [] }

    /// The readings of `readings`, in order.
    public init(_ readings: some Sequence<Reading>) {
        packed = []
        packed.reserveCapacity(readings.underestimatedCount)
        for reading in readings { packed.append(pack(reading)) }
    }

    public init(arrayLiteral readings: Reading...) { self.init(readings) }

    /// `count` points that all have `reading`.
    public init(repeating reading: Reading, count: Int) {
        packed = []
        packed = Array(repeating: pack(reading), count: count)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { packed.count }

    /// The reading of point `index` (`0 ..< count`).
    public subscript(index: Int) -> Reading {
        switch packed[index] {
        case .text(let slot): .value(.string(texts[Int(slot)]))
        case .noSample(let slot): .noSample(reasons[Int(slot)])
        case let entry: .value(entry.inlineValue!)  // every other entry is a number or bit, held inline
        }
    }

    /// Whether any point holds text or has no sample (the side tables are not empty).
    var hasSideEntries: Bool { !texts.isEmpty || !reasons.isEmpty }

    /// Sets the reading of point `index`. A number or bit is stored inline; a text or a reason goes to its
    /// side table.
    mutating func set(_ index: Int, _ reading: Reading) {
        packed[index] = pack(reading)
    }

    /// Adds `reason` to the side table once and returns the entry that points to it, to be written for each
    /// point that has it (`packed[i] = entry`).
    mutating func entry(for reason: NoSampleReason) -> PackedReading {
        if let last = reasons.last, last == reason { return .noSample(UInt32(reasons.count - 1)) }
        reasons.append(reason)
        return .noSample(UInt32(reasons.count - 1))
    }

    /// Empties the side tables before a new poll rewrites every point. Entries that still point into them
    /// must be rewritten before the readings are read.
    mutating func clearSideTables() {
        if !texts.isEmpty { texts = [] }
        if !reasons.isEmpty { reasons = [] }
    }

    private mutating func pack(_ reading: Reading) -> PackedReading {
        switch reading {
        case .value(let value):
            if let entry = PackedReading(inline: value) { return entry }
            texts.append(value.textValue ?? "")
            return .text(UInt32(texts.count - 1))
        case .noSample(let reason):
            return entry(for: reason)
        }
    }

    public static func == (lhs: PollReadings, rhs: PollReadings) -> Bool {
        lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0 == $1 }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for reading in self { hasher.combine(reading) }
    }
}

/// One point's reading without a reference: a number or a bit inline, or the index of its text or its reason
/// in the side table of the `PollReadings` (or `SiteState`) that holds it. Trivially copyable.
enum PackedReading: Sendable, Hashable {
    case double(Double)
    case int(Int64)
    case uint(UInt64)
    case bool(Bool)
    /// A STRING point's text, by index into the side table of texts.
    case text(UInt32)
    /// No sample, the reason by index into the side table of reasons.
    case noSample(UInt32)

    /// The value as a number, for checks: integers converted to `Double`, booleans 1 or 0; `nil` for text and
    /// for no sample (as `SampleValue.numericValue`).
    var numericValue: Double? {
        switch self {
        case .double(let v): v
        case .int(let v): Double(v)
        case .uint(let v): Double(v)
        case .bool(let v): v ? 1 : 0
        case .text, .noSample: nil
        }
    }

    /// The entry of a number or bit, held inline; `nil` for text, which goes to a side table.
    init?(inline value: SampleValue) {
        switch value {
        case .double(let v): self = .double(v)
        case .int(let v): self = .int(v)
        case .uint(let v): self = .uint(v)
        case .bool(let v): self = .bool(v)
        case .string: return nil
        }
    }

    /// The number or bit held inline; `nil` for a text or no sample (their side tables hold them).
    var inlineValue: SampleValue? {
        switch self {
        case .double(let v): .double(v)
        case .int(let v): .int(v)
        case .uint(let v): .uint(v)
        case .bool(let v): .bool(v)
        case .text, .noSample: nil
        }
    }

    /// Whether this is a value (not no sample).
    var isValue: Bool {
        if case .noSample = self { false } else { true }
    }
}
