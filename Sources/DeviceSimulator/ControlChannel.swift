import Platform
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The simulator's control channel: a Unix stream socket taking one `ControlCommand` a line and answering
/// one line each, for hardware-in-the-loop scripts (`socat - UNIX-CONNECT:PATH`, or `nc -U PATH`).
///
/// Thread-safe; one thread accepts, one thread serves each connection. `stop()` closes the socket and
/// removes its file.
public final class ControlChannel: Sendable {
    /// The socket's path.
    public let path: String
    private let listener: Int32
    private let stopped = Atomic<Bool>(false)

    /// Listens on `path` (an existing socket file there is replaced) and serves commands to `simulator`.
    /// - Throws: `SimulatorError` if the socket cannot be created.
    public init(path: String, simulator: SiteSimulator) throws(SimulatorError) {
        self.path = path
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SimulatorError("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            close(fd)
            throw SimulatorError("control socket path longer than \(capacity - 1) bytes: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw SimulatorError("cannot listen on \(path): \(message)")
        }
        listener = fd
        PlatformThread.detach { [self] in acceptLoop(simulator: simulator) }
    }

    /// Stops listening and removes the socket file. Connections already open end when their peer closes.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // The accept thread closes the listener when shutdown wakes it: closed here, its number could be reused
        // by another socket before that thread's next accept().
        shutdown(listener, Int32(SHUT_RDWR))
        unlink(path)
    }

    private func acceptLoop(simulator: SiteSimulator) {
        defer { close(listener) }
        while !stopped.load(ordering: .acquiring) {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            PlatformThread.detach { Self.serve(connection, simulator: simulator) }
        }
    }

    private static func serve(_ fd: Int32, simulator: SiteSimulator) {
        defer { close(fd) }
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            pending += buffer[0..<n]
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                    .trimmingCharacters(in: [" ", "\r", "\t"])
                pending.removeSubrange(...newline)
                guard !line.isEmpty, !line.hasPrefix("#") else { continue }
                let reply = Array((simulator.execute(line: line) + "\n").utf8)
                var sent = 0
                while sent < reply.count {
                    let w = reply[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                    if w < 0 && errno == EINTR { continue }
                    guard w > 0 else { return }
                    sent += w
                }
            }
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
