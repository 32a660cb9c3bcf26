/// The words of the command line's screens (issue 16 item 3): the labels and phrases of `shelter-agent status`
/// and the summary lines of `check-config`. Values that come from a device, the runtime or the network (a
/// device's last error, the registry's refusal) are passed through as given; terms follow `docs/glossary.md`
/// (备案 record, 登记系统 registry, 从站 unit id).
public enum ScreenText: CatalogEntry {
    /// The first line of `status`: shelter, gateway, agent version and process id.
    case statusHeader(shelter: String, gateway: String, version: String, pid: Int)
    /// A row label or section heading of `status`.
    case label(Label)
    /// The status file is older than it should be: written `seconds` ago.
    case agentGone(pid: Int, captured: String)
    /// `status`: the last reload (SIGHUP) was refused `seconds` before the capture: `count` problems in `file`,
    /// the first one (`first`, as given); the running configuration stays.
    case reloadRefused(seconds: Double, file: String, count: Int, first: String)
    /// The registry answered the last exchange.
    case registryReachable
    /// The registry answered with an error (`detail`: the registry's words, as given).
    case registryError(detail: String?)
    /// The registry could not be reached (`detail`: the transport's words, as given).
    case registryUnreachable(detail: String?)
    /// No exchange with the registry yet.
    case registryNotContacted
    /// The record in use: its version and where it came from (`registry`, `cache`, `site-file`).
    case recordVersion(version: Int, source: String)
    /// The status column of a check whose condition is under way but has no alert yet.
    case pendingWord
    /// A bad result waiting for its hold time: bad (`status`) for `seconds`, alerts once it lasted `holdSeconds`.
    case pendingHold(status: CheckStatus, seconds: Double, holdSeconds: Double)
    /// C-12 within the allowed transfer time: mains lost, no generator on load yet; warns at `warnAtSeconds`.
    case pendingTransfer(warnAtSeconds: Double)
    /// The record in use agrees with the site file's filing on capacity, area and facilities.
    case recordSameAsSiteFile
    /// The record in use differs from the site file's filing (`RecordChange` entries).
    case recordDiffers([TextArgument])
    /// Agent clock minus registry clock, seconds.
    case clockSkew(seconds: Double)
    /// Items waiting in the outbox.
    case outboxWaiting(count: Int)
    /// Age of the oldest waiting item.
    case outboxOldest(seconds: Double)
    /// Items the registry refused as wrong, kept for `shelter-agent outbox list`.
    case deadLetters(count: Int)
    /// The outbox is held by a configuration fault (`detail`, as given).
    case outboxHeld(detail: String)
    /// A device's last good answer, `seconds` ago.
    case lastAnswer(seconds: Double)
    /// A device that never answered.
    case neverAnswered
    /// Mean round-trip time, milliseconds.
    case roundTrip(milliseconds: Double)
    /// Requests answered of requests sent.
    case answered(successes: Int, requests: Int)
    /// Failures of one kind, e.g. `设备应答超时 3 次` / `timeout 3`, `bad data 1`.
    case failures(NoSampleReason.Kind, count: Int)
    /// The list of failures by kind.
    case failed([TextArgument])
    /// A device's bus and Modbus unit id: `rs485/从站 1` / `rs485/unit 1`.
    case busUnit(bus: String, unitID: Int)
    /// No alert is firing.
    case noActiveAlerts
    /// A firing alert: check, CAP severity, since `seconds` ago, its headline.
    case activeAlert(headline: String, raisedAt: String, seconds: Double, onset: String?)
    /// A point without a sample, and why (`reason`, already in the reader's language when the status file has
    /// it).
    case noSample(reason: String)
    /// When a value was read: `seconds` ago.
    case readAgo(seconds: Double)
    /// A CAP severity.
    case severity(CAPSeverity)
    /// `check-config` for a valid file: buses, devices, points and bindings; the shelter and its registered
    /// capacity.
    case configurationValid(
        file: String, buses: Int, devices: Int, points: Int, bindings: Int, shelter: String, capacity: Int)
    /// `check-config`: how many problems were found in all files.
    case problemsFound(count: Int)
    /// `scan`: a unit id that answered, in `milliseconds` (as printed), with what it answered (`detail`, from
    /// `scanException`, `scanGarbled` or the value read).
    case scanPresent(unitID: Int, milliseconds: String, detail: String)
    /// `scan`: the device answered with a Modbus exception (`detail`: code and its name, as given).
    case scanException(detail: String)
    /// `scan`: the reply was not a valid answer (`detail`, as given).
    case scanGarbled(detail: String)
    /// `scan`: how many of the probed unit ids answered, and which (`list`, comma-separated ids).
    case scanSummary(answered: Int, probed: Int, list: String)
    /// `scan` when no unit id answered, `read` on a timeout: what to check. `serial` is true on Modbus RTU (wiring,
    /// baud rate and parity are the usual causes), false on Modbus TCP (the unit id a gateway forwards to).
    case noAnswerHint(serial: Bool)
    /// `read`: where a value was read: unit id, register table and address.
    case readAt(unitID: Int, function: RegisterFunction, address: Int)
    /// `show-plan`: a bus (`bus`: its name and settings, as written) and the size of its poll cycle.
    case planBus(bus: String, requests: Int, quantity: Int)
    /// `show-plan`: one read request: device, unit id, function code, table, first address, count, points.
    case planRequest(
        device: String, unitID: Int, functionCode: Int, function: RegisterFunction, start: Int, count: Int,
        points: String)
    /// When the figures were captured, how long ago, and how often at most the file is written.
    case captured(at: String, seconds: Double, interval: Double)
    /// The status file was neither written nor touched for twice its interval (`seconds`: since the last of
    /// the two): the agent no longer runs.
    case agentStale(seconds: Double, captured: String, interval: Double)
    /// The registry answered before the agent stopped.
    case registryWasReachable
    /// When the registry last answered, counted back from the capture.
    case lastRegistryAnswer(seconds: Double)
    /// A bus whose connection cannot be opened (issue 11: one fault for the bus, with its devices).
    case busCannotOpen(bus: String, endpoint: String, seconds: Double, error: String, devices: [String])
    /// `show-plan`: the wire time of one cycle as planned (milliseconds as printed).
    case planWireTime(planned: String, requests: Int)
    /// `show-plan`: the wire time of one cycle with one request per point or per register (milliseconds as
    /// printed), what the planner saves.
    case planWireTimeAlternatives(perPoint: String, points: Int, perRegister: String, registers: Int)
    /// `show-plan`: the bus's utilisation (`BusUtilisation`): the cycle's wire time against the shortest poll
    /// interval, which `fastest` of `devices` devices use.
    case planUtilisation(fraction: Double, cycle: String, interval: Double, fastest: Int, devices: Int)
    /// `show-plan`: a Modbus TCP bus, whose cycle time is not estimated; its shortest poll interval.
    case planUtilisationNotEstimated(interval: Double, fastest: Int, devices: Int)
    /// `show-plan`: one cycle is longer than the shortest poll interval, and what to do.
    case planOverloaded

