import ArgumentParser
import FoundationEssentials
import Glibc
import ShelterCore
import ShelterRuntime

/// `shelter-agent scan`: finds which unit ids answer on a bus.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Find which unit ids answer on a bus.",
        discussion: """
            Asks each unit id for one register (or bit) and lists those that answer, with the answer time. An \
            exception reply counts as present: the device is there but does not serve that address. Shows a \
            progress bar when stderr is a terminal. Exits 0 when a unit id answered, 69 when none did (with a \
            hint on what to check).
            """)

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var language: LanguageOptions

    @Option(help: ArgumentHelp("Unit ids to try: a range, a list or both, e.g. 1-247 or 1,5,10-20.", valueName: "ids"))
    var units: String = "1-247"

    @Option(help: "Table to probe: holding (default), input, coil or discrete.", transform: RegisterFunction.parse)
    var function: RegisterFunction = .holdingRegister

    @Option(help: "Address to probe, 0-65535, 0-based (holding register 40001 is address 0); 0x… for hex.")
    var address = RegisterAddressArgument(0)

    @Flag(help: "Print one JSON object per unit id that answered.")
    var json = false

    func validate() throws {
        _ = try Self.parseUnits(units)
        _ = try address.address(in: function)
    }

    func run() throws {
        let unitIDs = try Self.parseUnits(units)
        let address = try self.address.address(in: function)
        let reader = language.resolved(environment: ProcessInfo.processInfo.environment)
        let progress = ProgressBar(total: unitIDs.count, enabled: isatty(STDERR_FILENO) == 1)
        do {
            let link = try connection.connect(defaultTimeout: .milliseconds(200))
            var recovery = ReconnectStateMachine<ContinuousClock.Instant>(
                transport: connection.tcp != nil ? .tcp : .rtu)
            recovery.connectSucceeded()
            var found: [UInt8] = []
            for (index, unitID) in unitIDs.enumerated() {
                progress.show(done: index, label: "unit \(unitID)")
                let answer = try probe(unitID, at: address, with: link, recovery: &recovery)
                guard let answer else { continue }
                found.append(unitID)
                progress.clear()
                print(json ? answer.jsonLine() : answer.textLine(in: reader))
            }
            progress.clear()
            let hint = ScreenText.noAnswerHint(serial: connection.rtu != nil).text(in: reader)
            if !json {
                let list = found.map(String.init).joined(separator: ", ")
                print(ScreenText.scanSummary(answered: found.count, probed: unitIDs.count, list: list).text(in: reader))
                if found.isEmpty { print(hint) }
            } else if found.isEmpty {
                printError(hint)
            }
            // A scan that found nothing is "no answer from the device", as for `read`: a script can tell.
            if found.isEmpty { throw ExitCode(ExitStatus.unavailable.rawValue) }
        } catch let failure as CommandFailure {
            progress.clear()
            throw failure.exit()
        }
    }

    /// Asks one unit id; `nil` when it does not answer. Recovery after a failure is the agent's
    /// (`ReconnectStateMachine`); a link that cannot be reopened ends the scan.
    private func probe(
        _ unitID: UInt8, at address: UInt16, with link: ModbusContextLink,
        recovery: inout ReconnectStateMachine<ContinuousClock.Instant>
    ) throws -> ScanAnswer? {
        if !recovery.isConnected {
            try connection.reconnect(link)
            recovery.connectSucceeded()
        }
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = link.read(function, unitID: unitID, start: Int(address), count: 1)
        let time = start.duration(to: clock.now)
        switch outcome {
        case .bits(let bits):
            return ScanAnswer(unit: unitID, time: time, value: bits.first.map { "\($0)" } ?? "")
        case .registers(let registers):
            return ScanAnswer(unit: unitID, time: time, value: registers.first.map(hex) ?? "")
        case .exception(let code, let detail):
            return ScanAnswer(unit: unitID, time: time, exception: (code, detail))
        case .failed(let kind, let detail, _):
            switch recovery.requestFailed(kind, probing: true) {  // each unit id is a probe
            case .close: link.close()
            case .flush, .waitThenFlush: link.flush()
            default: break
            }
            if kind == .linkLost {
                try connection.reconnect(link)
                recovery.connectSucceeded()
            }
            return kind == .badData ? ScanAnswer(unit: unitID, time: time, garbled: detail) : nil
        }
    }

    /// Parses `1-247`, `5` or `1,5,10-20` into unit ids 0...247 in the order given, without repeats.
    static func parseUnits(_ text: String) throws -> [UInt8] {
        var seen = Set<UInt8>()
        var result: [UInt8] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count),
                let low = UInt8(bounds[0].filter { !$0.isWhitespace }),
                let high = UInt8((bounds.last ?? "").filter { !$0.isWhitespace }),
                low <= high, high <= 247
            else { throw ValidationError("--units wants ids 0-247 like 1-247 or 1,5,10-20, got '\(text)'.") }
            for unit in low...high where seen.insert(unit).inserted { result.append(unit) }
        }
        guard !result.isEmpty else { throw ValidationError("--units names no unit id.") }
        return result
    }
}

/// A unit id that answered: with a value, an exception or a garbled reply.
struct ScanAnswer: Encodable {
    var unit: UInt8
    var time: Duration
    var value: String?
    /// The exception code and its text, when the device answered with one.
    var exception: (code: UInt8?, detail: String)?
    /// What was wrong with a reply that was not the answer.
    var garbled: String?

    init(unit: UInt8, time: Duration, value: String? = nil, exception: (UInt8?, String)? = nil, garbled: String? = nil)
    {
        self.unit = unit
        self.time = time
        self.value = value
        self.exception = exception
        self.garbled = garbled
    }

    var status: String {
        if exception != nil { return "exception" }
        return garbled == nil ? "answered" : "bad_reply"
    }

    /// Answer time in milliseconds, to 0.01 ms.
    var milliseconds: Double {
        let (seconds, attoseconds) = time.components
        return ((Double(seconds) * 1000 + Double(attoseconds) / 1e15) * 100).rounded() / 100
    }

    func textLine(in language: Language = .en) -> String {
        let detail =
            exception.map { ScreenText.scanException(detail: $0.detail).text(in: language) }
            ?? garbled.map { ScreenText.scanGarbled(detail: $0).text(in: language) } ?? value ?? ""
        return ScreenText.scanPresent(unitID: Int(unit), milliseconds: "\(milliseconds)", detail: detail)
            .text(in: language)
    }

    func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private enum CodingKeys: String, CodingKey {
        case unit, present, status, answerTimeMs, value, exception, exceptionCode, error
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(unit, forKey: .unit)
        try container.encode(true, forKey: .present)
        try container.encode(status, forKey: .status)
        try container.encode(milliseconds, forKey: .answerTimeMs)
        try container.encodeIfPresent(value, forKey: .value)
        if let exception {
            try container.encode(exception.detail, forKey: .exception)
            if let code = exception.code { try container.encode(code, forKey: .exceptionCode) }
        }
        try container.encodeIfPresent(garbled, forKey: .error)
    }
}

/// A one-line progress bar on stderr, drawn only on a terminal.
struct ProgressBar {
    var total: Int
    var enabled: Bool

    func show(done: Int, label: String) {
        guard enabled, total > 0 else { return }
        let width = 30
        let filled = done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        writeStandardError("\r[\(bar)] \(done)/\(total) \(label)\u{1B}[K")
    }

    func clear() {
        guard enabled else { return }
        writeStandardError("\r\u{1B}[K")
    }
}
