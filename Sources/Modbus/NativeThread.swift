internal import Glibc

/// A joinable POSIX thread running one closure: blocking libmodbus calls never run on the Swift concurrency
/// pool (DESIGN §3).
struct NativeThread: @unchecked Sendable {
    private let handle: pthread_t

    /// Starts `body` on a new thread. Returns `nil` if the system cannot create one.
    static func start(_ body: @escaping @Sendable () -> Void) -> NativeThread? {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var handle = pthread_t()
        let result = pthread_create(
            &handle, nil,
            { argument in
                guard let argument else { return nil }
                Unmanaged<Box>.fromOpaque(argument).takeRetainedValue().body()
                return nil
            }, box)
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            return nil
        }
        return NativeThread(handle: handle)
    }

    /// Waits for the thread to end.
    func join() {
        pthread_join(handle, nil)
    }

    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}

/// Sleeps up to `duration` in short slices, returning early once `stop()` is true.
func sleep(for duration: Duration, unless stop: () -> Bool) {
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
