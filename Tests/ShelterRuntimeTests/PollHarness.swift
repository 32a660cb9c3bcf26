import DeviceSimulator
import Logging
import Modbus
import ShelterCore
import ShelterRuntime
import Synchronization
import Testing

/// Keeps every result a bus worker delivers, for tests to wait on.
final class CollectingSink: SampleSink {
    private let results = Mutex<[DevicePollResult]>([])

    func deliver(_ result: DevicePollResult) { results.withLock { $0.append(result) } }

    var all: [DevicePollResult] { results.withLock { $0 } }

    func results(for device: String) -> [DevicePollResult] { all.filter { $0.device == device } }

    /// The latest result of `device`.
    func latest(_ device: String) -> DevicePollResult? { results.withLock { $0.last { $0.device == device } } }

    /// Waits until `condition` holds for the results (polling every 10 ms), up to `timeout`.
    ///
    /// The condition is checked once more after the deadline passes: when the whole suite runs in parallel, a
    /// waiter can get its turn on the concurrency pool only after its deadline, while the worker (on its own
    /// thread) delivered long before. Without the last check, that reads as "no result" (seen in CI).
    @discardableResult
    func wait(
        upTo timeout: Duration = .seconds(20), _ what: String = "", until condition: ([DevicePollResult]) -> Bool
    ) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if condition(all) { return true }
            if ContinuousClock.now >= deadline { break }
            try? await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("timed out waiting for \(what)")
        return false
    }

    /// The index after which results are new.
    var mark: Int { all.count }

    /// Waits for a result of `device` delivered after `mark` that satisfies `condition`.
    @discardableResult
    func waitForResult(
        of device: String, after mark: Int = 0, upTo timeout: Duration = .seconds(20), _ what: String = "",
        where condition: @escaping (DevicePollResult) -> Bool
    ) async -> DevicePollResult? {
        var found: DevicePollResult?
        await wait(upTo: timeout, what.isEmpty ? "a result of \(device)" : what) { results in
            found = results.dropFirst(mark).first { $0.device == device && condition($0) }
            return found != nil
        }
        return found
    }
}

/// Test profiles: small register maps with every kind of point the tests need.
enum TestProfiles {
    /// Ten holding registers: 0 voltage (UINT16 ×0.1 V), 1 current (INT16 ×0.01 A), 2–3 energy (UINT32),
    /// 4–5 power (FLOAT32 CDAB), 6 status (UINT16, sentinel 0xFFFF), 7 level (UINT16, plausible 0…1000),
    /// 8 spare (UINT16), 9 counter (UINT16).
    static let meter = DeviceProfile(
        name: "test-meter", vendor: "test", model: "meter", document: "tests",
        points: [
            Point(name: "voltage", function: .holdingRegister, address: 0, type: .uint16, scale: 0.1, unit: "V"),
            Point(name: "current", function: .holdingRegister, address: 1, type: .int16, scale: 0.01, unit: "A"),
            Point(name: "energy", function: .holdingRegister, address: 2, type: .uint32, unit: "kWh"),
            Point(name: "power", function: .holdingRegister, address: 4, type: .float32, byteOrder: .cdab, unit: "kW"),
            Point(name: "status", function: .holdingRegister, address: 6, type: .uint16, sentinels: [0xFFFF]),
            Point(
                name: "level", function: .holdingRegister, address: 7, type: .uint16, plausibleMinimum: 0,
                plausibleMaximum: 1000),
            Point(name: "spare", function: .holdingRegister, address: 8, type: .uint16),
            Point(name: "counter", function: .holdingRegister, address: 9, type: .uint16),
        ])

    /// The scripts the meter runs in tests: distinct constants so a shifted reply shows.
    static let meterScripts: [String: ValueScript] = [
        "voltage": .constant(.double(230.1)), "current": .constant(.double(-1.25)), "energy": .constant(.uint(70_000)),
        "power": .constant(.double(3.5)), "status": .constant(.uint(1)), "level": .constant(.uint(420)),
        "spare": .constant(.uint(7)), "counter": .constant(.uint(99)),
    ]

    static func meterDevice(
        name: String, unitID: UInt8, isTCP: Bool, faults: FaultPlan = .init()
    ) throws
        -> SimulatedDevice
    {
        try SimulatedDevice(
            name: name, unitID: unitID, profile: meter, scripts: meterScripts, faults: faults, isTCP: isTCP)
    }

    static func schedule(
        bus: String, transport: Bus.Transport, interFrameGap: Duration = .zero, devices: [(String, UInt8)],
        pollInterval: Duration = .milliseconds(100), responseTimeout: Duration = .milliseconds(150)
    ) -> TestBus {
        TestBus(
            bus: Bus(name: bus, transport: transport, interFrameGap: interFrameGap),
            devices: devices.map { name, unit in
                Device(
                    name: name, busName: bus, unitID: UnitID(rawValue: unit), profile: meter,
                    pollInterval: pollInterval, responseTimeout: responseTimeout, byteTimeout: responseTimeout)
            })
    }

    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    /// Fast back-off for tests: 300 ms doubling to 1.2 s, no jitter; a device goes down after 2 silent polls;
    /// busy retried after 20 ms.
    static var fastRecovery: BusWorker.Configuration {
        var c = BusWorker.Configuration()
        c.reconnect = BackoffPolicy(initialDelay: .milliseconds(100), maximumDelay: .milliseconds(400), jitter: 0)
        c.poller.deviceBackoff = BackoffPolicy(
            initialDelay: .milliseconds(300), maximumDelay: .milliseconds(1200), jitter: 0)
        c.poller.failuresBeforeBackoff = 2
        c.poller.busyRetryWait = .milliseconds(20)
        return c
    }
}

/// A bus and its devices, as a test builds them.
struct TestBus {
    var bus: Bus
    var devices: [Device]
}

extension BusWorker {
    convenience init(
        schedule: TestBus, sink: some SampleSink, configuration: Configuration = .init(), logger: Logger
    ) {
        self.init(
            bus: schedule.bus, devices: schedule.devices, sink: sink, configuration: configuration, logger: logger)
    }
}

extension DevicePollResult {
    /// The value of `point`, or nil.
    func value(_ point: String) -> SampleValue? { sample(point)?.reading.value }
    /// The reason `point` has no sample, or nil.
    func reason(_ point: String) -> NoSampleReason? { sample(point)?.reading.reason }
    /// Whether every point has the value the meter scripts give it.
    var hasMeterValues: Bool {
        abs((value("voltage")?.numericValue ?? 0) - 230.1) < 1e-9 && value("current") == .double(-1.25)
            && value("energy") == .uint(70_000)
            && value("power") == .double(3.5) && value("status") == .uint(1) && value("level") == .uint(420)
            && value("spare") == .uint(7) && value("counter") == .uint(99)
    }
}

extension SimulatedBus {
    /// The worker's transport to this bus and its inter-frame gap (t3.5 at 115 200 baud on RTU, none on TCP).
    var transportAt115200: (Bus.Transport, Duration) {
        switch endpoint {
        case .tcp(let host, let port):
            return (.tcp(host: host, port: port), .zero)
        case .rtu(let path, _):
            let line = SerialLine(device: path, baudRate: 115_200)
            return (.serial(line), line.t35)
        }
    }
}
