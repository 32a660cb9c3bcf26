public import ArgumentParser
import Glibc
import ShelterCore
import ShelterRuntime

/// How `read` and `scan` reach the bus: `--tcp HOST:PORT` or `--rtu DEVICE` with its serial settings, and the
/// response timeout.
struct ConnectionOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Modbus TCP device or gateway, e.g. 192.168.1.20 or 192.168.1.20:1502; the port defaults to 502.",
            valueName: "host[:port]"))
    var tcp: String?

    @Option(help: ArgumentHelp("Serial device for Modbus RTU, e.g. /dev/ttyUSB0.", valueName: "device"))
    var rtu: String?

    @Option(help: "RTU: bits per second.")
    var baud: Int = 9600

    @Option(help: "RTU: parity, N (none), E (even) or O (odd); E by default, as in the site file and mbpoll.")
    var parity: SerialLine.Parity = .even

    @Option(name: .customLong("data-bits"), help: "RTU: data bits, 5-8.")
    var dataBits: Int = 8

    @Option(name: .customLong("stop-bits"), help: "RTU: stop bits, 1 or 2.")
    var stopBits: Int = 1

    @Option(
        name: .customLong("timeout-ms"),
        help: ArgumentHelp(
            "Response timeout in milliseconds (default: 1000 for read, 200 for scan).", valueName: "ms"))
    var timeoutMilliseconds: Int?

    func validate() throws {
        switch (tcp, rtu) {
        case (nil, nil): throw ValidationError("Give --tcp HOST[:PORT] or --rtu DEVICE.")
        case (.some, .some): throw ValidationError("Give either --tcp or --rtu, not both.")
        case (let tcp?, nil): _ = try Self.endpoint(tcp)
        case (nil, .some):
            guard baud > 0 else { throw ValidationError("--baud must be positive, got \(baud).") }
            guard (5...8).contains(dataBits) else { throw ValidationError("--data-bits must be 5-8, got \(dataBits).") }
            guard (1...2).contains(stopBits) else {
                throw ValidationError("--stop-bits must be 1 or 2, got \(stopBits).")
            }
        }
        if let timeoutMilliseconds, !(1...600_000).contains(timeoutMilliseconds) {
            throw ValidationError("--timeout-ms must be 1-600000, got \(timeoutMilliseconds).")
        }
    }

    /// What the user connects to, for messages: `127.0.0.1:502` or `/dev/ttyUSB0`.
    var endpointDescription: String { tcp ?? rtu ?? "" }

    /// The response timeout: `--timeout-ms`, else `defaultTimeout`.
    func responseTimeout(default defaultTimeout: Duration) -> Duration {
        timeoutMilliseconds.map { .milliseconds($0) } ?? defaultTimeout
    }

    /// Where the bus is, in the configuration's terms.
    func transport() throws -> Bus.Transport {
        if let tcp {
            let (host, port) = try Self.endpoint(tcp)
            return .tcp(host: host, port: port)
        }
        return .serial(
            SerialLine(device: rtu ?? "", baudRate: baud, parity: parity, dataBits: dataBits, stopBits: stopBits))
    }

    /// A connected link (the agent's adapter) with the response timeout set.
    /// - Throws: `CommandFailure` naming the endpoint and the reason.
    func connect(defaultTimeout: Duration) throws -> ModbusContextLink {
        let link = ModbusContextLink(transport: try transport())
        try reconnect(link)
        link.setTimeouts(response: responseTimeout(default: defaultTimeout), byte: .milliseconds(500))
        return link
    }

    /// Opens `link` again. - Throws: `CommandFailure` naming the endpoint and the reason.
    func reconnect(_ link: ModbusContextLink) throws {
        if let failure = link.connect() { throw CommandFailure.connection(to: endpointDescription, failure) }
    }

    /// The Modbus TCP port when `--tcp` names none (the IANA port of Modbus/TCP).
    static let defaultTCPPort = 502

    /// Splits `host`, `host:port`, `[v6-address]` or `[v6-address]:port`; a bare IPv6 address (`::1`) is a host.
    /// Without a port, ``defaultTCPPort``.
    static func endpoint(_ text: String) throws -> (host: String, port: Int) {
        let invalid = ValidationError("--tcp wants HOST or HOST:PORT with a port 1-65535, got '\(text)'.")
        var host = Substring(text)
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw invalid }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { throw invalid }
                portText = rest.dropFirst()
            }
        } else if let colon = text.firstIndex(of: ":"), text.lastIndex(of: ":") == colon {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        var port = defaultTCPPort
        if let portText {
            guard let given = Int(portText), (1...65535).contains(given) else { throw invalid }
            port = given
        }
        guard !host.isEmpty else { throw invalid }
        return (String(host), port)
    }
}

/// `--parity` values: the configuration's parity, spelled N, E or O (any case).
extension SerialLine.Parity: ExpressibleByArgument {
    init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }
}

/// A failed `read` or `scan`: the message for stderr and the exit status, mapped in one place.
///
/// Exit status (``ExitStatus``): `failure` (1) the device answered with a Modbus exception; `unavailable` (69) no
/// connection, lost link or no answer; `protocolError` (76) a reply that is not the answer; `software` (70)
/// anything else.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    var status: ExitStatus
    /// Whether the device gave no answer within the timeout (a hint about wiring and line settings follows).
    var noAnswer = false

    static func connection(to endpoint: String, _ failure: String) -> CommandFailure {
        CommandFailure(description: "cannot connect to \(endpoint): \(failure)", status: .unavailable)
    }

    /// A request that got no data, described with what was asked:
    /// `unit 1 holding 100: illegal data address (exception 2)`. `outcome` is a failure or an exception.
    static func request(_ what: String, _ outcome: ReadOutcome, timeout: Duration) -> CommandFailure {
        switch outcome {
        case .exception(_, let detail):
            return CommandFailure(description: "\(what): \(detail)", status: .failure)
        case .failed(let kind, let detail, _):
            let reason =
                switch kind {
                case .timeout: "no answer within \(milliseconds(timeout)) ms (\(detail))"
                case .badData: "garbled reply (\(detail))"
                case .linkLost: "connection lost (\(detail))"
                }
            return CommandFailure(
                description: "\(what): \(reason)", status: kind == .badData ? .protocolError : .unavailable,
                noAnswer: kind == .timeout)
        case .registers, .bits:
            return CommandFailure(description: "\(what): unexpected reply", status: .software)
        }
    }

    /// Prints the message to stderr and ends the command with the exit status.
    func exit() -> ExitCode {
        printError("Error: \(description)")  // as ArgumentParser writes its own errors
        return ExitCode(status.rawValue)
    }
}

/// Whole milliseconds of a duration, for messages.
func milliseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    return seconds * 1000 + attoseconds / 1_000_000_000_000_000
}

/// Writes a line to stderr.
func printError(_ line: String) {
    writeStandardError(line + "\n")
}

/// Writes text to stderr, unbuffered.
func writeStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
}
