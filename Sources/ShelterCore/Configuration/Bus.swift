/// One Modbus bus of the site: an RS-485 serial line, a Modbus TCP endpoint, or RTU framing over TCP.
///
/// Validated and immutable; owned by `SiteConfiguration`. Each bus is polled by its own worker thread.
public struct Bus: Sendable, Hashable {
    /// How the bus is reached.
    public enum Transport: Sendable, Hashable {
        /// An RS-485/RS-232 serial port with Modbus RTU framing.
        case serial(SerialLine)
        /// Modbus TCP (MBAP header), port usually 502.
        case tcp(host: String, port: Int)
        /// Modbus RTU frames carried over a TCP connection (serial device servers in transparent mode).
        case rtuOverTCP(host: String, port: Int)
    }

    /// Name unique within the site (file key `name`).
    public let name: String
    /// How the bus is reached (file key `kind`: `serial`, `tcp` or `rtu_over_tcp`).
    public let transport: Transport
    /// Silence the bus worker keeps between frames on RTU buses (file key `inter_frame_gap_milliseconds`).
    /// Default: the line's t3.5 for serial (at least 1.75 ms, Modbus over Serial Line §2.5.1.1), 1.75 ms for
    /// RTU over TCP, zero for Modbus TCP.
    public let interFrameGap: Duration

    public init(name: String, transport: Transport, interFrameGap: Duration) {
        self.name = name
        self.transport = transport
        self.interFrameGap = interFrameGap
    }

    /// The serial settings, when the bus is a serial line.
    public var serialLine: SerialLine? {
        if case .serial(let line) = transport { line } else { nil }
    }

    /// Whether unit ids follow the serial-line rule (1...247) rather than the TCP rule (0...247 or 255).
    /// RTU over TCP addresses devices on a serial line behind a device server, so it uses the serial rule.
    public var usesSerialAddressing: Bool {
        if case .tcp = transport { false } else { true }
    }

    /// Whether a device on this bus may have `unitID`: 1...247 on serial and RTU over TCP; 0...247 or 255 on
    /// Modbus TCP. 248...254 are reserved (Modbus over Serial Line V1.02 §2.2) and libmodbus's
    /// `modbus_set_slave` refuses them on TCP with EINVAL, so a device configured so could never be read.
    public func allows(unitID: Int) -> Bool {
        usesSerialAddressing ? (1...247).contains(unitID) : (0...247).contains(unitID) || unitID == 255
    }

    /// The config-file spelling of the transport kind.
    public var kindName: String {
        switch transport {
        case .serial: "serial"
        case .tcp: "tcp"
        case .rtuOverTCP: "rtu_over_tcp"
        }
    }
}

/// Settings of a serial line (Modbus over Serial Line V1.02 §2.5).
public struct SerialLine: Sendable, Hashable {
    /// Parity of each character. Modbus RTU default is even (§2.5.1).
    public enum Parity: String, Sendable, Hashable, CaseIterable, Codable {
        case none = "N"
        case even = "E"
        case odd = "O"
    }

    /// The port, e.g. `/dev/ttyUSB0` (file key `device`).
    public let device: String
    /// Bits per second (file key `baud`): 1200, 2400, 4800, 9600, 19200, 38400, 57600 or 115200. Default 9600.
    public let baudRate: Int
    /// Parity (file key `parity`: `N`, `E`, `O`). Default `E`.
    public let parity: Parity
    /// Data bits per character; RTU requires 8 (file key `data_bits`). Default 8.
    public let dataBits: Int
    /// Stop bits, 1 or 2 (file key `stop_bits`). Default 1.
    public let stopBits: Int

    public init(device: String, baudRate: Int = 9600, parity: Parity = .even, dataBits: Int = 8, stopBits: Int = 1) {
        self.device = device
        self.baudRate = baudRate
        self.parity = parity
        self.dataBits = dataBits
        self.stopBits = stopBits
    }

    /// Bits on the wire per character: start + data + parity + stop; 11 for 8E1, 10 for 8N1.
    public var bitsPerCharacter: Int { 1 + dataBits + (parity == .none ? 0 : 1) + stopBits }

    /// The baud rates accepted in a site file.
    public static let standardBaudRates: [Int] = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115_200]

    /// Time to send `characters` characters (may be fractional, e.g. 3.5) at this line's settings.
    public func duration(ofCharacters characters: Double) -> Duration {
        let seconds = characters * Double(bitsPerCharacter) / Double(baudRate)
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    /// The RTU inter-frame silence t3.5: 3.5 character times, fixed at 1.75 ms above 19200 baud
    /// (Modbus over Serial Line V1.02 §2.5.1.1).
    public var t35: Duration {
        baudRate > 19200 ? .microseconds(1750) : duration(ofCharacters: 3.5)
    }
}
