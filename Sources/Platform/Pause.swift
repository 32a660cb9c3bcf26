internal import Glibc

/// Sleeps up to `duration` in slices of at most 10 ms, returning early once `stop()` is true. For threads that
/// have no `StopSignal` to wait on (a server connection checking a flag).
public func pause(for duration: Duration, unless stop: () -> Bool) {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: duration)
    while !stop() {
        let remaining = clock.now.duration(to: deadline)
        if remaining <= .zero { return }
        let slice = min(remaining, .milliseconds(10))
        let (_, attoseconds) = slice.components
        var request = timespec(tv_sec: 0, tv_nsec: Int(attoseconds / 1_000_000_000))
        nanosleep(&request, nil)
    }
}
