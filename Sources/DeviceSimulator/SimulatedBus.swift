public import Modbus
import ShelterCore
import Synchronization

/// The simulated devices of one bus, served where a client can reach them.
///
/// - Modbus TCP: one server on `127.0.0.1` (port 0 picks a free port) answering every device by unit id, with
///   any number of clients at once (a TCP gateway in front of several devices, or one device).
/// - Modbus RTU: a `PacedSerialBridge` (real character timing at the bus's baud rate) and one RTU server per
///   device on its side of the bridge; the client opens `endpoint.path`.
///
/// Thread-safe. `stop()` ends serving; `restart()` stops and serves again on the same port or pty.
public final class SimulatedBus: Sendable {
    /// Where a client reaches the bus.
    public enum Endpoint: Sendable, Hashable {
        /// Modbus TCP at `host:port`.
        case tcp(host: String, port: Int)
        /// Modbus RTU on the serial device `path` (a pty), at the given line settings.
        case rtu(path: String, settings: SerialLineSettings)
    }

    /// Bus name.
    public let name: String
    /// The devices, by unit id.
    public let devices: [SimulatedDevice]
    /// Where the bus listens.
    public let endpoint: Endpoint
    private let servers = Mutex<[any Stoppable]>([])
    /// The paced line of an RTU bus; `nil` on TCP.
    private let bridge: PacedSerialBridge?

    /// RTU only: requests no device heard because the client's line settings were not the bus's, and the
    /// client's settings at the last of them (`PacedSerialBridge`). `nil` on TCP.
    public var ignoredRequests: (count: Int, lastSettings: SerialLineSettings?)? {
        bridge.map { ($0.ignoredRequestCount, $0.lastIgnoredSettings) }
    }

    /// Serves `devices` over Modbus TCP on `host:port` (port 0: any free port).
    /// - Throws: `ModbusError` if the port cannot be bound.
    public init(
        name: String, tcpHost host: String = "127.0.0.1", port: Int = 0, devices: [SimulatedDevice]
    )
        throws(ModbusError)
    {
        self.name = name
        self.devices = devices
        self.bridge = nil
        let server = try Self.tcpServer(host: host, port: port, devices: devices)
        endpoint = .tcp(host: host, port: server.port)
        servers.withLock { $0 = [server] }
    }

    /// Serves `devices` over Modbus RTU on a new pty, paced at `settings`.
    /// - Throws: `SimulatorError` if a pty or a server cannot be created.
    public init(name: String, rtu settings: SerialLineSettings, devices: [SimulatedDevice]) throws(SimulatorError) {
        self.name = name
        self.devices = devices
        let bridge: PacedSerialBridge
        do {
            bridge = try PacedSerialBridge(settings: settings, unitIDs: devices.map(\.unitID))
        } catch {
            throw SimulatorError("cannot create ptys for bus \(name): \(error)")
        }
        endpoint = .rtu(path: bridge.clientPath, settings: settings)
        self.bridge = bridge
        var started: [any Stoppable] = [bridge]
        for device in devices {
            do {
                started.append(try Self.rtuServer(for: device, bridge: bridge, settings: settings))
            } catch {
                started.forEach { $0.stop() }
                throw SimulatorError("cannot serve \(device.name) on bus \(name): \(error)")
            }
        }
        servers.withLock { $0 = started }
    }

    /// Stops serving and frees the port or ptys. Idempotent.
    public func stop() {
        let running = servers.withLock { s in
            defer { s = [] }
            return s
        }
        // Servers first, then the bridge their ptys hang on.
        for server in running.reversed() { server.stop() }
    }

    /// Stops the TCP server and serves again on the same port, as a device that reboots. On RTU, restarts
    /// the device servers (the pty stays).
    /// - Throws: `ModbusError` if the port cannot be bound again.
    public func restart() throws(ModbusError) {
        switch endpoint {
        case .tcp(let host, let port):
            stop()
            let server = try Self.tcpServer(host: host, port: port, devices: devices)
            servers.withLock { $0 = [server] }
        case .rtu:
            for device in devices { device.isDown = true }
            for device in devices { device.isDown = false }
        }
    }

    /// The device named `name`, if it is on this bus.
    public func device(named name: String) -> SimulatedDevice? { devices.first { $0.name == name } }

    private static func tcpServer(
        host: String, port: Int, devices: [SimulatedDevice]
    ) throws(ModbusError)
        -> ModbusTCPServer
    {
        let byUnit = Dictionary(devices.map { ($0.unitID, $0) }) { a, _ in a }
        let fallback: ModbusMapping
        if let first = devices.first { fallback = first.mapping } else { fallback = try ModbusMapping() }
        return try ModbusTCPServer(host: host, port: port, mapping: fallback) { request in
            byUnit[request.unitID]?.handle(request) ?? .noAnswer
        }
    }

    private static func rtuServer(
        for device: SimulatedDevice, bridge: PacedSerialBridge, settings: SerialLineSettings
    )
        throws(ModbusError) -> ModbusRTUServer
    {
        // The configuration's parity letters (N, E, O) are libmodbus's.
        let parity = ModbusContext.Parity(rawValue: Character(settings.parity.rawValue)) ?? .none
        return try ModbusRTUServer(
            device: bridge.devicePaths[device.unitID] ?? "", baud: settings.baud, parity: parity,
            dataBits: settings.dataBits, stopBits: settings.stopBits, unitID: device.unitID, mapping: device.mapping,
            hook: { device.handle($0) })
    }
}

/// Something serving that can be stopped.
protocol Stoppable: Sendable {
    func stop()
}

extension ModbusTCPServer: Stoppable {}
extension ModbusRTUServer: Stoppable {}
extension PacedSerialBridge: Stoppable {}

/// A simulator failure with a message for the operator.
public struct SimulatorError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
