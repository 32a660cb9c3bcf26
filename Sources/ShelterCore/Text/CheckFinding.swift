/// What one check found, as typed facts: the catalog writes it in each language as the status row's summary
/// and the alert's description. One case per thing a check can say (DESIGN §5), with the figures it says it
/// with; `CheckContext+*.swift` gives the formulas.
public enum CheckFinding: CatalogEntry {
    /// An input is missing or stale, so the check is unknown.
    case inputUnknown(CheckInput, NoSampleReason)
    /// C-01: persons present against registered capacity, and the ratio.
    case occupancy(present: Int, capacity: Int, ratio: Double)
    /// C-02, C-05: nobody is present, so there is nothing to divide.
    case nobodyPresent
    /// C-02: `area` m² per person for `persons` on `effectiveArea` m² (minimum `minimum` m² per person).
    case areaPerPerson(area: Double, persons: Int, effectiveArea: Double, minimum: Double)
    /// C-04: at or over registered capacity.
    case alreadyFull(present: Int, capacity: Int)
    /// C-04: the count is not rising (`perMinute` persons/min ≤ 0); `free` places left.
    case notFilling(perMinute: Double, free: Int)
    /// C-04: `free` places left at `perMinute` persons/min: full in `minutes`.
    case fillingUp(free: Int, perMinute: Double, minutes: Double)
    /// C-05 with nobody present: `litres` usable.
    case waterNobodyPresent(litres: Double)
    /// C-05: `litres` usable for `persons` (those present, or the registered capacity when `ifFull`) at
    /// `ration` L per person per day: `days` days.
    case waterDays(litres: Double, persons: Int, ifFull: Bool, ration: Double, days: Double)
    /// C-06: `litres` held of `required` = capacity × ration × reserve days; `ratio` = litres / required.
    case waterReserve(
        litres: Double, required: Double, capacity: Int, ration: Double, reserveDays: Double,
        ratio: Double)
    /// C-11: the healthy sources of `resource`, and those whose state is unknown.
    case sources(StatusText.Resource, healthy: [SupplySource], unknown: [SupplySource])
    /// C-12: mains is present.
    case mainsPresent
    /// C-12: a generator took the load `seconds` after mains was lost.
    case generatorOnLoadAfter(seconds: Double)
    /// C-12: mains was lost `seconds` ago and no generator is on load yet.
    case noGeneratorOnLoad(secondsSinceLoss: Double)
    /// C-13: `usableLitres` of fuel above the unusable reserve at `burnRate` L/h: `hours` of running.
    case fuel(generator: String, usableLitres: Double, burnRate: Double, hours: Double)
    /// C-16: `energy` kWh usable and no load (`load` kW ≤ 0).
    case batteryNoLoad(energy: Double, load: Double)
    /// C-16: `energy` kWh usable at `load` kW: `minutes` on battery now (`onBattery`), or if mains and
    /// generator fail.
    case battery(energy: Double, load: Double, minutes: Double, onBattery: Bool)
    /// C-19: the tank at `percent` % of `tankLitres`.
    case sewage(percent: Double, tankLitres: Double)
    /// C-19: as `sewage`, full in `hoursToFull` at `inflow` L/h.
    case sewageFilling(percent: Double, tankLitres: Double, hoursToFull: Double, inflow: Double)
    /// C-21: `persons` present in `state`, below the limit or not yet for the hold time.
    case presentWhileNotActivated(persons: Int, state: LifecycleState)
    /// C-21: `persons` present in `state` for `heldSeconds`; more than `limit` for `holdSeconds` warns.
    case presentWhileNotActivatedFor(
        persons: Int, state: LifecycleState, heldSeconds: Double, limit: Int,
        holdSeconds: Double)
    /// C-22: the device's link state, no point to judge.
    case deviceLink(device: String, link: LinkState)
    /// C-22: the link state and the oldest point, `intervals` poll intervals old.
    case deviceOldestPoint(device: String, link: LinkState, point: String, intervals: Double)
    /// C-22: the link state and a point never read.
    case deviceNeverRead(device: String, link: LinkState, point: String)
    /// C-22: the bus's connection cannot be opened (`endpoint` is the serial path or `host:port`, `error` the
    /// reason with its errno); every device it carries is unreachable.
    case busUnreachable(bus: String, endpoint: String, error: String, devices: [String])
    /// C-22: the device's bus cannot be opened; the bus condition speaks for it.
    case deviceOnUnreachableBus(device: String, bus: String)
    /// C-23: the site matches its registered record.
    case recordMatches
    /// C-23: the differences, each listed.
    case recordDrift([RecordDifference])
    /// A firing alert cancelled because a drill started or ended (its events were of the other kind).
    case drillChanged(started: Bool)
    /// A firing alert cancelled because its check does not run in `state`.
    case notRunning(check: String, state: LifecycleState)
    /// Any check, when no finding was given: the value and the threshold crossed, in the check's unit.
    case measured(CheckKind, value: Double, threshold: Double?)

