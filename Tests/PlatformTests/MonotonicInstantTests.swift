import Platform
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("MonotonicInstant")
struct MonotonicInstantTests {
    /// `CLOCK_BOOTTIME` read directly, in attoseconds.
    static func bootTime() -> Int128 {
        var time = timespec()
        clock_gettime(CLOCK_BOOTTIME, &time)
        return Int128(time.tv_sec) * 1_000_000_000_000_000_000 + Int128(time.tv_nsec) * 1_000_000_000
    }

    @Test("now reads CLOCK_BOOTTIME, to the nanosecond")
    func readsBootTime() {
        let before = Self.bootTime()
        let now = MonotonicInstant.now
        let after = Self.bootTime()
        #expect(before <= now.attoseconds && now.attoseconds <= after)
        #expect(now.attoseconds % 1_000_000_000 == 0)
    }

    @Test("advancing, the duration between two instants and their order agree, past a whole second")
    func arithmetic() {
        let start = MonotonicInstant(sinceBoot: .seconds(86_400) + .nanoseconds(999_999_999))
        let later = start + .milliseconds(1_500)
        #expect(later.sinceBoot == .seconds(86_401) + .nanoseconds(499_999_999) + .milliseconds(1_000))
        #expect(start.duration(to: later) == .milliseconds(1_500))
        #expect(later.duration(to: start) == .milliseconds(-1_500))
        #expect(later - start == .milliseconds(1_500))
        #expect(later - .milliseconds(1_500) == start)
        #expect(start.advanced(by: .nanoseconds(1)) > start)
        #expect(start < later && !(later < start) && !(start < start))
        #expect([later, start, start + .nanoseconds(1)].sorted() == [start, start + .nanoseconds(1), later])
    }
}
