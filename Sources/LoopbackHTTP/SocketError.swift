internal import Glibc

/// A socket call that failed: the call's name and `errno` (as swift-system's `Errno`, with the call added so
/// a log line says which step failed: `bind: Address already in use`).
public struct SocketError: Error, Hashable, CustomStringConvertible {
    /// The C call, e.g. `bind`.
    public var operation: String
    /// The `errno` value after the call.
    public var code: Int32

    init(_ operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    /// `"bind: Address already in use"`.
    public var description: String { "\(operation): \(String(cString: strerror(code)))" }
}
