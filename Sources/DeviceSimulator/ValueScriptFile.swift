import ShelterCore
import TOMLKit
import TOMLSupport

/// A value-script file: per device, the script of each point and the faults it starts with (TOML).
///
/// ```toml
/// seed = 7                                  # random walks repeat with the same seed (default 1)
///
/// [devices.genset.points.fuel_level]
/// script = "ramp"                           # constant | ramp | step | sine | random_walk | counter
/// from = 80.0
/// per_second = -0.01
/// min = 0.0                                 # ramp and random_walk hold within min...max
/// max = 100.0
///
/// [devices.counter_north.points.count_in]
/// script = "counter"
/// start = 4294967000
/// per_second = 2.0
/// modulus = 4294967296                      # wraps like a UINT32 counter
///
/// [devices.io.points.mains_ok]
/// script = "constant"
/// value = true
///
/// [devices.genset.faults]                   # same words as the control channel
/// no_answer = false
/// busy = false
/// late_reply_milliseconds = 0
/// slow_milliseconds = 0
/// junk = false
/// exceptions = [{ table = "holding", first = 30, last = 31, code = 2 }]
/// ```
///
/// Keys per script: `constant`: value; `ramp`: from, per_second, min, max; `step`: before, after, at_seconds;
/// `sine`: mean, amplitude, period_seconds; `random_walk`: start, step, interval_seconds (default 1), min,
/// max; `counter`: start, per_second, modulus (default 4294967296).
public struct ValueScriptFile: Sendable {
    /// Seed for random walks.
    public var seed: UInt64 = 1
    /// Scripts by device name, then point name.
    public var scripts: [String: [String: ValueScript]] = [:]
    /// Initial faults by device name.
    public var faults: [String: FaultPlan] = [:]

    /// An empty script: every point holds its resting value.
    public init() {}

    /// Parses the file's text.
    /// - Throws: `SimulatorError` naming the key path of the first problem.
    public init(toml text: String) throws(SimulatorError) {
        let root: TOMLTable
        do {
            root = try TOMLText.parse(text)
        } catch {
            throw SimulatorError("value script is not valid TOML: \(error) (fix: \(error.fix))")
        }
        if let seed = root["seed"]?.int { self.seed = UInt64(truncatingIfNeeded: seed) }
        guard let devices = root["devices"]?.table else { return }
        for device in devices.keys {
            guard let entry = devices[device]?.table else { continue }
            if let points = entry["points"]?.table {
                for point in points.keys {
                    guard let table = points[point]?.table else { continue }
                    scripts[device, default: [:]][point] = try Self.script(
                        table, path: "devices.\(device).points.\(point)")
                }
            }
            if let table = entry["faults"]?.table {
                faults[device] = try Self.faultPlan(table, path: "devices.\(device).faults")
            }
        }
    }

    private static func script(_ t: TOMLTable, path: String) throws(SimulatorError) -> ValueScript {
        func number(_ key: String, _ fallback: Double? = nil) throws(SimulatorError) -> Double {
            if let d = t[key]?.double { return d }
            if let i = t[key]?.int { return Double(i) }
            if let fallback { return fallback }
            throw SimulatorError("\(path).\(key): a number is required")
        }
        func value(_ key: String) throws(SimulatorError) -> SampleValue {
            if let b = t[key]?.bool { return .bool(b) }
            if let i = t[key]?.int { return i >= 0 ? .uint(UInt64(i)) : .int(Int64(i)) }
            if let d = t[key]?.double { return .double(d) }
            throw SimulatorError("\(path).\(key): a number or a boolean is required")
        }
        func bounds() throws(SimulatorError) -> ClosedRange<Double> {
            let low = try number("min", -.greatestFiniteMagnitude)
            let high = try number("max", .greatestFiniteMagnitude)
            guard low <= high else { throw SimulatorError("\(path): min must not exceed max") }
            return low...high
        }
        switch t["script"]?.string ?? "" {
        case "constant": return .constant(try value("value"))
        case "ramp": return .ramp(from: try number("from"), perSecond: try number("per_second"), bounds: try bounds())
        case "step":
            return .step(before: try value("before"), after: try value("after"), at: .seconds(try number("at_seconds")))
        case "sine":
            return .sine(
                mean: try number("mean"), amplitude: try number("amplitude"),
                period: .seconds(try number("period_seconds")))
        case "random_walk":
            return .randomWalk(
                start: try number("start"), step: try number("step"),
                interval: .seconds(try number("interval_seconds", 1)),
                bounds: try bounds())
        case "counter":
            let start = try number("start", 0)
            let modulus = try number("modulus", 4_294_967_296)
            guard start >= 0, modulus >= 1 else { throw SimulatorError("\(path): start ≥ 0 and modulus ≥ 1") }
            return .counter(start: UInt64(start), perSecond: try number("per_second"), modulus: UInt64(modulus))
        case let other:
            throw SimulatorError(
                "\(path).script: unknown script \"\(other)\" (constant, ramp, step, sine, random_walk, counter)")
        }
    }

    private static func faultPlan(_ t: TOMLTable, path: String) throws(SimulatorError) -> FaultPlan {
        var plan = FaultPlan()
        plan.noAnswer = t["no_answer"]?.bool ?? false
        plan.busy = t["busy"]?.bool ?? false
        plan.junkBytes = t["junk"]?.bool ?? false
        if let ms = t["late_reply_milliseconds"]?.int, ms > 0 { plan.lateReply = .milliseconds(ms) }
        if let ms = t["slow_milliseconds"]?.int, ms > 0 { plan.slowResponse = .milliseconds(ms) }
        for (i, item) in (t["exceptions"]?.array.map(Array.init) ?? []).enumerated() {
            guard let e = item.table, let table = e["table"]?.string, let function = RegisterFunction(rawValue: table),
                let first = e["first"]?.int, let code = e["code"]?.int, (1...255).contains(code)
            else { throw SimulatorError("\(path).exceptions[\(i)]: needs table, first, code (1...255), optional last") }
            let last = e["last"]?.int ?? first
            guard first <= last else { throw SimulatorError("\(path).exceptions[\(i)]: first must not exceed last") }
            plan.exceptions.append(.init(function: function, addresses: first...last, code: UInt8(code)))
        }
        return plan
    }
}
