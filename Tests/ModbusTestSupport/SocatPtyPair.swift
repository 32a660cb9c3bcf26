import Foundation
import Glibc

/// A pair of connected ptys made by `socat -d -d pty,raw,echo=0 pty,raw,echo=0`: what one end writes, the other
/// reads. RTU runs over it (baud rate is ignored; RS-485 ioctls fail with `ENOTTY`, DESIGN §3).
public final class SocatPtyPair: @unchecked Sendable {
    /// The two `/dev/pts/N` paths, in the order socat printed them.
    public let first: String
    public let second: String
    private let process: Process

    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts socat and waits (up to `deadline`) until it reports both ptys and its transfer loop.
    public init(deadline: Duration = .seconds(20)) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/socat")
        process.arguments = ["-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        self.process = process
        let descriptor = errors.fileHandleForReading.fileDescriptor
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: deadline)
        var text = ""
        var paths: [String] = []
        while !text.contains("starting data transfer loop") {
            let remaining = clock.now.duration(to: end)
            guard remaining > .zero else {
                kill(process.processIdentifier, SIGKILL)
                throw StartError(description: "socat did not start in time: \(text)")
            }
            var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(remaining.components.seconds * 1000 + 1)
            if poll(&waiting, 1, milliseconds) <= 0 { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else {
                kill(process.processIdentifier, SIGKILL)
                throw StartError(description: "socat exited: \(text)")
            }
            text += String(decoding: buffer[..<count], as: UTF8.self)
        }
        for line in text.split(separator: "\n") {
            if let range = line.range(of: "PTY is ") { paths.append(String(line[range.upperBound...])) }
        }
        guard paths.count == 2 else {
            kill(process.processIdentifier, SIGKILL)
            throw StartError(description: "socat printed \(paths.count) ptys: \(text)")
        }
        first = paths[0]
        second = paths[1]
    }

    /// Stops socat and waits for it to exit. SIGKILL: a test runner's threads may block SIGTERM, and a child
    /// started from them inherits that mask.
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// Polls `condition` until it holds or `deadline` passes; returns whether it held. For readiness, not timing.
public func waitUntil(deadline: Duration = .seconds(20), _ condition: () -> Bool) -> Bool {
    let clock = ContinuousClock()
    let end = clock.now.advanced(by: deadline)
    while clock.now < end {
        if condition() { return true }
        var pause = timespec(tv_sec: 0, tv_nsec: 5_000_000)
        nanosleep(&pause, nil)
    }
    return condition()
}