    /// Which devices poll at the shortest interval: `5 of 11 devices`, `every device`.
    private static func fastestDevices(_ fastest: Int, of devices: Int) -> Bilingual {
        if fastest == devices { return Bilingual(zh: "所有设备", en: devices == 1 ? "its only device" : "every device") }
        return Bilingual(
            zh: "\(.integer(devices)) 台设备中的 \(.integer(fastest)) 台",
            en: "\(.integer(fastest)) of \(.integer(devices)) devices")
    }

    /// The row labels and headings of `status`.
    public enum Label: String, Sendable, Hashable, CaseIterable {
        case captured, lifecycle, registry, record, outbox, bus, devices, checks, alerts, readings
    }

    public var texts: Bilingual {
        switch self {
        case .statusHeader(let shelter, let gateway, let version, let pid):
            let s = TextArgument.verbatim(shelter)
            let g = TextArgument.verbatim(gateway)
            let v = TextArgument.verbatim(version)
            let p = TextArgument.verbatim(String(pid))
            return Bilingual(
                zh: "应急避难场所 \(s) · 网关 \(g) · 程序版本 \(v)（进程号 \(p)）",
                en: "shelter \(s) · gateway \(g) · agent \(v) (pid \(p))")
        case .label(let label): return Self.labelTexts(label)
        case .agentGone(let pid, let captured):
            let p = TextArgument.verbatim(String(pid))
            let c = TextArgument.verbatim(captured)
            return Bilingual(
                zh: "网关程序未在运行：进程 \(p) 已不存在；以下是它最后记录的数据，采集于 \(c)",
                en: "AGENT NOT RUNNING: process \(p) is gone; the figures below are its last, from \(c)")
        case .reloadRefused(let seconds, let file, let count, let first):
            let f = TextArgument.verbatim(file)
            let n = TextArgument.integer(count)
            let x = TextArgument.verbatim(first)
            return Bilingual(
                zh: "重新加载被拒绝（\(.elapsed(seconds: seconds))前）：\(f) 有 \(n) 处问题，仍按原配置运行；第一处：\(x)",
                en: "RELOAD REFUSED \(.elapsed(seconds: seconds)) ago: \(n) " + (count == 1 ? "problem" : "problems")
                    + " in \(f), the running configuration stays; the first: \(x)")
        case .registryReachable: return Bilingual(zh: "连接正常", en: "reachable")
        case .registryError(let detail):
            guard let detail else { return Bilingual(zh: "返回错误", en: "ERROR") }
            return Bilingual(zh: "返回错误：\(.verbatim(detail))", en: "ERROR: \(.verbatim(detail))")
        case .registryUnreachable(let detail):
            guard let detail else { return Bilingual(zh: "无法连接", en: "UNREACHABLE") }
            return Bilingual(zh: "无法连接：\(.verbatim(detail))", en: "UNREACHABLE: \(.verbatim(detail))")
        case .registryNotContacted: return Bilingual(zh: "尚未联系", en: "not contacted yet")
        case .recordVersion(let version, let source):
            // An identifier (the registry derives it from a hash of the content), not a quantity: no digit groups.
            let v = TextArgument.verbatim(String(version))
            switch source {
            case "registry": return Bilingual(zh: "登记系统的备案，第 \(v) 版", en: "the registry's, version \(v)")
            case "cache":
                return Bilingual(
                    zh: "登记系统的备案，第 \(v) 版，取自本地缓存（本次启动后登记系统尚未发来备案）",
                    en:
                        "the registry's, version \(v), from the local cache (the registry has not sent it since the start)"
                )
            case "site-file":
                return Bilingual(
                    zh: "站点配置文件中的备案（登记系统尚未提供备案）",
                    en: "the site file's filing (the registry has given none)")
            default:
                let s = TextArgument.verbatim(source)
                return Bilingual(zh: "第 \(v) 版，来自 \(s)", en: "version \(v) from \(s)")
            }
        case .pendingWord: return Bilingual(zh: "观察中", en: "pending")
        case .pendingHold(let status, let seconds, let holdSeconds):
            let s = TextArgument.elapsed(seconds: seconds)
            let h = TextArgument.timeSpan(seconds: holdSeconds)
            let word = TextArgument.entry(AnyCatalogEntry(StatusText.checkStatus(status)))
            return Bilingual(
                zh: "已处于“\(word)”\(s)，持续满 \(h)才发出告警", en: "\(word) for \(s); alerts once it has lasted \(h)")
        case .pendingTransfer(let warnAt):
            let w = TextArgument.timeSpan(seconds: warnAt)
            return Bilingual(
                zh: "尚未告警：市电中断 \(w)后仍无发电机带载即发出警告",
                en: "no alert yet: warns if no generator is on load \(w) after mains was lost")
        case .recordSameAsSiteFile:
            return Bilingual(zh: "与站点配置文件的备案一致", en: "same as the site file's filing")
        case .recordDiffers(let changes):
            return Bilingual(
                zh: "与站点配置文件的备案不同：\(.clauses(changes))", en: "differs from the site file's filing: \(.clauses(changes))"
            )
        case .clockSkew(let seconds):
            let s = TextArgument.decimal(seconds, places: 1)
            return Bilingual(zh: "时钟偏差 \(s) 秒", en: "clock skew \(s) s")
        case .outboxWaiting(let count):
            return Bilingual(zh: "\(.integer(count)) 条待发送", en: "\(.integer(count)) waiting")
        case .outboxOldest(let seconds):
            return Bilingual(zh: "最早一条已等待 \(.elapsed(seconds: seconds))", en: "oldest \(.elapsed(seconds: seconds))")
        case .deadLetters(let count):
            return Bilingual(
                zh: "\(.integer(count)) 条被登记系统拒收（shelter-agent outbox list）",
                en: count == 1
                    ? "\(.integer(count)) dead letter (shelter-agent outbox list)"
                    : "\(.integer(count)) dead letters (shelter-agent outbox list)")
        case .outboxHeld(let detail):
            return Bilingual(
                zh: "已暂停发送，排除以下问题后才会发送：\(.verbatim(detail))",
                en: "HELD, nothing is sent until this is fixed: \(.verbatim(detail))")
        case .lastAnswer(let seconds):
            return Bilingual(
                zh: "最近一次正常应答在 \(.elapsed(seconds: seconds))前", en: "last ok \(.elapsed(seconds: seconds)) ago")
        case .neverAnswered: return Bilingual(zh: "从未应答", en: "never answered")
        case .roundTrip(let milliseconds):
            let ms = TextArgument.decimal(milliseconds, places: 1)
            return Bilingual(zh: "往返 \(ms) 毫秒", en: "rtt \(ms) ms")
        case .answered(let successes, let requests):
            let s = TextArgument.integer(successes)
            let r = TextArgument.integer(requests)
            return Bilingual(zh: "\(r) 次请求 \(s) 次成功", en: "\(s)/\(r) ok")
        case .failures(let kind, let count):
            return Bilingual(
                zh: "\(StatusText.noSample(kind)) \(.integer(count)) 次",
                en: "\(StatusText.noSample(kind)) \(.integer(count))")
        case .failed(let items):
            return Bilingual(zh: "失败：\(.list(items))", en: "failed: \(.list(items))")
        case .busUnit(let bus, let unitID):
            let b = TextArgument.verbatim(bus)
            let u = TextArgument.verbatim(String(unitID))
            return Bilingual(zh: "\(b)/从站 \(u)", en: "\(b)/unit \(u)")
        case .noActiveAlerts: return Bilingual(zh: "无", en: "none active")
        case .activeAlert(let headline, let raisedAt, let seconds, let onset):
            // The headline starts with the check id and severity: printed once.
            let h = TextArgument.verbatim(headline)
            let r = TextArgument.verbatim(raisedAt)
            guard let onset else {
                return Bilingual(
                    zh: "\(h) · 发出于 \(r)（\(.elapsed(seconds: seconds))前）",
                    en: "\(h) · raised \(r), \(.elapsed(seconds: seconds)) ago")
            }
            let o = TextArgument.verbatim(onset)
            return Bilingual(
                zh: "\(h) · 发出于 \(r)（\(.elapsed(seconds: seconds))前），情况始于 \(o)",
                en: "\(h) · raised \(r), \(.elapsed(seconds: seconds)) ago (condition since \(o))")
        case .noSample(let reason):
            // A colon in Chinese: the reason often ends in its own （detail）.
            return Bilingual(zh: "无数据：\(.verbatim(reason))", en: "no sample (\(.verbatim(reason)))")
        case .readAgo(let seconds):
            return Bilingual(zh: "\(.elapsed(seconds: seconds))前", en: "\(.elapsed(seconds: seconds)) ago")
        case .severity(let severity): return Self.severityTexts(severity)
        case .scanPresent(let unitID, let milliseconds, let detail):
            let u = TextArgument.verbatim(String(unitID))
            let ms = TextArgument.verbatim(milliseconds)
            let d = TextArgument.verbatim(detail)
            return Bilingual(
                zh: "从站 \(u)：在线，\(ms) 毫秒内应答，\(d)", en: "unit \(u): present, answered in \(ms) ms, \(d)")
        case .scanException(let detail):
            return Bilingual(zh: "Modbus 异常：\(.verbatim(detail))", en: "exception: \(.verbatim(detail))")
        case .scanGarbled(let detail):
            return Bilingual(zh: "应答报文错误：\(.verbatim(detail))", en: "garbled reply: \(.verbatim(detail))")
        case .scanSummary(let answered, let probed, let list):
            let a = TextArgument.verbatim(String(answered))
            let p = TextArgument.verbatim(String(probed))
            if list.isEmpty {
                return Bilingual(zh: "探测 \(p) 个从站地址，\(a) 个应答", en: "\(a) of \(p) unit ids answered")
            }
            let l = TextArgument.verbatim(list)
            return Bilingual(
                zh: "探测 \(p) 个从站地址，\(a) 个应答：\(l)", en: "\(a) of \(p) unit ids answered: \(l)")
        case .noAnswerHint(let serial):
            if serial {
                return Bilingual(
                    zh: "提示：请检查 RS-485 接线（A/B 是否接反）、波特率和校验位（--baud、--parity，须与设备一致）及从站地址",
                    en: "hint: check the RS-485 wiring (A and B swapped?), the baud rate and parity (--baud, --parity: "
                        + "they must match the device) and the unit ids")
            }
            return Bilingual(
                zh: "提示：请检查从站地址（网关转发到串口设备时须用该设备的从站地址）和端口",
                en:
                    "hint: check the unit ids (a gateway forwards only to the unit id of a device behind it) and the port"
            )
        case .readAt(let unitID, let function, let address):
            let u = TextArgument.verbatim(String(unitID))
            let a = TextArgument.verbatim(String(address))
            let table = Self.table(function)
            return Bilingual(zh: "从站 \(u) " + table.zh + " \(a)", en: "unit \(u) " + table.en + " \(a)")
        case .planBus(let bus, let requests, let quantity):
            let b = TextArgument.verbatim(bus)
            let r = TextArgument.verbatim(String(requests))
            let q = TextArgument.verbatim(String(quantity))
            return Bilingual(
                zh: "总线 \(b)：\(r) 个请求，共 \(q) 个寄存器/位",
                en: "bus \(b): \(r) " + (requests == 1 ? "request" : "requests") + ", \(q) registers/bits")
        case .planRequest(let device, let unitID, let functionCode, let function, let start, let count, let points):
            let d = TextArgument.verbatim(device)
            let u = TextArgument.verbatim(String(unitID))
            let f = TextArgument.verbatim(String(functionCode))
            let s = TextArgument.verbatim(String(start))
            let c = TextArgument.verbatim(String(count))
            let p = TextArgument.verbatim(points)
            let table = Self.table(function)
            return Bilingual(
                zh: "\(d) 从站 \(u) fc\(f) " + table.zh + " 起始地址 \(s) 数量 \(c)：\(p)",
                en: "\(d) unit \(u) fc\(f) " + table.en + " start \(s) count \(c): \(p)")
        case .captured(let at, let seconds, let interval):
            let a = TextArgument.verbatim(at)
            return Bilingual(
                zh: "\(a)，\(.elapsed(seconds: seconds))前；以下时长均从此刻起算（数据变化时写入，至多每 \(.elapsed(seconds: interval))一次）",
                en: "\(a), \(.elapsed(seconds: seconds)) ago; ages below are counted from then "
                    + "(written when the figures change, at most every \(.elapsed(seconds: interval)))")
        case .agentStale(let seconds, let captured, let interval):
            let c = TextArgument.verbatim(captured)
            return Bilingual(
                zh: "网关程序未在运行：状态文件已 \(.elapsed(seconds: seconds))没有写入或更新（运行中的程序每 "
                    + "\(.elapsed(seconds: interval))写入或更新一次）；以下是 \(c) 的数据",
                en:
                    "AGENT NOT RUNNING: the status file has not been written or touched for "
                    + "\(.elapsed(seconds: seconds)) (a running agent writes or touches it every "
                    + "\(.elapsed(seconds: interval))); "
                    + "the figures below are from \(c)")
        case .registryWasReachable: return Bilingual(zh: "当时连接正常", en: "was reachable")
        case .lastRegistryAnswer(let seconds):
            return Bilingual(
                zh: "（最近一次应答在采集前 \(.elapsed(seconds: seconds))）",
                en: "(last answer \(.elapsed(seconds: seconds)) before)")
        case .busCannotOpen(let bus, let endpoint, let seconds, let error, let devices):
            let b = TextArgument.verbatim(bus)
            let e = TextArgument.verbatim(endpoint)
            let x = TextArgument.verbatim(error)
            let d = TextArgument.list(devices.map { .verbatim($0) })
            return Bilingual(
                zh: "\(b)（\(e)）无法打开，已持续 \(.elapsed(seconds: seconds))：\(x)；其上的设备：\(d)",
                en: "\(b) (\(e)) CANNOT BE OPENED for \(.elapsed(seconds: seconds)): \(x); devices on it: \(d)")
        case .planWireTime(let planned, let requests):
            let a = TextArgument.verbatim(planned)
            let r = TextArgument.verbatim(String(requests))
            return Bilingual(
                zh: "每个轮询周期的线路时间：\(a) 毫秒，\(r) 个请求", en: "wire time per cycle: \(a) ms for \(r) requests")
        case .planWireTimeAlternatives(let perPoint, let points, let perRegister, let registers):
            let b = TextArgument.verbatim(perPoint)
            let p = TextArgument.verbatim(String(points))
            let c = TextArgument.verbatim(perRegister)
            let g = TextArgument.verbatim(String(registers))
            return Bilingual(
                zh: "（每个测点一个请求时 \(b) 毫秒，\(p) 个测点；每个寄存器一个请求时 \(c) 毫秒，\(g) 个寄存器）",
                en: "(one request per point: \(b) ms for \(p) points; one per register: \(c) ms for \(g) registers)")
        case .planUtilisation(let fraction, let cycle, let interval, let fastest, let devices):
            let u = TextArgument.decimal(fraction * 100, places: 1)
            let c = TextArgument.verbatim(cycle)
            let i = TextArgument.timeSpan(seconds: interval)
            let which = Self.fastestDevices(fastest, of: devices)
            return Bilingual(
                zh: "总线占用率 \(u) %：每个周期 \(c) 毫秒，最短轮询间隔 \(i)（" + which.zh + "）",
                en: "utilisation \(u) %: a \(c) ms cycle in the shortest poll interval, \(i) (" + which.en + ")")
        case .planUtilisationNotEstimated(let interval, let fastest, let devices):
            let i = TextArgument.timeSpan(seconds: interval)
            let which = Self.fastestDevices(fastest, of: devices)
            return Bilingual(
                zh: "Modbus TCP 不估算总线占用率；最短轮询间隔 \(i)（" + which.zh + "）",
                en: "utilisation not estimated on Modbus TCP; shortest poll interval \(i) (" + which.en + ")")
        case .planOverloaded:
            return Bilingual(
                zh: "超过 100 %：轮询将滞后；请加长 poll_interval_seconds、提高波特率或将设备分到两条总线",
                en: "over 100 %: polls run late; lengthen poll_interval_seconds, raise the baud rate or split the bus")
        case .configurationValid(let file, let buses, let devices, let points, let bindings, let shelter, let capacity):
            // Plain digits, as `check-config` has always printed them (scripts read this line).
            let f = TextArgument.verbatim(file)
            let b = TextArgument.verbatim(String(buses))
            let d = TextArgument.verbatim(String(devices))
            let p = TextArgument.verbatim(String(points))
            let q = TextArgument.verbatim(String(bindings))
            let s = TextArgument.verbatim(shelter)
            let c = TextArgument.verbatim(String(capacity))
            return Bilingual(
                zh: "\(f)：正确。\(b) 条总线，\(d) 台设备，\(p) 个测点，\(q) 项数据绑定；"
                    + "应急避难场所 \(s)，可容纳人数 \(c) 人",
                en: "\(f): OK: \(b) buses, \(d) devices, \(p) points, \(q) bindings; "
                    + "shelter \(s), capacity \(c)")
        case .problemsFound(let count):
            return Bilingual(zh: "发现 \(.count(count, .problems))", en: "\(.count(count, .problems)) found")
        }
    }

