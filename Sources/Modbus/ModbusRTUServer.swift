internal import CModbus
internal import Glibc
internal import Synchronization
internal import Platform

/// A Modbus RTU server on a serial device (or one end of a pty pair), on its own thread. For tests and the
/// device simulator.
///
/// Answers a set of unit ids, as several devices on one RS-485 bus would; frames for other unit ids get no
/// answer. Thread-safe. Call `stop()` when done: the serving thread keeps the server alive until then.
public final class ModbusRTUServer: Sendable {
    /// The serial device served.
    public let device: String
    /// The unit ids answered (each 1...247).
    public let unitIDs: Set<UInt8>

    private let thread = Mutex<PlatformThread?>(nil)
    private let stopping = Atomic<Bool>(false)
    /// A pipe whose read end wakes the serving thread's `poll` when `stop()` writes to it.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    /// Opens `device` and starts serving.
    /// - Parameters:
    ///   - device: the serial device path, e.g. `/dev/ttyUSB1` or a `/dev/pts/N` from socat.
    ///   - baud, parity, dataBits, stopBits: line settings, as for `ModbusContext.rtu`.
    ///   - unitIDs: the unit ids to answer, each 1...247; the hook sees which one each request is for.
    ///   - mapping: the data tables replies come from.
    ///   - hook: decides each request's action. The default replies normally.
    /// - Throws: `ModbusError` if the port cannot be opened or configured.
    /// The corresponding C functions are `modbus_new_rtu`, `modbus_set_slave` and `modbus_connect`.
    public init(
        device: String, baud: Int = 9600, parity: ModbusContext.Parity = .none, dataBits: Int = 8,
        stopBits: Int = 1, unitIDs: Set<UInt8>, mapping: ModbusMapping,
        hook: @escaping ModbusRequestHook = { _ in .reply }
    ) throws(ModbusError) {
        let client = try ModbusContext.rtu(
            device: device, baud: baud, parity: parity, dataBits: dataBits, stopBits: stopBits)
        guard let first = unitIDs.min(), unitIDs.allSatisfy({ (1...247).contains($0) }) else {
            throw .invalidArgument
        }
        try client.setUnitID(first)
        try client.connect()
        var pipeEnds: [Int32] = [0, 0]
        _ = try valueOrErrno(pipe(&pipeEnds))
        self.device = device
        self.unitIDs = unitIDs
        self.wakeRead = pipeEnds[0]
        self.wakeWrite = pipeEnds[1]
        let port = OwnedContext(context: client)
        let receiverSettings = (device, Int32(baud), CChar(parity.rawValue.asciiValue ?? 78), Int32(dataBits))
        let started = PlatformThread.start { [self] in
            let descriptor = port.context.fileDescriptor
            let connection = ModbusServerConnection(
                rtuReceiver: {
                    let (device, baud, parity, dataBits) = receiverSettings
                    guard let receiver = modbus_new_rtu(device, baud, parity, dataBits, Int32(stopBits)) else {
                        return nil
                    }
                    _ = modbus_set_slave(receiver, Int32(first))
                    _ = modbus_set_socket(receiver, descriptor)
                    return receiver
                }, otherUnitIDs: unitIDs.subtracting([first]), mapping: mapping, hook: hook)
            guard var connection else { return }
            connection.run(
                isStopping: { stopping.load(ordering: .acquiring) },
                waitForRequest: { waitForInput(on: descriptor) })
            withExtendedLifetime(port) {}  // the port closes when the thread ends
        }
        guard let started else {
            Glibc.close(pipeEnds[0])
            Glibc.close(pipeEnds[1])
            throw ModbusError(rawValue: EAGAIN)
        }
        thread.withLock { $0 = started }
    }

    /// Opens `device` and serves one unit id; see `init(device:baud:parity:dataBits:stopBits:unitIDs:mapping:hook:)`.
    public convenience init(
        device: String, baud: Int = 9600, parity: ModbusContext.Parity = .none, dataBits: Int = 8,
        stopBits: Int = 1, unitID: UInt8, mapping: ModbusMapping,
        hook: @escaping ModbusRequestHook = { _ in .reply }
    ) throws(ModbusError) {
        try self.init(
            device: device, baud: baud, parity: parity, dataBits: dataBits, stopBits: stopBits, unitIDs: [unitID],
            mapping: mapping, hook: hook)
    }

    /// Stops serving, closes the port and waits for the thread to end. Idempotent.
    public func stop() {
        guard
            let running = thread.withLock({ thread in
                defer { thread = nil }; return thread
            })
        else { return }
        stopping.store(true, ordering: .releasing)
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        running.join()
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
    }

    /// Blocks until the port has input (`true`) or `stop()` wrote to the wake pipe (`false`).
    private func waitForInput(on descriptor: Int32) -> Bool {
        var descriptors = [
            pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let result = poll(&descriptors, 2, -1)
            if result == -1 && errno == EINTR { continue }
            if result == -1 || descriptors[1].revents != 0 { return false }
            if descriptors[0].revents & Int16(POLLIN) != 0 { return true }
            return false  // POLLHUP/POLLERR: the other end of the pty went away
        }
    }
}

/// Moves a context into the one thread that uses it from then on.
private struct OwnedContext: @unchecked Sendable {
    let context: ModbusContext
}
