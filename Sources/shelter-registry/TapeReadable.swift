import Foundation
import ShelterCore

/// A payload `TapeJSONDecoder` reads straight off the tape, without `Decodable`'s containers.
///
/// Why: with the tape, decoding still took 54 % of the registry's CPU during a drain, most of it `Decodable`'s
/// own machinery (a container box and a generic metadata lookup per object, an existential call per member, a
/// string switch per enum), not the reading of bytes. A status report is the one payload a gateway sends by
/// the thousand, so it alone is read this way.
///
/// The contract is `TapeJSONDecoder`'s: `read` answers exactly the value the type's `init(from:)` answers
/// under `JSONDecoder`, or throws `tape.decline()`. It follows the `Decodable` implementation member by member:
/// a non-optional property is required and never `null`; an optional one (`decodeIfPresent`) is `nil` when
/// absent or `null`; enums by raw value; members no property names are ignored. `TapeJSONDecoderTests`
/// compares it with `JSONDecoder` on every fixture, on a report with every optional set and every optional
/// unset, on every member removed, `null` or mistyped, and on thousands of mutated batches.
///
/// A reader builds its value only with initializers that derive nothing
/// (`ZonedTime(instant:utcOffsetMinutes:local:)`, `CapacityStatus(registered:occupied:available:notes:)`): one
/// that computes from a member traps on some value a gateway can send. An offset of 1.5e17 minutes took the
/// registry down that way, found by a differential attack before this landed.
protocol TapeReadable {
    static func read(from tape: TapeJSONDecoder.Tape, at index: Int) throws -> Self
}

/// `case "reportId":` for a key's bytes.
private func ~= (name: StaticString, key: UnsafeBufferPointer<UInt8>) -> Bool {
    key.count == name.utf8CodeUnitCount && (key.isEmpty || memcmp(key.baseAddress!, name.utf8Start, key.count) == 0)
}

extension TapeJSONDecoder.Tape {
    /// Calls `body` with each member of the object at `object`: its key's bytes and its value's token.
    fileprivate func members(
        of object: Int, _ body: (_ key: UnsafeBufferPointer<UInt8>, _ value: Int) throws -> Void
    ) throws {
        guard tokens[object].kind == .object else { throw decline() }
        var key = object + 1
        let end = Int(tokens[object].b)
        while key < end {
            let token = tokens[key]
            try body(UnsafeBufferPointer(rebasing: bytes[Int(token.a)..<Int(token.b)]), key + 1)
            key = skip(key + 1)
        }
    }

    /// The elements of the array at `array`, each read by `element`.
    fileprivate func array<Element>(at array: Int?, _ element: (Int) throws -> Element) throws -> [Element] {
        let array = try required(array)
        guard tokens[array].kind == .array else { throw decline() }
        var elements: [Element] = []
        elements.reserveCapacity(Int(tokens[array].a))
        var index = array + 1
        let end = Int(tokens[array].b)
        while index < end {
            elements.append(try element(index))
            index = skip(index)
        }
        return elements
    }

    /// The token of a required member: `decode(_:forKey:)` refuses a missing key.
    fileprivate func required(_ index: Int?) throws -> Int {
        guard let index else { throw decline() }
        return index
    }

    /// An optional member as `decodeIfPresent(_:forKey:)` reads it: `nil` when absent or `null`.
    fileprivate func optional<Value>(_ index: Int?, _ read: (Int) throws -> Value) throws -> Value? {
        guard let index, !isNull(at: index) else { return nil }
        return try read(index)
    }

    fileprivate func string(_ index: Int?) throws -> String { try string(at: required(index)) }
    fileprivate func int<I: FixedWidthInteger>(_ index: Int?) throws -> I { try integer(at: required(index)) }
    fileprivate func double(_ index: Int?) throws -> Double { try double(at: required(index)) }
    fileprivate func bool(_ index: Int?) throws -> Bool { try bool(at: required(index)) }
    fileprivate func date(at index: Int) throws -> Date { try decode(at: index, as: Date.self) }
    fileprivate func date(_ index: Int?) throws -> Date { try date(at: required(index)) }

    /// A `String`-backed enum, refused (as `JSONDecoder` does) when no case has the raw value.
    fileprivate func value<Value: RawRepresentable>(at index: Int) throws -> Value where Value.RawValue == String {
        guard let value = Value(rawValue: try string(at: index)) else { throw decline() }
        return value
    }