    /// The Modbus table's name: 线圈 / coil, 离散输入 / discrete, 保持寄存器 / holding, 输入寄存器 / input.
    private static func table(_ function: RegisterFunction) -> Bilingual {
        switch function {
        case .coil: Bilingual(zh: "线圈", en: "coil")
        case .discreteInput: Bilingual(zh: "离散输入", en: "discrete")
        case .holdingRegister: Bilingual(zh: "保持寄存器", en: "holding")
        case .inputRegister: Bilingual(zh: "输入寄存器", en: "input")
        }
    }

    private static func labelTexts(_ label: Label) -> Bilingual {
        switch label {
        case .captured: Bilingual(zh: "采集时间", en: "captured")
        case .lifecycle: Bilingual(zh: "场所状态", en: "lifecycle")
        case .registry: Bilingual(zh: "登记系统", en: "registry")
        case .record: Bilingual(zh: "备案信息", en: "record")
        case .outbox: Bilingual(zh: "待发队列", en: "outbox")
        case .bus: Bilingual(zh: "总线", en: "bus")
        case .devices: Bilingual(zh: "设备", en: "devices")
        case .checks: Bilingual(zh: "检查项", en: "checks")
        case .alerts: Bilingual(zh: "告警", en: "alerts")
        case .readings: Bilingual(zh: "读数", en: "readings")
        }
    }

    /// CAP 1.2 severities; the Chinese words follow the four grades of 突发事件 warnings (特别严重, 严重, 较重, 一般).
    private static func severityTexts(_ severity: CAPSeverity) -> Bilingual {
        switch severity {
        case .extreme: Bilingual(zh: "特别严重", en: "Extreme")
        case .severe: Bilingual(zh: "严重", en: "Severe")
        case .moderate: Bilingual(zh: "较重", en: "Moderate")
        case .minor: Bilingual(zh: "一般", en: "Minor")
        case .unknown: Bilingual(zh: "未知", en: "Unknown")
        }
    }
}
