internal import CModbus
internal import Glibc
internal import Synchronization

/// A Modbus RTU server on a serial device (or one end of a pty pair), on its own thread. For tests and the
/// device simulator.
///
/// Serves one unit id: libmodbus 3.1.6 drops RTU frames for any other unit id before the hook sees them.
/// Thread-safe. Call `stop()` when done: the serving thread keeps the server alive until then.
public final class ModbusRTUServer: Sendable {
    /// The serial device served.
    public let device: String
    /// The unit id answered (1...247).
    public let unitID: UInt8

    private let thread = Mutex<NativeThread?>(nil)
    private let stopping = Atomic<Bool>(false)
    /// A pipe whose read end wakes the serving thread's `poll` when `stop()` writes to it.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    /// Opens `device` and starts serving.
    /// - Parameters:
    ///   - device: the serial device path, e.g. `/dev/ttyUSB1` or a `/dev/pts/N` from socat.
    ///   - baud, parity, dataBits, stopBits: line settings, as for `ModbusContext.rtu`.
    ///   - unitID: the unit id to answer, 1...247.
    ///   - mapping: the data tables replies come from.
    ///   - hook: decides each request's action. The default replies normally.
    /// - Throws: `ModbusError` if the port cannot be opened or configured.
    /// The corresponding C functions are `modbus_new_rtu`, `modbus_set_slave` and `modbus_connect`.
    public init(
        device: String, baud: Int = 9600, parity: ModbusContext.Parity = .none, dataBits: Int = 8,
        stopBits: Int = 1, unitID: UInt8, mapping: ModbusMapping,
        hook: @escaping ModbusRequestHook = { _ in .reply }
    ) throws(ModbusError) {
        let client = try ModbusContext.rtu(
            device: device, baud: baud, parity: parity, dataBits: dataBits, stopBits: stopBits)
        try client.setUnitID(unitID)
        try client.connect()
        var pipeEnds: [Int32] = [0, 0]
        _ = try valueOrErrno(pipe(&pipeEnds))
        self.device = device
        self.unitID = unitID
        self.wakeRead = pipeEnds[0]
        self.wakeWrite = pipeEnds[1]
        let owned = OwnedContext(context: client)
        let started = NativeThread.start { [self] in
            let context = owned.context
            ModbusServerConnection(context: context.pointer, isTCP: false, mapping: mapping, hook: hook)
                .run(isStopping: { stopping.load(ordering: .acquiring) }, waitForRequest: {
                    waitForInput(on: context.fileDescriptor)
                })
        }
        guard let started else {
            Glibc.close(pipeEnds[0])
            Glibc.close(pipeEnds[1])
            throw ModbusError(rawValue: EAGAIN)
        }
        thread.withLock { $0 = started }
    }

    /// Stops serving, closes the port and waits for the thread to end. Idempotent.
    public func stop() {
        guard let running = thread.withLock({ thread in defer { thread = nil }; return thread }) else { return }
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