    fileprivate func value<Value: RawRepresentable>(_ index: Int?) throws -> Value where Value.RawValue == String {
        try value(at: required(index))
    }
}

extension StatusReport: TapeReadable {
    static func read(from tape: TapeJSONDecoder.Tape, at index: Int) throws -> StatusReport {
        var reportId: Int?, sequence: Int?, shelterId: Int?, gatewayId: Int?, recordVersion: Int?, observedAt: Int?
        var lifecycle: Int?, capacity: Int?, resources: Int?, checks: Int?, devices: Int?, readings: Int?
        var lastUpdate: Int?
        try tape.members(of: index) { key, value in
            switch key {
            case "reportId": reportId = value
            case "sequence": sequence = value
            case "shelterId": shelterId = value
            case "gatewayId": gatewayId = value
            case "recordVersion": recordVersion = value
            case "observedAt": observedAt = value
            case "lifecycle": lifecycle = value
            case "capacity": capacity = value
            case "resources": resources = value
            case "checks": checks = value
            case "devices": devices = value
            case "readings": readings = value
            case "lastUpdate": lastUpdate = value
            default: break
            }
        }
        return StatusReport(
            reportId: try tape.string(reportId), sequence: try tape.int(sequence),
            shelterId: try tape.string(shelterId),
            gatewayId: try tape.string(gatewayId), recordVersion: try tape.int(recordVersion),
            observedAt: try tape.date(observedAt), lifecycle: try .read(from: tape, at: tape.required(lifecycle)),
            capacity: try .read(from: tape, at: tape.required(capacity)),
            resources: try .read(from: tape, at: tape.required(resources)),
            checks: try tape.array(at: checks) { try .read(from: tape, at: $0) },
            devices: try tape.array(at: devices) { try .read(from: tape, at: $0) },
            readings: try tape.array(at: readings) { try .read(from: tape, at: $0) },
            lastUpdate: try .read(from: tape, at: tape.required(lastUpdate)))
    }
}

extension LifecycleStatus: TapeReadable {
    static func read(from tape: TapeJSONDecoder.Tape, at index: Int) throws -> LifecycleStatus {
        var state: Int?, isDrill: Int?, isUnconfirmed: Int?
        try tape.members(of: index) { key, value in
            switch key {
            case "state": state = value
            case "isDrill": isDrill = value
            case "isUnconfirmed": isUnconfirmed = value
            default: break
            }
        }
        return LifecycleStatus(
            state: try tape.value(state), isDrill: try tape.bool(isDrill), isUnconfirmed: try tape.bool(isUnconfirmed))
    }
}

extension CapacityStatus: TapeReadable {
    static func read(from tape: TapeJSONDecoder.Tape, at index: Int) throws -> CapacityStatus {
        var registered: Int?, occupied: Int?, available: Int?, notes: Int?
        try tape.members(of: index) { key, value in
            switch key {
            case "registered": registered = value
            case "occupied": occupied = value
            case "available": available = value
            case "notes": notes = value
            default: break
            }
        }
        return CapacityStatus(
            registered: try tape.int(registered), occupied: try tape.optional(occupied) { try tape.integer(at: $0) },
            available: try tape.optional(available) { try tape.integer(at: $0) },
            notes: try tape.array(at: notes) { try tape.string(at: $0) })
    }
}

extension ResourceStatus: TapeReadable {
    static func read(from tape: TapeJSONDecoder.Tape, at index: Int) throws -> ResourceStatus {
        var power: Int?, water: Int?, sanitation: Int?, comms: Int?
        try tape.members(of: index) { key, value in
            switch key {
            case "power": power = value
            case "water": water = value
            case "sanitation": sanitation = value
            case "comms": comms = value
            default: break
            }
        }
        return ResourceStatus(
            power: try tape.value(power), water: try tape.value(water), sanitation: try tape.value(sanitation),
            comms: try tape.value(comms))
    }
}

