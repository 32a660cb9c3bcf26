public import FoundationEssentials

/// Persons present from people counters at the entrances: `N = max(0, N₀ + Σ Δin − Σ Δout)` across
/// entrances, applied one poll cycle at a time and clamped at 0 (DESIGN §5).
///
/// Each entrance has a cumulative "in" and "out" counter (`occupancy.count_in` / `occupancy.count_out`) of
/// `counterWidth` bits. Between two samples of one counter the step is `(new − last) mod 2^width`:
/// - a step up to `maximumStep` is counted (when `new < last` that is a wrap, and a note says so);
/// - a counter that goes down to at most `resetCeiling` was reset: the new value counts as the step (counts
///   since the reset to 0), with a note;
/// - any other step (down by a lot to a high value, or up by more than `maximumStep`) is not counted, the
///   counter is re-baselined and a note says the figure may be off.
/// When a cycle's outs exceed the persons present plus its ins, the figure is clamped at 0 and the
/// asymmetry is noted. No sample (timeout, link lost, …) leaves the counter's baseline in place, so the
/// people counted meanwhile are picked up by the next good sample; the figure is unknown meanwhile.
///
/// Value type, `Codable` so the runtime can keep it across restarts; not thread-safe on its own.
public struct OccupancyCounter: Sendable, Hashable, Codable {
    /// Counter direction.
    public enum Direction: String, Sendable, Hashable, Codable, CaseIterable {
        /// Persons entering (`occupancy.count_in`).
        case entering
        /// Persons leaving (`occupancy.count_out`).
        case leaving
    }

    /// Knobs for counter handling. Defaults in `init`.
    public struct Configuration: Sendable, Hashable, Codable {
        /// Width of the device's counters, bits, 1...64 (16 for a single-register counter). The default is 32.
        public var counterWidth: Int
        /// Largest plausible count change between two samples of one counter, persons. The default is 10 000.
        public var maximumStep: UInt64
        /// A counter that goes down to at most this value was reset to 0. The default is 100.
        public var resetCeiling: UInt64

        /// Creates a configuration; `counterWidth` is clamped to 1...64.
        public init(counterWidth: Int = 32, maximumStep: UInt64 = 10_000, resetCeiling: UInt64 = 100) {
            self.counterWidth = min(max(counterWidth, 1), 64)
            self.maximumStep = maximumStep
            self.resetCeiling = resetCeiling
        }

        /// `2^width − 1`.
        var mask: UInt64 {
            let width = min(max(counterWidth, 1), 64)  // also for a decoded value that bypassed `init`
            return width == 64 ? .max : (1 << UInt64(width)) - 1
        }
    }

    /// One raw counter sample as polled.
    public struct Sample: Sendable, Hashable {
        /// Entrance name from the site configuration.
        public var entrance: String
        /// Which counter.
        public var direction: Direction
        /// The counter reading: an unsigned or non-negative integral value, or no sample.
        public var reading: Reading

        public init(entrance: String, direction: Direction, reading: Reading) {
            self.entrance = entrance
            self.direction = direction
            self.reading = reading
        }
    }

    /// Something a person must know about the figure.
    public struct Note: Sendable, Hashable, Codable, CustomStringConvertible {
        /// Class of note, stable for tests and logs.
        public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
            /// The counter wrapped past `2^width − 1`; counted normally.
            case wrap
            /// The counter went back to near 0; the counts since the reset were added.
            case reset
            /// The counter jumped (down to a high value, or up by more than `maximumStep`); not counted.
            case jump
            /// More persons left than were present; the figure was clamped at 0.
            case clampedAtZero = "clamped_at_zero"
            /// The sample was not an unsigned integer that fits the counter width.
            case invalidSample = "invalid_sample"
        }

        /// Class of note.
        public var kind: Kind
        /// When the sample that caused it was taken.
        public var at: Date
        /// Text for the report, e.g. `"door1 entering counter wrapped (4294967290 → 5)"`.
        public var detail: String