    public var texts: Bilingual {
        switch self {
        case .inputUnknown(let input, let reason):
            let why = StatusText.noSampleReason(reason)
            return Bilingual(zh: "\(input)未知：\(why)", en: "\(input) unknown (\(why))")
        case .occupancy(let n, let capacity, let ratio):
            return Bilingual(
                zh: "在场 \(.persons(n)) / 可容纳人数 \(.persons(capacity))（\(.percent(ratio))）",
                en: "\(.persons(n)) present / registered capacity \(.persons(capacity)) (\(.percent(ratio)))")
        case .nobodyPresent: return Bilingual(zh: "场内无人", en: "nobody present")
        case .areaPerPerson(let area, let n, let total, let minimum):
            let a = TextArgument.quantity(area, .squareMetresPerPerson, places: 2)
            let t = TextArgument.quantity(total, .squareMetres, places: 0)
            let m = TextArgument.quantity(minimum, .squareMetresPerPerson, places: 2)
            return Bilingual(
                zh: "有效避难面积 \(t)，在场 \(.persons(n))，合 \(a)（最低标准 \(m)）",
                en: "\(a) for \(.persons(n)) on \(t) (minimum \(m))")
        case .alreadyFull(let n, let capacity):
            return Bilingual(
                zh: "已满员（在场 \(.persons(n)) / 可容纳人数 \(.persons(capacity))）",
                en: "already full (\(.persons(n)) present / registered capacity \(.persons(capacity)))")
        case .notFilling(let perMinute, let free):
            let rate = TextArgument.quantity(perMinute, .personsPerMinute, places: 1)
            return Bilingual(
                zh: "人数未在增加（\(rate)），尚有 \(.count(free, .places))",
                en: "not filling (\(rate)); \(.count(free, .places)) free")
        case .fillingUp(let free, let perMinute, let minutes):
            let rate = TextArgument.quantity(perMinute, .personsPerMinute, places: 1)
            return Bilingual(
                zh: "尚有 \(.count(free, .places))，按目前 \(rate)的进入速度，预计 \(.minutes(minutes))后满员",
                en: "\(.count(free, .places)) free at \(rate): full in \(.minutes(minutes))")
        case .waterNobodyPresent(let litres):
            return Bilingual(zh: "场内无人；可用水 \(.litres(litres))", en: "nobody present; \(.litres(litres)) usable")
        case .waterDays(let litres, let n, let ifFull, let ration, let days):
            let q = TextArgument.quantity(ration, .litresPerPersonPerDay, places: 1)
            if ifFull {
                return Bilingual(
                    zh: "可用水 \(.litres(litres))；若满员（可容纳人数 \(.persons(n))）、定额 \(q)，可供 \(.days(days))",
                    en: "\(.litres(litres)) usable; if the shelter were full (its registered capacity of "
                        + "\(.persons(n))) at \(q): \(.days(days))")
            }
            return Bilingual(
                zh: "可用水 \(.litres(litres))；按在场 \(.persons(n))、定额 \(q)计，可供 \(.days(days))",
                en: "\(.litres(litres)) usable for \(.persons(n)) present at \(q): \(.days(days))")
        case .waterReserve(let litres, let required, let capacity, let ration, let reserveDays, let ratio):
            let q = TextArgument.quantity(ration, .litresPerPersonPerDay, places: 1)
            return Bilingual(
                zh: "储备水 \(.litres(litres))，应储备 \(.litres(required))（可容纳人数 \(.persons(capacity)) × \(q) × "
                    + "\(.days(reserveDays))），达到应储备量的 \(.percent(ratio))",
                en: "\(.litres(litres)) of \(.litres(required)) required (\(.persons(capacity)) × \(q) × "
                    + "\(.days(reserveDays))): \(.percent(ratio))")
        case .sources(let resource, let healthy, let unknown):
            let r = StatusText.resource(resource)
            let list = TextArgument.list(healthy.map { .entry(AnyCatalogEntry($0)) })
            let count = TextArgument.count(healthy.count, .sources)
            guard !unknown.isEmpty else {
                return Bilingual(zh: "\(r)：正常来源 \(count)（\(list)）", en: "\(r): \(count) healthy (\(list))")
            }
            let unknownList = TextArgument.list(unknown.map { .entry(AnyCatalogEntry($0)) })
            return Bilingual(
                zh: "\(r)：正常来源 \(count)（\(list)）；\(unknownList) 状态未知",
                en: "\(r): \(count) healthy (\(list)); \(unknownList) unknown")
        case .mainsPresent: return Bilingual(zh: "市电正常", en: "mains present")
        case .generatorOnLoadAfter(let seconds):
            let s = TextArgument.timeSpan(seconds: seconds)
            return Bilingual(
                zh: "市电中断 \(s)后发电机已带载", en: "a generator took the load \(s) after mains was lost")
        case .noGeneratorOnLoad(let seconds):
            let s = TextArgument.timeSpan(seconds: seconds)
            return Bilingual(
                zh: "市电已中断 \(s)，仍无发电机带载", en: "mains lost \(s) ago and no generator is on load yet")
        case .fuel(let name, let usable, let burnRate, let hours):
            let rate = TextArgument.quantity(burnRate, .litresPerHour, places: 1)
            return Bilingual(
                zh: "发电机 \(.verbatim(name))：可用燃油 \(.litres(usable))，满载油耗 \(rate)，可运行 \(.hours(hours))",
                en: "generator \(.verbatim(name)): \(.litres(usable)) usable at \(rate): \(.hours(hours))")
        case .batteryNoLoad(let energy, let load):
            let e = TextArgument.quantity(energy, .kilowattHours, places: 1)
            let p = TextArgument.quantity(load, .kilowatts, places: 1)
            return Bilingual(zh: "蓄电池可用电量 \(e)；当前无用电负荷（\(p)）", en: "\(e) usable; no load (\(p))")
        case .battery(let energy, let load, let minutes, let onBattery):
            let e = TextArgument.quantity(energy, .kilowattHours, places: 1)
            let p = TextArgument.quantity(load, .kilowatts, places: 1)
            if onBattery {
                return Bilingual(
                    zh: "正由蓄电池供电：可用电量 \(e)，负荷 \(p)，可供电 \(.minutes(minutes))",
                    en: "\(e) usable at \(p): \(.minutes(minutes)) on battery")
            }
            return Bilingual(
                zh: "蓄电池可用电量 \(e)，负荷 \(p)；若市电和发电机均中断，可供电 \(.minutes(minutes))",
                en: "\(e) usable at \(p): \(.minutes(minutes)) if mains and generator fail")
        case .sewage(let percent, let tank):
            return Bilingual(
                zh: "污水箱液位 \(.percent(percent / 100))（容量 \(.litres(tank))）",
                en: "sewage tank at \(.percent(percent / 100)) of \(.litres(tank))")
        case .sewageFilling(let percent, let tank, let hours, let inflow):
            let q = TextArgument.quantity(inflow, .litresPerHour, places: 0)
            return Bilingual(
                zh: "污水箱液位 \(.percent(percent / 100))（容量 \(.litres(tank))）；按进水速度 \(q)计，约 \(.hours(hours))后满",
                en: "sewage tank at \(.percent(percent / 100)) of \(.litres(tank)); full in \(.hours(hours)) at \(q)")
        case .presentWhileNotActivated(let n, let state):
            let s = StatusText.lifecycle(state)
            return Bilingual(
                zh: "场所状态为“\(s)”，在场 \(.persons(n))", en: "\(.persons(n)) present; shelter state: \(s)")
        case .presentWhileNotActivatedFor(let n, let state, let held, let limit, let hold):
            let s = StatusText.lifecycle(state)
            return Bilingual(
                zh: "场所状态为“\(s)”，在场 \(.persons(n))，已持续 \(.timeSpan(seconds: held))"
                    + "（超过 \(.persons(limit))并持续 \(.timeSpan(seconds: hold))即发出警告）",
                en: "\(.persons(n)) present for \(.timeSpan(seconds: held)); shelter state: \(s) (more than "
                    + "\(.persons(limit)) for \(.timeSpan(seconds: hold)) warns)")
        case .deviceLink(let device, let link):
            let l = StatusText.link(link)
            return Bilingual(zh: "设备 \(.verbatim(device))：通信状态\(l)", en: "\(.verbatim(device)): link \(l)")
        case .deviceOldestPoint(let device, let link, let point, let intervals):
            let l = StatusText.link(link)
            let age = TextArgument.quantity(intervals, .pollIntervals, places: 1)
            return Bilingual(
                zh: "设备 \(.verbatim(device))：通信状态\(l)；最旧的数据点 \(.verbatim(point)) 已 \(age)未更新",
                en: "\(.verbatim(device)): link \(l); oldest point \(.verbatim(point)) is \(age) old")
        case .deviceNeverRead(let device, let link, let point):
            let l = StatusText.link(link)
            return Bilingual(
                zh: "设备 \(.verbatim(device))：通信状态\(l)；数据点 \(.verbatim(point)) 从未读到",
                en: "\(.verbatim(device)): link \(l); point \(.verbatim(point)) never read")
        case .busUnreachable(let bus, let endpoint, let error, let devices):
            let list = devices.map { TextArgument.verbatim($0) }
            return Bilingual(
                zh: "总线 \(.verbatim(bus))（\(.verbatim(endpoint))）无法打开：\(.verbatim(error))；"
                    + "其上设备均无法通信：\(.list(list))",
                en: "bus \(.verbatim(bus)) (\(.verbatim(endpoint))) cannot be opened: \(.verbatim(error)); "
                    + "unreachable on it: \(.list(list))")
        case .deviceOnUnreachableBus(let device, let bus):
            return Bilingual(
                zh: "设备 \(.verbatim(device))：所在总线 \(.verbatim(bus)) 无法打开",
                en: "\(.verbatim(device)): its bus \(.verbatim(bus)) cannot be opened")
        case .recordMatches: return Bilingual(zh: "现场与备案信息一致", en: "site matches its record")
        case .recordDrift(let differences):
            let list = TextArgument.clauses(differences.map { .entry(AnyCatalogEntry($0)) })
            return Bilingual(zh: "与备案不符：\(list)", en: "differs from the record: \(list)")
        case .drillChanged(let started):
            return started
                ? Bilingual(zh: "演练开始，撤销此前的告警", en: "cancelled: the drill started")
                : Bilingual(zh: "演练结束，撤销演练期间的告警", en: "cancelled: the drill ended")
        case .notRunning(let check, let state):
            let s = StatusText.lifecycle(state)
            return Bilingual(
                zh: "已撤销：场所状态为“\(s)”时不进行 \(.verbatim(check)) 检查",
                en: "cancelled: \(.verbatim(check)) does not run in shelter state \(s)")
        case .measured(let check, let value, let threshold):
            let v = check.argument(forValue: value)
            guard let threshold else { return Bilingual(zh: "当前值 \(v)", en: "measured \(v)") }
            let t = check.argument(forValue: threshold)
            return Bilingual(zh: "当前值 \(v)，阈值 \(t)", en: "measured \(v), threshold \(t)")
        }
    }
}