extension CheckResult: TapeReadable {
    /// As `CheckResult.init(from:)`: `subject` and `summary` are required; `finding` is never read.
    static func read(from tape: TapeJSONDecoder.Tape, at index: Int) throws -> CheckResult {
        var checkId: Int?, subject: Int?, status: Int?, value: Int?, threshold: Int?, source: Int?, summary: Int?
        var reason: Int?, reasonDetail: Int?
        try tape.members(of: index) { key, member in
            switch key {
            case "checkId": checkId = member
            case "subject": subject = member
            case "status": status = member
            case "value": value = member
            case "threshold": threshold = member
            case "source": source = member
            case "summary": summary = member
            case "reason": reason = member
            case "reasonDetail": reasonDetail = member
            default: break
            }
        }
        return CheckResult(
            checkId: CheckID(rawValue: try tape.string(checkId)), subject: try tape.string(subject),
            status: try tape.value(status), value: try tape.optional(value) { try .read(from: tape, at: $0) },
            threshold: try tape.optional(threshold) { try .read(from: tape, at: $0) }, source: try tape.string(source),
            summary: try tape.string(summary), reason: try tape.optional(reason) { try tape.value(at: $0) },
            reasonDetail: try tape.optional(reasonDetail) { try tape.string(at: $0) })
    }
}

extension MeasuredValue: TapeReadable {
    static func read(from tape: TapeJSONDecoder.Tape, at index: Int) throws -> MeasuredValue {
        var value: Int?, unit: Int?
        try tape.members(of: index) { key, member in
            switch key {
            case "value": value = member
            case "unit": unit = member
            default: break
            }
        }
        return MeasuredValue(try tape.double(value), unit: try tape.string(unit))
    }
}

extension ThresholdUsed: TapeReadable {
    static func read(from tape: TapeJSONDecoder.Tape, at index: Int) throws -> ThresholdUsed {
        var warning: Int?, critical: Int?, unit: Int?, direction: Int?, origin: Int?
        try tape.members(of: index) { key, value in
            switch key {
            case "warning": warning = value
            case "critical": critical = value
            case "unit": unit = value
            case "direction": direction = value
            case "origin": origin = value
            default: break
            }
        }
        return ThresholdUsed(
            warning: try tape.optional(warning) { try tape.double(at: $0) },
            critical: try tape.optional(critical) { try tape.double(at: $0) }, unit: try tape.string(unit),
            direction: try tape.value(direction), origin: try tape.value(origin))
    }
}

extension DeviceLinkStatus: TapeReadable {
    static func read(from tape: TapeJSONDecoder.Tape, at index: Int) throws -> DeviceLinkStatus {
        var device: Int?, link: Int?
        try tape.members(of: index) { key, value in
            switch key {
            case "device": device = value
            case "link": link = value
            default: break
            }
        }
        return DeviceLinkStatus(device: try tape.string(device), link: try tape.value(link))
    }
}

extension ReadingStatus: TapeReadable {
    static func read(from tape: TapeJSONDecoder.Tape, at index: Int) throws -> ReadingStatus {
        var device: Int?, point: Int?, quantity: Int?, value: Int?, text: Int?, unit: Int?, quality: Int?
        var reason: Int?, observedAt: Int?
        try tape.members(of: index) { key, member in
            switch key {
            case "device": device = member
            case "point": point = member
            case "quantity": quantity = member
            case "value": value = member
            case "text": text = member
            case "unit": unit = member
            case "quality": quality = member
            case "reason": reason = member
            case "observedAt": observedAt = member
            default: break
            }
        }
        return ReadingStatus(
            device: try tape.string(device), point: try tape.string(point),
            quantity: try tape.optional(quantity) { Quantity(rawValue: try tape.string(at: $0)) },
            value: try tape.optional(value) { try tape.double(at: $0) },
            unit: try tape.optional(unit) { try tape.string(at: $0) }, quality: try tape.value(quality),
            reason: try tape.optional(reason) { try tape.value(at: $0) },
            observedAt: try tape.optional(observedAt) { try tape.date(at: $0) },
            text: try tape.optional(text) { try tape.string(at: $0) })
    }
}

extension ZonedTime: TapeReadable {
    static func read(from tape: TapeJSONDecoder.Tape, at index: Int) throws -> ZonedTime {
        var instant: Int?, utcOffsetMinutes: Int?, local: Int?
        try tape.members(of: index) { key, value in
            switch key {
            case "instant": instant = value
            case "utcOffsetMinutes": utcOffsetMinutes = value
            case "local": local = value
            default: break
            }
        }
        return ZonedTime(
            instant: try tape.date(instant), utcOffsetMinutes: try tape.int(utcOffsetMinutes),
            local: try tape.string(local))
    }
}
