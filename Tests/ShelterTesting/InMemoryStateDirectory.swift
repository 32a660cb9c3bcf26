public import ShelterCore
import Synchronization

/// A state directory in memory behind the `StateDirectory` port; counts writes per file. Thread-safe.
public final class InMemoryStateDirectory: StateDirectory {
    private struct State {
        var files: [StateFile: [UInt8]] = [:]
        var writes: [StateFile: Int] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// How many times `file` was written.
    public func writeCount(_ file: StateFile) -> Int { state.withLock { $0.writes[file] ?? 0 } }

    public func read(_ file: StateFile) -> [UInt8]? { state.withLock { $0.files[file] } }

    public func write(_ bytes: [UInt8], to file: StateFile) throws {
        state.withLock {
            $0.files[file] = bytes
            $0.writes[file, default: 0] += 1
        }
    }
}
