/// The title of one condition instance (a check and its subject) as a headline names it: the check's title,
/// made precise by the subject (C-05 if full, C-11 power or water, C-13 the generator, C-22 the device) and,
/// for C-12, by what was found (no generator on load yet, or one took the load late).
public enum CheckTitle: CatalogEntry {
    /// The check's own title (`CheckText.title`), with no subject.
    case plain(CheckKind)
    /// The check's title and a subject shown as given: `… (subject)`.
    case withSubject(CheckKind, String)
    /// C-05 at current occupancy.
    case waterForPresent
    /// C-05 if every registered place were taken (subject `if_full`).
    case waterIfFull(capacity: Int)
    /// C-11 for power or water.
    case healthySources(StatusText.Resource)
    /// C-12 while no generator is on load: the value is the time since mains was lost.
    case noGeneratorOnLoadYet
    /// C-12 after a generator took the load: the value is the transfer time.
    case generatorTransferTime
    /// C-13 for one generator.
    case fuel(generator: String)
    /// C-22 for one device.
    case device(String)
    /// C-22 for a device whose link is degraded or down: the link state is the news, not the data age.
    case deviceLink(String, LinkState)
    /// C-22 for a device with a point never read.
    case deviceNeverRead(String, point: String)
    /// C-22 for a bus whose connection cannot be opened (the endpoint is its path or `host:port`).
    case busUnreachable(String, endpoint: String)
    /// C-22 for a bus (subject `bus:NAME`) when no fault of it is known any more, as in the Cancel of its alert.
    case bus(String)

    /// Whether the title says all there is, so a headline shows no value or threshold after it.
    public var isComplete: Bool {
        switch self {
        case .deviceLink, .deviceNeverRead, .busUnreachable: true
        default: false
        }
    }

    public var texts: Bilingual {
        switch self {
        case .plain(let check): CheckText.title(check).texts
        case .withSubject(let check, let subject):
            Bilingual(
                zh: "\(CheckText.title(check))（\(.verbatim(subject))）",
                en: "\(CheckText.title(check)) (\(.verbatim(subject)))")
        case .waterForPresent: Bilingual(zh: "按在场人数计的可供水时间", en: "water left for the persons present")
        case .waterIfFull(let capacity):
            Bilingual(
                zh: "满员（\(.persons(capacity))）时的可供水时间",
                en: "water left if the shelter were full (\(.persons(capacity)))")
        case .healthySources(let resource):
            Bilingual(
                zh: "\(StatusText.resource(resource))的正常来源数", en: "healthy sources of \(StatusText.resource(resource))")
        case .noGeneratorOnLoadYet:
            Bilingual(zh: "市电中断后仍无发电机带载的时长", en: "time since mains loss with no generator on load yet")
        case .generatorTransferTime:
            Bilingual(zh: "市电中断至发电机带载的用时", en: "time from mains loss until a generator took the load")
        case .fuel(let name):
            Bilingual(zh: "发电机 \(.verbatim(name)) 的燃油可用时间", en: "fuel autonomy of generator \(.verbatim(name))")
        case .device(let name):
            Bilingual(zh: "设备 \(.verbatim(name)) 的数据时效", en: "data freshness of device \(.verbatim(name))")
        case .deviceLink(let name, let link):
            Bilingual(
                zh: "设备 \(.verbatim(name)) 通信状态\(StatusText.link(link))",
                en: "device \(.verbatim(name)): link \(StatusText.link(link))")
        case .deviceNeverRead(let name, let point):
            Bilingual(
                zh: "设备 \(.verbatim(name)) 的数据点 \(.verbatim(point)) 从未读到",
                en: "device \(.verbatim(name)): point \(.verbatim(point)) never read")
        case .busUnreachable(let name, let endpoint):
            Bilingual(
                zh: "总线 \(.verbatim(name))（\(.verbatim(endpoint))）无法打开",
                en: "bus \(.verbatim(name)) (\(.verbatim(endpoint))) cannot be opened")
        case .bus(let name):
            Bilingual(zh: "总线 \(.verbatim(name)) 的连接", en: "connection of bus \(.verbatim(name))")
        }
    }

    /// The title for a condition instance of `check` with `subject` (as in `CheckResult.subject`), made
    /// precise by `finding` when given. `capacity`: registered capacity, persons (C-05 if full).
    public static func make(check: CheckKind, subject: String, finding: CheckFinding?, capacity: Int) -> CheckTitle {
        switch check {
        case .waterDays: return subject == "if_full" ? .waterIfFull(capacity: capacity) : .waterForPresent
        case .sourceRedundancy:
            if let resource = StatusText.Resource(rawValue: subject) { return .healthySources(resource) }
        case .generatorTransfer:
            switch finding {
            case .noGeneratorOnLoad?: return .noGeneratorOnLoadYet
            case .generatorOnLoadAfter?: return .generatorTransferTime
            default: break
            }
        case .fuelAutonomy where !subject.isEmpty: return .fuel(generator: subject)
        case .dataFreshness where !subject.isEmpty:
            switch finding {
            case .busUnreachable(let bus, let endpoint, _, _)?: return .busUnreachable(bus, endpoint: endpoint)
            case .deviceLink(_, let link)?, .deviceOldestPoint(_, let link, _, _)?, .deviceNeverRead(_, let link, _)?:
                if link == .down || link == .degraded { return .deviceLink(subject, link) }
                if case .deviceNeverRead(_, _, let point)? = finding { return .deviceNeverRead(subject, point: point) }
            default: break
            }
            if subject.hasPrefix(BusFault.subjectPrefix) {
                return .bus(String(subject.dropFirst(BusFault.subjectPrefix.count)))
            }
            return .device(subject)
        default: break
        }
        return subject.isEmpty ? .plain(check) : .withSubject(check, subject)
    }
}
