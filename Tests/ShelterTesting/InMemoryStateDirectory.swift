public import FoundationEssentials
public import ShelterCore
import Synchronization

/// A state directory in memory behind the `StateDirectory` port; counts writes and touches per file. Its files'
/// modification times come from `clock` (the system clock unless given). Thread-safe.
public final class InMemoryStateDirectory: StateDirectory {
    private struct State {
        var files: [StateFile: [UInt8]] = [:]
        var writes: [StateFile: Int] = [:]
        var touches: [StateFile: Int] = [:]
        var modified: [StateFile: Date] = [:]
    }

    private let state = Mutex(State())

    private let clock: @Sendable () -> Date

    /// Creates an empty directory whose modification times come from `clock` (default: the system clock).
    public init(clock: @escaping @Sendable () -> Date = { Date() }) { self.clock = clock }

    /// How many times `file` was touched (marked current without being written).
    public func touchCount(_ file: StateFile) -> Int { state.withLock { $0.touches[file] ?? 0 } }

    /// How many times `file` was written.
    public func writeCount(_ file: StateFile) -> Int { state.withLock { $0.writes[file] ?? 0 } }

    public func read(_ file: StateFile) -> [UInt8]? { state.withLock { $0.files[file] } }

    public func write(_ bytes: [UInt8], to file: StateFile) throws {
        state.withLock {
            $0.files[file] = bytes
            $0.writes[file, default: 0] += 1
            $0.modified[file] = clock()
        }
    }

    public func touch(_ file: StateFile) throws {
        try state.withLock {
            guard $0.files[file] != nil else { throw MissingFile(file: file) }
            $0.touches[file, default: 0] += 1
            $0.modified[file] = clock()
        }
    }

    public func modifiedAt(_ file: StateFile) -> Date? { state.withLock { $0.modified[file] } }

    /// A touch of a file that was never written.
    public struct MissingFile: Error {
        public var file: StateFile
    }
}
