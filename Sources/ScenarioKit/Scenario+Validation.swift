import FoundationEssentials
import ShelterCore
import TOMLKit
import TOMLSupport

extension Scenario {
    /// The longest timeline a scenario may have: 2 hours.
    public static let maximumDuration: Duration = .seconds(7200)

    /// Reads, decodes and validates the scenario file at `path`.
    /// - Throws: `ScenarioError` with code `.unreadable`, or `.invalid` listing every problem found.
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        let text: String
        do {
            text = try String(contentsOf: URL(filePath: path), encoding: .utf8)
        } catch {
            throw ScenarioError(code: .unreadable, subject: path, "cannot read the file: \(error)")
        }
        let directory = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
        return try parse(text, baseDirectory: directory, subject: path)
    }

    /// Decodes and validates scenario TOML text.
    /// - Parameters:
    ///   - baseDirectory: the directory relative site paths are resolved against (the scenario file's).
    ///   - subject: the file name for messages.
    /// - Throws: `ScenarioError` `.invalid` with every problem.
    public static func parse(
        _ text: String, baseDirectory: String, subject: String
    ) throws(ScenarioError)
        -> Scenario
    {
        let file: ScenarioFile
        do {
            file = try TOMLText.decode(ScenarioFile.self, from: text)
        } catch {
            throw ScenarioError(code: .invalid, subject: subject, issues: [Self.issue(decoding: error)])
        }
        return try validate(file, baseDirectory: baseDirectory, subject: subject)
    }

    /// Turns a decoded file into a scenario, collecting every problem (STYLE §4).
    /// - Throws: `ScenarioError` `.invalid` listing all problems, each with its key path.
    public static func validate(
        _ file: ScenarioFile, baseDirectory: String, subject: String
    ) throws(ScenarioError)
        -> Scenario
    {
        var v = ScenarioValidator()
        let scenario = v.validate(file, baseDirectory: baseDirectory)
        guard v.issues.isEmpty, let scenario else {
            throw ScenarioError(code: .invalid, subject: subject, issues: v.issues)
        }
        return scenario
    }

    /// Problems of this scenario against the devices a site declares (a step naming an unknown device).
    public func issues(againstDevices devices: Set<String>) -> [ScenarioIssue] {
        steps.compactMap { step in
            guard let device = step.action.device, !devices.contains(device) else { return nil }
            return ScenarioIssue(
                path: "steps[\(step.index)].device", message: "no device \"\(device)\" in the site file",
                hint: "devices: \(devices.sorted().joined(separator: ", "))")
        }
    }

    static func issue(decoding error: any Error) -> ScenarioIssue {
        if let error = error as? TOMLSyntaxError {
            return ScenarioIssue(path: "", message: error.description, hint: error.fix)
        }
        if let error = error as? UnexpectedKeysError {
            let keys = error.keys.map { key, path in (path.map(\.stringValue) + [key]).joined(separator: ".") }
            return ScenarioIssue(
                path: keys.sorted().joined(separator: ", "), message: "unknown key",
                hint: "see Firmware-Config/scenarios/README.md for the keys")
        }
        if let error = error as? DecodingError {
            switch error {
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
                .dataCorrupted(let context):
                return ScenarioIssue(
                    path: keyPath(context.codingPath), message: "wrong type or value",
                    hint: context.debugDescription)
            @unknown default:
                break
            }
        }
        return ScenarioIssue(path: "", message: "cannot decode: \(error)")
    }

    static func keyPath(_ path: [any CodingKey]) -> String {
        path.reduce(into: "") { text, key in
            if let i = key.intValue {
                text += "[\(i)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
    }
}

/// Collects issues while turning a `ScenarioFile` into a `Scenario`. Not thread-safe; one per validation.
struct ScenarioValidator {
    var issues: [ScenarioIssue] = []
    private var duration: Duration = Scenario.maximumDuration

    mutating func add(_ path: String, _ message: String, hint: String? = nil) {
        issues.append(ScenarioIssue(path: path, message: message, hint: hint))
    }

    mutating func validate(_ file: ScenarioFile, baseDirectory: String) -> Scenario? {
        let name = file.name ?? ""
        if name.isEmpty {
            add("name", "missing", hint: "a short name such as \"c01-capacity\"")
        } else if !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
            add("name", "\"\(name)\" has characters other than letters, digits, '-', '_', '.'")
        }
        var sitePath = ""
        if let site = file.site, !site.isEmpty {
            sitePath = site.hasPrefix("/") ? site : "\(baseDirectory)/\(site)"
        } else {
            add("site", "missing", hint: "the site file, relative to the scenario, e.g. \"../sites/reference.toml\"")
        }
        let valuesPath = file.values.map { $0.hasPrefix("/") ? $0 : "\(baseDirectory)/\($0)" }
        if file.values?.isEmpty == true { add("values", "empty path") }
        if let d = seconds(file.durationSeconds, "duration_seconds", in: 1...Scenario.maximumDuration.seconds) {
            duration = d
        } else if file.durationSeconds == nil {
            add("duration_seconds", "missing")
        }
        let agent = AgentOverrides(
            reportInterval: seconds(file.agent?.reportIntervalSeconds, "agent.report_interval_seconds", in: 1...3600),
            heartbeatInterval: seconds(
                file.agent?.heartbeatIntervalSeconds, "agent.heartbeat_interval_seconds", in: 1...3600))
        let initial = LifecycleSetting(
            state: lifecycleState(file.registry?.lifecycle, "registry.lifecycle"), isDrill: file.registry?.drill)
        var thresholds: [CheckID: ThresholdOverride] = [:]
        for (check, entry) in (file.thresholds ?? [:]).sorted(by: { $0.key < $1.key }) {
            let path = "thresholds.\"\(check)\""
            if !Self.isCheckID(check) { add(path, "\"\(check)\" is not a check id", hint: Self.checkIDHint) }
            thresholds[CheckID(rawValue: check)] = ThresholdOverride(
                warning: entry.warning?.value, critical: entry.critical?.value,
                holdFor: seconds(entry.holdForSeconds, "\(path).hold_for_seconds", in: 0...86400),
                isEnabled: entry.enabled ?? true)
        }
        let steps = self.steps(file.steps ?? [])
        let expectations = self.expectations(file.expect)
        guard issues.isEmpty else { return nil }
        return Scenario(
            name: name, description: file.description ?? "", sitePath: sitePath, valuesPath: valuesPath,
            duration: duration, agent: agent,
            thresholds: thresholds, initialLifecycle: initial, steps: steps, expectations: expectations)
    }

    // MARK: Steps

    private static let keysByAction: [String: (required: Set<String>, optional: Set<String>)] = [
        "set": (["device", "point", "value"], []),
        "ramp": (["device", "point", "to", "over_seconds"], ["from"]),
        "fault": (
            ["device", "fault"],
            ["exception_code", "function", "addresses", "delay_milliseconds"]
        ),
        "clear_fault": (["device"], ["fault"]),
        "stop_device": (["device"], []),
        "start_device": (["device"], []),
        "lifecycle": ([], ["state", "drill"]),
        "uplink_down": ([], ["mode"]),
        "uplink_up": ([], []),
        "bus_path": (["bus"], ["path"]),
        "gateway_certificate": ([], ["gateway"]),
        "reload": ([], []),
    ]

    private mutating func steps(_ entries: [ScenarioFile.StepEntry]) -> [Step] {
        var result: [Step] = []
        for (i, entry) in entries.enumerated() {
            let path = "steps[\(i)]"
            let at = seconds(entry.atSeconds, "\(path).at_seconds", in: 0...duration.seconds)
            if entry.atSeconds == nil { add("\(path).at_seconds", "missing") }
            guard let actionName = entry.action else {
                add("\(path).action", "missing", hint: Self.actionList)
                continue
            }
            guard let keys = Self.keysByAction[actionName] else {
                add("\(path).action", "unknown action \"\(actionName)\"", hint: Self.actionList)
                continue
            }
            let set = Set(entry.keysSet)
            for key in keys.required.subtracting(set).sorted() {
                add("\(path).\(key)", "missing for action \"\(actionName)\"")
            }
            for key in set.subtracting(keys.required).subtracting(keys.optional).sorted() {
                add("\(path).\(key)", "does not apply to action \"\(actionName)\"")
            }
            let action = action(actionName, entry, path: path)
            guard let at, let action else { continue }
            result.append(Step(at: at, action: action, index: i))
        }
        // Stable sort: steps at the same time keep file order.
        let ordered = result.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
            .map(\.element)
        return checkSequence(ordered)
    }

    private static var actionList: String {
        "one of " + keysByAction.keys.sorted().joined(separator: ", ")
    }

    private mutating func action(_ name: String, _ e: ScenarioFile.StepEntry, path: String) -> Action? {
        let device = e.device ?? ""
        let point = e.point ?? ""
        switch name {
        case "set":
            switch e.value {
            case .number(let n): return .setPoint(device: device, point: point, value: .number(n))
            case .bool(let b): return .setPoint(device: device, point: point, value: .bool(b))
            case .string(let s):
                add("\(path).value", "\"\(s)\" is text; a point takes a number or true/false")
                return nil
            case nil: return nil
            }
        case "ramp":
            guard let to = e.to?.value, let over = seconds(e.overSeconds, "\(path).over_seconds", in: 0.001...7200)
            else { return nil }
            // `from` may come from an earlier step on the same point; NaN marks "resolve later".
            return .rampPoint(device: device, point: point, from: e.from?.value ?? .nan, to: to, over: over)
        case "fault":
            return fault(e, path: path).map { .startFault(device: device, fault: $0) }
        case "clear_fault":
            guard let kindName = e.fault else { return .clearFault(device: device, kind: nil) }
            guard let kind = Fault.Kind(rawValue: kindName) else {
                add("\(path).fault", "unknown fault \"\(kindName)\"", hint: Self.faultList)
                return nil
            }
            return .clearFault(device: device, kind: kind)
        case "stop_device": return .stopDevice(device: device)
        case "start_device": return .startDevice(device: device)
        case "lifecycle":
            let setting = LifecycleSetting(state: lifecycleState(e.state, "\(path).state"), isDrill: e.drill)
            if e.state == nil && e.drill == nil {
                add(path, "a lifecycle step needs `state`, `drill` or both")
                return nil
            }
            return .setLifecycle(setting)
        case "uplink_down":
            guard let modeName = e.mode else { return .uplinkDown(.stop) }
            guard let mode = OutageMode(rawValue: modeName) else {
                add(
                    "\(path).mode", "unknown outage mode \"\(modeName)\"",
                    hint: "one of " + OutageMode.allCases.map(\.rawValue).joined(separator: ", "))
                return nil
            }
            return .uplinkDown(mode)
        case "bus_path":
            if let device = e.path, !device.hasPrefix("/") {
                add("\(path).path", "\"\(device)\" is not an absolute device path", hint: "e.g. \"/dev/ttyUSB9\"")
            }
            return .busPath(bus: e.bus ?? "", path: e.path)
        case "gateway_certificate":
            if let gateway = e.gateway, !Self.isGatewayID(gateway) {
                add(
                    "\(path).gateway", "\"\(gateway)\" is not a gateway id",
                    hint: "1 to 64 letters, digits, '.', '_', '-', starting with a letter or digit")
            }
            if let at = e.atSeconds, at.value <= 0 {
                add(
                    "\(path).at_seconds", "a certificate swap at t = 0",
                    hint:
                        "t = 0 is the agent's first heartbeat, which a wrong certificate never gets through: swap after it"
                )
            }
            return .gatewayCertificate(gateway: e.gateway)
        case "reload":
            if let at = e.atSeconds, at.value <= 0 {
                add("\(path).at_seconds", "a reload at t = 0", hint: "the agent starts at t = 0: reload after it")
            }
            return .reload
        default:
            return .uplinkUp
        }
    }

    /// What `Scripts/pki --gateway` accepts: `^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`.
    static func isGatewayID(_ id: String) -> Bool {
        func allowed(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
        guard let first = id.first, allowed(first), id.count <= 64 else { return false }
        return id.allSatisfy { allowed($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    private static var faultList: String { "one of " + Fault.Kind.allCases.map(\.rawValue).joined(separator: ", ") }

    private mutating func fault(_ e: ScenarioFile.StepEntry, path: String) -> Fault? {
        guard let kindName = e.fault else { return nil }
        guard let kind = Fault.Kind(rawValue: kindName) else {
            add("\(path).fault", "unknown fault \"\(kindName)\"", hint: Self.faultList)
            return nil
        }
        var fault = Fault(kind: kind)
        let applies: [Fault.Kind: Set<String>] = [
            .exception: ["exception_code", "function", "addresses"], .lateReply: ["delay_milliseconds"],
            .slow: ["delay_milliseconds"],
        ]
        let extra = Set(e.keysSet).intersection(["exception_code", "function", "addresses", "delay_milliseconds"])
        for key in extra.subtracting(applies[kind] ?? []).sorted() {
            add("\(path).\(key)", "does not apply to fault \"\(kind.rawValue)\"")
        }
        switch kind {
        case .exception:
            let code = e.exceptionCode ?? 2
            if !(1...255).contains(code) { add("\(path).exception_code", "\(code) is outside 1...255") }
            fault.exceptionCode = UInt8(clamping: code)
            if let name = e.function {
                fault.function = RegisterFunction(rawValue: name)
                if fault.function == nil {
                    add("\(path).function", "unknown function \"\(name)\"", hint: "holding, input, coil or discrete")
                }
            } else {
                add("\(path).function", "missing for fault \"exception\"", hint: "holding, input, coil or discrete")
            }
            if e.addresses == nil { add("\(path).addresses", "missing for fault \"exception\"", hint: "[first, last]") }
            if let addresses = e.addresses {
                if addresses.count == 2, addresses[0] >= 0, addresses[0] <= addresses[1], addresses[1] <= 65535 {
                    fault.addresses = addresses[0]...addresses[1]
                } else {
                    add("\(path).addresses", "\(addresses) is not [first, last] within 0...65535")
                }
            }
        case .lateReply, .slow:
            guard let ms = milliseconds(e.delayMilliseconds, "\(path).delay_milliseconds") else {
                if e.delayMilliseconds == nil {
                    add("\(path).delay_milliseconds", "missing for fault \"\(kind.rawValue)\"")
                }
                return nil
            }
            fault.delay = ms
        case .noAnswer, .busy, .junkBytes, .dropConnection:
            break
        }
        return fault
    }

    /// Checks the order of stateful steps and resolves each ramp's missing `from` from the point's last value.
    private mutating func checkSequence(_ steps: [Step]) -> [Step] {
        var uplinkDown = false
        var stopped: Set<String> = []
        var lastValue: [String: Double] = [:]
        var resolved: [Step] = []
        for var step in steps {
            let path = "steps[\(step.index)]"
            switch step.action {
            case .uplinkDown:
                if uplinkDown { add(path, "uplink is already down at t=\(step.at.secondsText)s") }
                uplinkDown = true
            case .uplinkUp:
                if !uplinkDown { add(path, "uplink is not down at t=\(step.at.secondsText)s") }
                uplinkDown = false
            case .stopDevice(let d):
                if stopped.contains(d) { add(path, "device \(d) is already stopped") }
                stopped.insert(d)
            case .startDevice(let d):
                if !stopped.contains(d) { add(path, "device \(d) is not stopped") }
                stopped.remove(d)
            case .setPoint(let d, let p, let value):
                if case .number(let n) = value { lastValue["\(d).\(p)"] = n }
            case .rampPoint(let d, let p, let from, let to, let over):
                var start = from
                if start.isNaN {
                    if let last = lastValue["\(d).\(p)"] {
                        start = last
                    } else {
                        add(
                            "\(path).from", "missing, and no earlier step sets \(d).\(p)",
                            hint: "give `from`, or set the point in an earlier step")
                    }
                }
                step.action = .rampPoint(device: d, point: p, from: start, to: to, over: over)
                lastValue["\(d).\(p)"] = to
            case .startFault, .clearFault, .setLifecycle, .busPath, .gatewayCertificate, .reload:
                break
            }
            resolved.append(step)
        }
        return resolved
    }

    // MARK: Expectations

    private mutating func expectations(_ expect: ScenarioFile.Expect?) -> [Expectation] {
        var result: [Expectation] = []
        for (i, entry) in (expect?.alert ?? []).enumerated() {
            let path = "expect.alert[\(i)]"
            let matcher = alertMatcher(entry, path: path)
            guard let by = seconds(entry.bySeconds, "\(path).by_seconds", in: 0...duration.seconds) else {
                if entry.bySeconds == nil { add("\(path).by_seconds", "missing") }
                continue
            }
            if entry.check == nil { add("\(path).check", "missing", hint: "a check id such as \"C-01\"") }
            if let matcher { result.append(.alertReceived(matcher, by: by)) }
        }
        for (i, entry) in (expect?.noAlert ?? []).enumerated() {
            let path = "expect.no_alert[\(i)]"
            if entry.bySeconds != nil {
                add("\(path).by_seconds", "does not apply: an absence holds for the whole run")
            }
            guard let matcher = alertMatcher(entry, path: path) else { continue }
            if matcher.isUnconstrained {
                add(path, "matches every alert", hint: "set at least one of check, severity, status, msg_type")
                continue
            }
            result.append(.alertAbsent(matcher))
        }
        for (i, entry) in (expect?.report ?? []).enumerated() {
            if let report = report(entry, path: "expect.report[\(i)]") { result.append(.report(report)) }
        }
        if let entry = expect?.delivery {
            if let by = seconds(entry.bySeconds, "expect.delivery.by_seconds", in: 0...duration.seconds) {
                let minimum = entry.minimumAlerts ?? 0
                if minimum < 0 { add("expect.delivery.minimum_alerts", "\(minimum) is negative") }
                let restarts = entry.sequenceRestarts ?? 0
                if restarts < 0 { add("expect.delivery.sequence_restarts", "\(restarts) is negative") }
                result.append(
                    .delivery(
                        DeliveryExpectation(
                            by: by, onceEach: entry.onceEach ?? true, inOrder: entry.inOrder ?? true,
                            reportsWithoutGaps: entry.reportsWithoutGaps ?? true, minimumAlerts: max(0, minimum),
                            sequenceRestarts: max(0, restarts))))
            } else if entry.bySeconds == nil {
                add("expect.delivery.by_seconds", "missing")
            }
        }
        if result.isEmpty && issues.isEmpty {
            add("expect", "no expectations", hint: "a scenario must check something: add [[expect.alert]] or others")
        }
        return result
    }

    private mutating func alertMatcher(_ e: ScenarioFile.AlertEntry, path: String) -> AlertMatcher? {
        let before = issues.count
        var m = AlertMatcher(subject: e.subject)
        if let check = e.check {
            if Self.isCheckID(check) {
                m.check = CheckID(rawValue: check)
            } else {
                add("\(path).check", "\"\(check)\" is not a check id", hint: Self.checkIDHint)
            }
        }
        m.severity = enumValue(e.severity, "\(path).severity", CAPSeverity.self)
        m.status = enumValue(e.status, "\(path).status", CAPStatus.self)
        m.msgType = enumValue(e.msgType, "\(path).msg_type", CAPMessageType.self)
        m.sentAfter = seconds(e.sentAfterSeconds, "\(path).sent_after_seconds", in: -86400...duration.seconds)
        m.sentBefore = seconds(e.sentBeforeSeconds, "\(path).sent_before_seconds", in: -86400...duration.seconds)
        if let a = m.sentAfter, let b = m.sentBefore, a > b {
            add("\(path).sent_before_seconds", "\(b.secondsText) is before sent_after_seconds \(a.secondsText)")
        }
        return issues.count == before ? m : nil
    }

    private mutating func report(_ e: ScenarioFile.ReportEntry, path: String) -> ReportExpectation? {
        let before = issues.count
        let jsonPath = e.path.flatMap(JSONPath.init)
        if e.path == nil {
            add("\(path).path", "missing", hint: "e.g. \"capacity.occupied\"")
        } else if jsonPath == nil {
            add(
                "\(path).path", "\"\(e.path ?? "")\" is not a valid path",
                hint: "members joined by '.', [N] for an element, [key=value] to pick one")
        }
        let op = enumValue(e.op, "\(path).op", Comparison.Operator.self)
        if e.op == nil {
            add("\(path).op", "missing", hint: Comparison.Operator.allCases.map(\.rawValue).joined(separator: " "))
        }
        if let op {
            switch (op, e.value) {
            case (.exists, .some), (.absent, .some):
                add("\(path).value", "does not apply to op \"\(op.rawValue)\"")
            case (.exists, nil), (.absent, nil):
                break
            case (_, nil):
                add("\(path).value", "missing for op \"\(op.rawValue)\"")
            case (.less, .some(.string)), (.lessOrEqual, .some(.string)), (.greater, .some(.string)),
                (.greaterOrEqual, .some(.string)), (.less, .some(.bool)), (.lessOrEqual, .some(.bool)),
                (.greater, .some(.bool)), (.greaterOrEqual, .some(.bool)):
                add("\(path).value", "op \"\(op.rawValue)\" needs a number")
            default:
                break
            }
        }
        let after = seconds(e.afterSeconds, "\(path).after_seconds", in: 0...duration.seconds) ?? .zero
        let by = seconds(e.bySeconds, "\(path).by_seconds", in: 0...duration.seconds)
        if e.bySeconds == nil { add("\(path).by_seconds", "missing") }
        if let by, after > by { add("\(path).after_seconds", "\(after.secondsText) is after by_seconds") }
        guard issues.count == before, let jsonPath, let op, let by else { return nil }
        return ReportExpectation(path: jsonPath, comparison: Comparison(op, e.value?.json), after: after, by: by)
    }

    // MARK: Values

    /// Whether `text` names a check of DESIGN §5 (`CheckID.allCases`).
    static func isCheckID(_ text: String) -> Bool { CheckID.allCases.contains(CheckID(rawValue: text)) }

    static var checkIDHint: String { "one of " + CheckID.allCases.map(\.rawValue).joined(separator: ", ") }

    private mutating func seconds(
        _ value: ScenarioFile.Number?, _ path: String, in range: ClosedRange<Double>
    )
        -> Duration?
    {
        guard let value = value?.value else { return nil }
        guard value.isFinite, range.contains(value) else {
            add(
                path,
                "\(JSONValue.format(value)) is outside \(JSONValue.format(range.lowerBound))..."
                    + "\(JSONValue.format(range.upperBound)) seconds")
            return nil
        }
        return .seconds(exactly: value)
    }

    private mutating func milliseconds(_ value: ScenarioFile.Number?, _ path: String) -> Duration? {
        guard let value = value?.value else { return nil }
        guard value.isFinite, (0...600_000).contains(value) else {
            add(path, "\(JSONValue.format(value)) is outside 0...600000 milliseconds")
            return nil
        }
        return .seconds(exactly: value / 1000)
    }

    private mutating func lifecycleState(_ name: String?, _ path: String) -> LifecycleState? {
        enumValue(name, path, LifecycleState.self)
    }

    private mutating func enumValue<E: RawRepresentable & CaseIterable>(
        _ name: String?, _ path: String, _: E.Type
    )
        -> E? where E.RawValue == String
    {
        guard let name else { return nil }
        if let value = E(rawValue: name) { return value }
        add(path, "unknown value \"\(name)\"", hint: "one of " + E.allCases.map(\.rawValue).joined(separator: ", "))
        return nil
    }
}
