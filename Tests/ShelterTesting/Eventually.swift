/// Polls `condition` every 5 ms until it holds or `timeout` passes; returns whether it held. Waiting on a
/// condition with a deadline, never sleeping a fixed time (STYLE §8).
public func eventually(
    timeout: Duration = .seconds(30), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return try await condition()
}
