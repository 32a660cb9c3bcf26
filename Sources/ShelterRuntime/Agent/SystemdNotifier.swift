#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sends service-manager notifications (`READY=1`, `WATCHDOG=1`, `STOPPING=1`, `STATUS=…`) to the datagram
/// socket named by `$NOTIFY_SOCKET`, as `sd_notify(3)` does, without linking libsystemd.
///
/// A notifier with no socket (not started by systemd with `Type=notify`) does nothing. Paths starting with
/// `@` are Linux abstract-namespace sockets. Thread-safe: each call opens, sends and closes its own socket.
public struct SystemdNotifier: Sendable {
    /// The socket path from `$NOTIFY_SOCKET`, or `nil` when the variable is unset or empty.
    public let socketPath: String?
    /// Half the watchdog interval from `$WATCHDOG_USEC` (how often to send `WATCHDOG=1`), or `nil` when
    /// the unit has no `WatchdogSec=`.
    public let watchdogPingInterval: Duration?

    /// Reads `$NOTIFY_SOCKET` and `$WATCHDOG_USEC` from the given environment.
    public init(environment: [String: String]) {
        let path = environment["NOTIFY_SOCKET"] ?? ""
        self.socketPath = path.isEmpty ? nil : path
        if let usec = environment["WATCHDOG_USEC"].flatMap({ Int64($0) }), usec > 0 {
            self.watchdogPingInterval = .microseconds(usec / 2)
        } else {
            self.watchdogPingInterval = nil
        }
    }

    /// Sends one notification, e.g. `"READY=1"` or `"STATUS=polling 9 devices"`.
    /// - Returns: `true` when the datagram was sent; `false` when there is no socket or sending failed
    ///   (a notification is best effort: the agent must not stop because the service manager is gone).
    @discardableResult
    public func notify(_ state: String) -> Bool {
        guard let socketPath else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (i, byte) in pathBytes.enumerated() { buffer[i] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (pathBytes.first == 0 ? 0 : 1))
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                sendto(fd, message, message.count, Int32(MSG_NOSIGNAL), sockaddrPointer, length)
            }
        }
        return sent == message.count
    }
}
