public import FoundationEssentials
public import ShelterCore

#if canImport(Glibc)
    import Glibc
#endif

/// The system's wall clock and the C library's time zone (`TZ`, `/etc/localtime`) behind the core's
/// `WallClock` port. Thread-safe.
public struct SystemWallClock: WallClock {
    public init() {}

    public var now: Date { Date() }

    public func utcOffsetMinutes(at date: Date) -> Int {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return 0 }
        return Int(parts.tm_gmtoff) / 60
    }
}
