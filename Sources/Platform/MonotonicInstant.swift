/// A point in time on the clock `ContinuousClock` reads on Linux (`CLOCK_BOOTTIME`: monotonic, counting time
/// suspended), kept as attoseconds since boot.
///
/// For the bus thread's per-request bookkeeping. `ContinuousClock.Instant` is a resilient type of the
/// standard library: every copy, comparison and destruction of a value holding one (a poller, its due-queue
/// entries, a poll result) goes through value witnesses and runtime metadata lookups. With this type, and the
/// clock read 3 times per request instead of 8, the bus thread ran 30 % fewer instructions (callgrind,
/// `bench-poll path` at 10 registers: 82.97 M -> 58.09 M for 5 200 requests). This type has a fixed layout of two
/// words, so the same operations are inline loads, stores and 128-bit integer arithmetic (`Duration`'s own
/// operators are calls into the standard library; its `attoseconds` view is inlined).
///
/// Instants of this type compare only with each other; `ContinuousClock.Instant` and this type share the clock
/// but not a conversion.
public struct MonotonicInstant: InstantProtocol, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Attoseconds since boot (`CLOCK_BOOTTIME`).
    public var attoseconds: Int128

    /// The instant `attoseconds` after boot.
    @inlinable public init(attoseconds: Int128) { self.attoseconds = attoseconds }

    /// The instant `sinceBoot` after boot.
    @inlinable public init(sinceBoot: Duration) { attoseconds = sinceBoot.attoseconds }

    /// Time since boot.
    @inlinable public var sinceBoot: Duration { Duration(attoseconds: attoseconds) }

    @inlinable public func advanced(by duration: Duration) -> MonotonicInstant {
        MonotonicInstant(attoseconds: attoseconds + duration.attoseconds)
    }

    @inlinable public func duration(to other: MonotonicInstant) -> Duration {
        Duration(attoseconds: other.attoseconds - attoseconds)
    }

    @inlinable public static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool {
        lhs.attoseconds < rhs.attoseconds
    }

    @inlinable public static func + (lhs: MonotonicInstant, rhs: Duration) -> MonotonicInstant {
        lhs.advanced(by: rhs)
    }

    @inlinable public static func - (lhs: MonotonicInstant, rhs: Duration) -> MonotonicInstant {
        MonotonicInstant(attoseconds: lhs.attoseconds - rhs.attoseconds)
    }

    @inlinable public static func - (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Duration {
        rhs.duration(to: lhs)
    }

    /// Seconds since boot, for logs and test failures.
    public var description: String { "\(sinceBoot) since boot" }
}
