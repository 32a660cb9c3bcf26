import ShelterCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A client of the simulator's control socket (`shelter-sim serve --control PATH`): one command a line, one
/// reply line each (`ok`, `ok VALUE`, JSON, or `error: …`). The command vocabulary is in
/// `shelter-sim serve --help`.
///
/// Blocking; not thread-safe; owned by the scenario runner, which calls it between timeline sleeps.
final class SimulatorControl {
    let path: String
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []

    init(path: String) {
        self.path = path
    }

    deinit { if fd >= 0 { close(fd) } }

    /// The control lines that carry out a step's action on the simulator; empty for actions that are not the
    /// simulator's (lifecycle, uplink). A ramp is played by the runner as a series of `set` lines.
    static func lines(for action: Action) -> [String] {
        switch action {
        case .setPoint(let device, let point, let value):
            return ["set \(device) \(point) \(value)"]
        case .rampPoint(let device, let point, let from, _, _):
            return ["set \(device) \(point) \(JSONValue.format(from))"]
        case .startFault(let device, let fault):
            return ["fault \(device) \(faultWords(fault, on: true))"]
        case .clearFault(let device, let kind?):
            return kind == .dropConnection ? [] : ["fault \(device) \(faultWords(Fault(kind: kind), on: false))"]
        case .clearFault(let device, nil):
            return ["fault \(device) clear"]
        case .stopDevice(let device):
            return ["down \(device)"]
        case .startDevice(let device):
            return ["up \(device)"]
        case .setLifecycle, .uplinkDown, .uplinkUp, .busPath, .gatewayCertificate, .reload:
            return []
        }
    }

    private static func faultWords(_ fault: Fault, on: Bool) -> String {
        let milliseconds = fault.delay.map { String(Int64(($0.seconds * 1000).rounded())) } ?? "0"
        switch fault.kind {
        case .noAnswer: return "timeout \(on ? "on" : "off")"
        case .busy: return "busy \(on ? "on" : "off")"
        case .junkBytes: return "junk \(on ? "on" : "off")"
        case .dropConnection: return "drop"
        case .lateReply: return "late \(on ? milliseconds : "off")"
        case .slow: return "slow \(on ? milliseconds : "off")"
        case .exception:
            guard on, let function = fault.function, let addresses = fault.addresses else { return "exception off" }
            return "exception \(function.rawValue) \(addresses.lowerBound)-\(addresses.upperBound) "
                + "\(fault.exceptionCode ?? 2)"
        }
    }

    /// Sends one command line and returns the reply line.
    /// - Throws: `ScenarioError` `.setupFailed` when the socket cannot be reached or the reply is `error: …`.
    @discardableResult
    func send(_ line: String) throws(ScenarioError) -> String {
        if fd < 0 { try connectSocket() }
        let bytes = Array((line + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 {
                reset()
                throw ScenarioError(code: .setupFailed, subject: "simulator control", "write failed for \"\(line)\"")
            }
            written += n
        }
        let reply = try readLine(for: line)
        if reply.hasPrefix("error") {
            throw ScenarioError(code: .setupFailed, subject: "simulator control", "\"\(line)\": \(reply)")
        }
        return reply
    }

    private func readLine(for line: String) throws(ScenarioError) -> String {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let reply = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return reply
            }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 {
                reset()
                throw ScenarioError(code: .setupFailed, subject: "simulator control", "no reply to \"\(line)\"")
            }
            buffer += chunk[..<n]
        }
    }

    private func reset() {
        if fd >= 0 { close(fd) }
        fd = -1
        buffer = []
    }

    private func connectSocket() throws(ScenarioError) {
        let socketFD = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else {
            throw ScenarioError(code: .setupFailed, subject: "simulator control", "socket() failed")
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(socketFD)
            throw ScenarioError(code: .setupFailed, subject: "simulator control", "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard rc == 0 else {
            let message = String(cString: strerror(errno))
            close(socketFD)
            throw ScenarioError(
                code: .setupFailed, subject: "simulator control", "cannot connect to \(path): \(message)")
        }
        fd = socketFD
    }
}
