public import FoundationEssentials
public import ShelterCore
import Synchronization

/// A wall clock the test sets and advances. Thread-safe.
public final class ManualWallClock: WallClock {
    private let current: Mutex<Date>
    /// The offset `utcOffsetMinutes(at:)` returns. Default 480 (China Standard Time).
    public let utcOffset: Int

    public init(_ start: Date, utcOffsetMinutes: Int = 480) {
        current = Mutex(start)
        utcOffset = utcOffsetMinutes
    }

    public var now: Date { current.withLock { $0 } }

    public func utcOffsetMinutes(at date: Date) -> Int { utcOffset }

    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
