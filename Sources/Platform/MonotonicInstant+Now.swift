internal import Glibc

extension MonotonicInstant {
    /// Now: one `clock_gettime(CLOCK_BOOTTIME)` (a vDSO call, no system call).
    public static var now: MonotonicInstant {
        var time = timespec()
        clock_gettime(CLOCK_BOOTTIME, &time)
        return MonotonicInstant(
            attoseconds: Int128(time.tv_sec) * 1_000_000_000_000_000_000 + Int128(time.tv_nsec) * 1_000_000_000)
    }
}
