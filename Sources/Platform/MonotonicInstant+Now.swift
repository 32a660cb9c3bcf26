internal import Glibc

// In a file of its own: in MonotonicInstant.swift, Swift 6.3.1 took `timespec` and its fields from
// SwiftOverlayShims (a MemberImportVisibility error), a module check-imports does not allow.
extension MonotonicInstant {
    /// Now: one `clock_gettime(CLOCK_BOOTTIME)` (a vDSO call, no system call).
    public static var now: MonotonicInstant {
        var time = timespec()
        clock_gettime(CLOCK_BOOTTIME, &time)
        return MonotonicInstant(
            attoseconds: Int128(time.tv_sec) * 1_000_000_000_000_000_000 + Int128(time.tv_nsec) * 1_000_000_000)
    }
}