        public var description: String { detail }
    }

    /// Per-counter memory.
    struct CounterState: Sendable, Hashable, Codable {
        var last: UInt64?
        var lastAt: Date?
        var failure: NoSampleReason.Kind?
        var failureDetail: String?
    }

    /// The configuration.
    public private(set) var configuration: Configuration
    /// Entrance names, each with an entering and a leaving counter.
    public private(set) var entrances: [String]
    /// Persons present after the last cycle (≥ 0).
    public private(set) var persons: Int
    /// Persons counted entering since start, after wrap and reset handling.
    public private(set) var totalEntered: Int
    /// Persons counted leaving since start.
    public private(set) var totalLeft: Int
    /// Persons that left without having been counted in (sum of clamp deficits): the in/out asymmetry.
    public private(set) var unmatchedLeaving: Int
    /// The most recent notes, oldest first, at most `noteLimit`.
    public private(set) var notes: [Note]
    /// How many notes are kept. The default is 20.
    public var noteLimit: Int = 20

    private var counters: [String: CounterState]

    /// Creates a counter for `entrances` with `initialPersons` present (default 0: counting starts on an
    /// empty shelter).
    public init(entrances: [String], initialPersons: Int = 0, configuration: Configuration = .init()) {
        self.configuration = configuration
        self.entrances = entrances
        self.persons = max(0, initialPersons)
        self.totalEntered = 0
        self.totalLeft = 0
        self.unmatchedLeaving = 0
        self.notes = []
        self.counters = [:]
    }

    /// Feeds one poll cycle's samples and returns the notes it raised. Samples for entrances not configured
    /// are ignored.
    @discardableResult
    public mutating func ingest(_ samples: [Sample], at now: Date) -> [Note] {
        var entered = 0
        var left = 0
        var raised: [Note] = []
        for sample in samples where entrances.contains(sample.entrance) {
            let key = Self.key(sample.entrance, sample.direction)
            var state = counters[key] ?? CounterState()
            let label = "\(sample.entrance) \(sample.direction.rawValue) counter"
            let step = self.step(for: sample.reading, label: label, state: &state, at: now, notes: &raised)
            counters[key] = state
            if sample.direction == .entering { entered += step } else { left += step }
        }
        totalEntered += entered
        totalLeft += left
        let net = persons + entered - left
        if net < 0 {
            unmatchedLeaving += -net
            raised.append(
                Note(
                    kind: .clampedAtZero, at: now,
                    detail: "\(-net) more persons counted leaving than present; occupancy clamped at 0 "
                        + "(in \(totalEntered), out \(totalLeft) since start)"))
        }
        persons = max(0, net)
        notes = Array((notes + raised).suffix(max(0, noteLimit)))
        return raised
    }

    /// Sets the figure after a manual recount (e.g. 0 when the shelter is confirmed empty); counters keep
    /// their baselines.
    public mutating func recount(_ persons: Int) {
        self.persons = max(0, persons)
    }

    /// Persons present as the checks see it: unknown while any counter has never given a value, last failed,
    /// or last gave a value longer than `maximumAge` before `now`. `observedAt` is the oldest counter's time.
    public func occupancy(at now: Date, maximumAge: Duration) -> Derived<Int> {
        var oldest: Date?
        for entrance in entrances {
            for direction in Direction.allCases {
                let state = counters[Self.key(entrance, direction)] ?? CounterState()
                if let failure = state.failure {
                    return .unknown(
                        NoSampleReason(
                            failure, detail: "\(entrance) \(direction.rawValue) counter: \(state.failureDetail ?? "")"))
                }
                guard let at = state.lastAt else {
                    return .unknown(NoSampleReason(.notYetRead, detail: "\(entrance) \(direction.rawValue) counter"))
                }
                let age = now.timeIntervalSince(at)
                if age > maximumAge.inSeconds {
                    return .unknown(
                        NoSampleReason(
                            .stale,
                            detail:
                                "\(entrance) \(direction.rawValue) counter read "
                                + "\(NumberText.format(age, decimals: 0)) s ago"
                        ))
                }
                oldest = min(oldest ?? at, at)
            }
        }
        guard let oldest else { return .unknown(.missing("no entrance configured")) }
        return .known(persons, observedAt: oldest)
    }

    /// The notes as text, for `SiteSnapshot.occupancyNotes`.
    public var noteTexts: [String] { notes.map(\.detail) }

    /// Occupancy from a direct count register (`occupancy.present`): a non-negative integral value, else
    /// unknown (`out_of_range`), and no sample stays unknown with its reason.
    public static func occupancy(fromDirectCount reading: Reading, at: Date) -> Derived<Int> {
        switch reading {
        case .noSample(let reason):
            return .unknown(reason)
        case .value(let value):
            guard let count = unsignedCount(value), count <= UInt64(Int32.max) else {
                return .unknown(NoSampleReason(.outOfRange, detail: "direct count \(value) is not a count of persons"))
            }
            return .known(Int(count), observedAt: at)
        }
    }

    private static func key(_ entrance: String, _ direction: Direction) -> String {
        "\(entrance)/\(direction.rawValue)"
    }

    private static func unsignedCount(_ value: SampleValue) -> UInt64? {
        switch value {
        case .uint(let v): v
        case .int(let v): v >= 0 ? UInt64(v) : nil
        case .double(let v): v >= 0 && v.isFinite && v == v.rounded() && v < 1.8e19 ? UInt64(v) : nil
        case .bool, .string: nil
        }
    }

    /// The persons to count for one sample (see the type's documentation), updating the counter's memory.
    private func step(
        for reading: Reading, label: String, state: inout CounterState, at now: Date, notes: inout [Note]
    ) -> Int {
        let raw: UInt64
        switch reading {
        case .noSample(let reason):
            state.failure = reason.kind
            state.failureDetail = reason.description
            return 0
        case .value(let value):
            guard let count = Self.unsignedCount(value), count <= configuration.mask else {
                state.failure = .outOfRange
                state.failureDetail = "\(value) does not fit a \(configuration.counterWidth)-bit counter"
                notes.append(Note(kind: .invalidSample, at: now, detail: "\(label): \(state.failureDetail ?? "")"))
                return 0
            }
            raw = count
        }
        state.failure = nil
        state.failureDetail = nil
        defer {
            state.last = raw
            state.lastAt = now
        }
        guard let last = state.last else { return 0 }
        let forward = (raw &- last) & configuration.mask
        if forward <= configuration.maximumStep {
            if raw < last {
                notes.append(Note(kind: .wrap, at: now, detail: "\(label) wrapped (\(last) → \(raw))"))
            }
            return Int(forward)
        }
        if raw < last && raw <= configuration.resetCeiling {
            notes.append(
                Note(kind: .reset, at: now, detail: "\(label) was reset (\(last) → \(raw)); counted \(raw) since"))
            return Int(raw)
        }
        notes.append(
            Note(
                kind: .jump, at: now,
                detail: "\(label) jumped (\(last) → \(raw)); not counted, occupancy may be off until a recount"))
        return 0
    }
}

extension OccupancyCounter {
    /// Whether `other` holds the same counts: persons, totals, notes, each counter's last value and failure.
    /// Only the times the counters were last read may differ, so a save that would change nothing else is
    /// skipped (issue 13: quiet flash; a restored counter's times only say how old it is, and the next poll
    /// replaces them).
    public func hasSameCounts(as other: OccupancyCounter?) -> Bool {
        guard let other else { return false }
        func withoutTimes(_ counter: OccupancyCounter) -> OccupancyCounter {
            var counter = counter
            counter.counters = counter.counters.mapValues { state in
                var state = state
                state.lastAt = nil
                return state
            }
            return counter
        }
        return withoutTimes(self) == withoutTimes(other)
    }
}
