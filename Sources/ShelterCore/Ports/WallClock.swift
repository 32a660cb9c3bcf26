public import FoundationEssentials

/// The wall clock, injected so the core reads no clock and tests set the time (STYLE §2).
///
/// The runtime's `SystemWallClock` reads the system time and the C library's time zone; `ShelterTesting`
/// has a settable fake. Implementations are thread-safe.
public protocol WallClock: Sendable {
    /// The current time.
    var now: Date { get }
    /// The site's offset from UTC at `date`, minutes (480 for China Standard Time).
    func utcOffsetMinutes(at date: Date) -> Int
}
