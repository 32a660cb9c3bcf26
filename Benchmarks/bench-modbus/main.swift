// bench-modbus: CPU time per 1000 reads of 10, 60 and 125 holding registers through `Modbus` (ModbusContext:
// unit id set on every request, every reply check, a fresh array per reply) against a plain libmodbus loop, over
// the same loopback server, in the same run. Target: Modbus within 1.3x of the plain loop (issue 2).
//
// CPU is the client thread's own user+system time (getrusage RUSAGE_THREAD), so the in-process server's threads
// do not count. Each round runs the two loops back to back; the median round is reported.
//
// Usage: bench-modbus [reads per round, default 1000] [rounds, default 7]

import Glibc
import Modbus
import ModbusFloor

let readsPerRound = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1000 : 1000
let rounds = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 7 : 7

/// CPU time this thread has used, in microseconds.
func threadCPUMicroseconds() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(1), &usage)  // RUSAGE_THREAD (Linux), not imported into Swift
    let user = Int(usage.ru_utime.tv_sec) * 1_000_000 + Int(usage.ru_utime.tv_usec)
    let system = Int(usage.ru_stime.tv_sec) * 1_000_000 + Int(usage.ru_stime.tv_usec)
    return user + system
}

/// Runs `body` and returns the thread CPU it used, in microseconds, and the wall time.
func measure(_ body: () throws -> Int) rethrows -> (cpu: Int, wall: Duration, checksum: Int) {
    let clock = ContinuousClock()
    let cpuBefore = threadCPUMicroseconds()
    let start = clock.now
    let checksum = try body()
    return (threadCPUMicroseconds() - cpuBefore, start.duration(to: clock.now), checksum)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

/// `value` with `decimals` digits after the point (no Foundation formatting in the agent's tools).
func fixed(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let whole = scaled / Int(scale)
    let fraction = String(abs(scaled) % Int(scale))
    let padded = String(repeating: "0", count: max(0, decimals - fraction.count)) + fraction
    return decimals == 0 ? "\(whole)" : "\(whole).\(padded)"
}

func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}

do {
    let mapping = try ModbusMapping(holdingRegisters: 0..<125)
    try mapping.setRegisters((0..<125).map { UInt16($0 + 1) }, in: .holdingRegisters, startingAt: 0)
    let server = try ModbusTCPServer(mapping: mapping)
    defer { server.stop() }

    let context = try ModbusContext.tcp(host: "127.0.0.1", port: server.port)
    try context.setResponseTimeout(.seconds(5))
    try context.connect()
    let plain = try ModbusPlainReadLoop(host: "127.0.0.1", port: server.port, unitID: 1)

    print("bench-modbus: \(readsPerRound) reads per round, \(rounds) rounds, loopback TCP server, port \(server.port)")
    print("CPU ms per 1000 reads (client thread, median round); wall ms per 1000 reads in brackets")
    print("registers    plain libmodbus            Modbus    ratio")
    var worst = 0.0
    for count in [10, 60, 125] {
        _ = try plain.readHoldingRegisters(startingAt: 0, count: count, reads: 100)  // warm up
        var plainCPU: [Double] = []
        var wrappedCPU: [Double] = []
        var plainWall: [Double] = []
        var wrappedWall: [Double] = []
        for _ in 0..<rounds {
            let base = try measure { try plain.readHoldingRegisters(startingAt: 0, count: count, reads: readsPerRound) }
            let wrapped = try measure {
                var sum = 0
                for _ in 0..<readsPerRound {
                    try context.setUnitID(1)
                    let registers = try context.readHoldingRegisters(startingAt: 0, count: count)
                    sum &+= Int(registers[0])
                }
                return sum
            }
            guard base.checksum == readsPerRound, wrapped.checksum == readsPerRound else {
                print("bench-modbus: wrong values read")
                exit(1)
            }
            let per1000 = 1000.0 / Double(readsPerRound)
            plainCPU.append(Double(base.cpu) / 1000 * per1000)
            wrappedCPU.append(Double(wrapped.cpu) / 1000 * per1000)
            plainWall.append(Double(milliseconds: base.wall) * per1000)
            wrappedWall.append(Double(milliseconds: wrapped.wall) * per1000)
        }
        let ratio = median(wrappedCPU) / max(median(plainCPU), 0.001)
        worst = max(worst, ratio)
        print(
            pad("\(count)", 9)
                + pad("\(fixed(median(plainCPU), 1)) [\(fixed(median(plainWall), 1))]", 18)
                + pad("\(fixed(median(wrappedCPU), 1)) [\(fixed(median(wrappedWall), 1))]", 18)
                + pad("\(fixed(ratio, 2))x", 9))
    }
    print("worst ratio \(fixed(worst, 2))x (target <= 1.30x): \(worst <= 1.3 ? "met" : "NOT met")")
} catch {
    print("bench-modbus: \(error)")
    exit(1)
}

extension Double {
    init(milliseconds duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
