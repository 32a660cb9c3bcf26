import ShelterCore

/// The words of the bureau's console (issue 15): every label, heading and phrase its pages show, in zh-CN (the
/// default) and English, as catalog entries like the agent's (`ShelterCore/Text`). Terms follow
/// `docs/glossary.md`: 应急避难场所 shelter, 启用 activation, 演练 drill, 可容纳人数 registered capacity, 备案 record.
/// States, levels, check statuses and threshold sources come from `StatusText`; departments from
/// `ResponsibleDepartment`.
enum ConsoleText: CatalogEntry {
    /// A fixed label (no arguments).
    case label(Label)
    /// `signed in as NAME (ROLE)`.
    case signedInAs(name: String, role: OperatorRole)
    /// A role's name.
    case role(OperatorRole)
    /// How long ago, e.g. `3 分钟前` / `3 min ago`.
    case ago(seconds: Double)
    /// `N of M`: occupancy of registered capacity, e.g. `1 880 / 2 000 人`.
    case occupancy(occupied: Int, capacity: Int)
    /// The account is locked until a time (`until`, as written).
    case lockedUntil(until: String)
    /// Confirmed by the gateway `seconds` after the decision, at `at`.
    case confirmedAfter(seconds: Double, at: String)

    /// Labels without arguments. `rawValue` is the key the templates use (`{{t.overview}}`).
    enum Label: String, CaseIterable, Sendable {
        case appTitle, overview, alerts, signIn, signOut, name, password, language, otherLanguage
        case shelter, shelters, district, grade, lifecycle, occupancy, available, power, water, sanitation
        case lastReport, gateway, noReport, stale, silent, linkUp, never
        case countOpen, countFull, countCritical, countSilent
        case filter, apply, allStates, allDistricts, minAvailable, sortBy
        case active, history, severity, status, exercise, actual, department, allDepartments, allSeverities
        case headline, description, instruction, value, threshold, thresholdSource, capXML, raised, updated
        case cancelled, acknowledge, acknowledged, acknowledgedBy, note, noActiveAlerts, noAlerts
        case record, capacity, effectiveArea, address, facilities, generators, batteries, waterTanks, toilets
        case contact, notFiled, latestReport, check, checkStatus, source, summary, charts, period
        case chartOccupancy, chartWater, chartFuel, chartBattery, noData, timeline, decidedBy, confirmedByGateway
        case notYetConfirmed, acts, actsEmpty, actActivate, actMarkFull, actClose, actStandby, actStartDrill
        case actEndDrill, countyActs, refused, forbidden, badForm, signInFailed, signInTitle, live, drill
        case unknown, persons, hours, days, minutes, when, who, what, back, yes, no
    }

    var texts: Bilingual {
        switch self {
        case .label(let label): Self.labelTexts(label)
        case .signedInAs(let name, let role):
            Bilingual(zh: "\(.verbatim(name))（\(Self.role(role))）", en: "\(.verbatim(name)) (\(Self.role(role)))")
        case .role(let role):
            switch role {
            case .viewer: Bilingual(zh: "查看", en: "viewer")
            case .duty: Bilingual(zh: "值班员", en: "duty officer")
            case .county: Bilingual(zh: "县级政府人员", en: "county officer")
            }
        case .ago(let seconds): Bilingual(zh: "\(.elapsed(seconds: seconds))前", en: "\(.elapsed(seconds: seconds)) ago")
        case .occupancy(let occupied, let capacity):
            Bilingual(
                zh: "\(.persons(occupied)) / \(.persons(capacity))", en: "\(.persons(occupied)) / \(.persons(capacity))"
            )
        case .lockedUntil(let until):
            Bilingual(
                zh: "登录失败次数过多，账户已锁定至 \(.verbatim(until))。",
                en: "Too many failed sign-ins: locked until \(.verbatim(until)).")
        case .confirmedAfter(let seconds, let at):
            Bilingual(
                zh: "网关已确认：\(.verbatim(at))（决定后 \(.timeSpan(seconds: seconds))）",
                en: "confirmed by the gateway at \(.verbatim(at)) (\(.timeSpan(seconds: seconds)) after the decision)")
        }
    }

    // swift-format-ignore
    private static func labelTexts(_ label: Label) -> Bilingual {
        switch label {
        case .appTitle: Bilingual(zh: "应急避难场所监测", en: "Shelter monitoring")
        case .overview: Bilingual(zh: "总览", en: "Overview")
        case .alerts: Bilingual(zh: "告警", en: "Alerts")
        case .signIn: Bilingual(zh: "登录", en: "Sign in")
        case .signOut: Bilingual(zh: "退出", en: "Sign out")
        case .name: Bilingual(zh: "用户名", en: "User name")
        case .password: Bilingual(zh: "密码", en: "Password")
        case .language: Bilingual(zh: "语言", en: "Language")
        case .otherLanguage: Bilingual(zh: "English", en: "中文")
        case .shelter: Bilingual(zh: "应急避难场所", en: "Shelter")
        case .shelters: Bilingual(zh: "应急避难场所", en: "Shelters")
        case .district: Bilingual(zh: "辖区", en: "District")
        case .grade: Bilingual(zh: "等级", en: "Grade")
        case .lifecycle: Bilingual(zh: "状态", en: "State")
        case .occupancy: Bilingual(zh: "在场人数 / 可容纳人数", en: "Present / registered capacity")
        case .available: Bilingual(zh: "剩余可容纳", en: "Places available")
        case .power: Bilingual(zh: "应急供电", en: "Power")
        case .water: Bilingual(zh: "应急供水", en: "Water")
        case .sanitation: Bilingual(zh: "厕所与污水处理", en: "Sanitation")
        case .lastReport: Bilingual(zh: "最近上报", en: "Last report")
        case .gateway: Bilingual(zh: "网关", en: "Gateway")
        case .noReport: Bilingual(zh: "尚无上报", en: "no report yet")
        case .stale: Bilingual(zh: "数据过期", en: "stale")
        case .silent: Bilingual(zh: "网关失联", en: "gateway silent")
        case .linkUp: Bilingual(zh: "在线", en: "online")
        case .never: Bilingual(zh: "从未", en: "never")
        case .countOpen: Bilingual(zh: "已启用", en: "Open")
        case .countFull: Bilingual(zh: "已满员", en: "Full")
        case .countCritical: Bilingual(zh: "有严重告警", en: "With a critical alert")
        case .countSilent: Bilingual(zh: "网关失联", en: "Silent")
        case .filter: Bilingual(zh: "筛选", en: "Filter")
        case .apply: Bilingual(zh: "应用", en: "Apply")
        case .allStates: Bilingual(zh: "全部状态", en: "All states")
        case .allDistricts: Bilingual(zh: "全部辖区", en: "All districts")
        case .minAvailable: Bilingual(zh: "剩余可容纳至少", en: "At least this many places")
        case .sortBy: Bilingual(zh: "排序", en: "Sort")
        case .active: Bilingual(zh: "当前告警", en: "Active alerts")
        case .history: Bilingual(zh: "历史告警", en: "History")
        case .severity: Bilingual(zh: "严重程度", en: "Severity")
        case .status: Bilingual(zh: "性质", en: "Status")
        case .exercise: Bilingual(zh: "演练", en: "Exercise")
        case .actual: Bilingual(zh: "实际", en: "Actual")
        case .department: Bilingual(zh: "责任部门", en: "Responsible department")
        case .allDepartments: Bilingual(zh: "全部部门", en: "All departments")
        case .allSeverities: Bilingual(zh: "全部级别", en: "All severities")
        case .headline: Bilingual(zh: "标题", en: "Headline")
        case .description: Bilingual(zh: "说明", en: "Description")
        case .instruction: Bilingual(zh: "处置建议", en: "Instruction")
        case .value: Bilingual(zh: "测量值", en: "Value")
        case .threshold: Bilingual(zh: "阈值", en: "Threshold")
        case .thresholdSource: Bilingual(zh: "阈值来源", en: "Threshold source")
        case .capXML: Bilingual(zh: "CAP 报文", en: "CAP XML")
        case .raised: Bilingual(zh: "发布", en: "Raised")
        case .updated: Bilingual(zh: "更新", en: "Updated")
        case .cancelled: Bilingual(zh: "已解除", en: "resolved")
        case .acknowledge: Bilingual(zh: "确认收悉", en: "Acknowledge")
        case .acknowledged: Bilingual(zh: "已确认", en: "Acknowledged")
        case .acknowledgedBy: Bilingual(zh: "确认人", en: "Acknowledged by")
        case .note: Bilingual(zh: "备注", en: "Note")
        case .noActiveAlerts: Bilingual(zh: "当前没有告警。", en: "No active alert.")
        case .noAlerts: Bilingual(zh: "没有符合条件的告警。", en: "No alert matches.")
        case .record: Bilingual(zh: "备案信息", en: "Filed record")
        case .capacity: Bilingual(zh: "可容纳人数", en: "Registered capacity")
        case .effectiveArea: Bilingual(zh: "有效避难面积", en: "Effective area")
        case .address: Bilingual(zh: "位置", en: "Location")
        case .facilities: Bilingual(zh: "配套设施", en: "Facilities")
        case .generators: Bilingual(zh: "发电机", en: "Generators")
        case .batteries: Bilingual(zh: "蓄电池", en: "Batteries")
        case .waterTanks: Bilingual(zh: "水箱", en: "Water tanks")
        case .toilets: Bilingual(zh: "厕所", en: "Toilets")
        case .contact: Bilingual(zh: "管理责任单位联系人", en: "Responsible unit and contact")
        case .notFiled: Bilingual(zh: "尚未备案", en: "no record filed")
        case .latestReport: Bilingual(zh: "最近一次上报", en: "Latest report")
        case .check: Bilingual(zh: "检查项", en: "Check")
        case .checkStatus: Bilingual(zh: "结果", en: "Result")
        case .source: Bilingual(zh: "依据", en: "Source")
        case .summary: Bilingual(zh: "摘要", en: "Summary")
        case .charts: Bilingual(zh: "历史曲线", en: "History")
        case .period: Bilingual(zh: "时段", en: "Period")
        case .chartOccupancy: Bilingual(zh: "在场人数与可容纳人数", en: "Present against registered capacity")
        case .chartWater: Bilingual(zh: "饮用水可用天数", en: "Days of drinking water")
        case .chartFuel: Bilingual(zh: "发电机燃油可用小时", en: "Generator fuel, hours")
        case .chartBattery: Bilingual(zh: "蓄电池供电分钟", en: "Battery, minutes")
        case .noData: Bilingual(zh: "该时段无数据", en: "no data in this period")
        case .timeline: Bilingual(zh: "启用记录", en: "Lifecycle timeline")
        case .decidedBy: Bilingual(zh: "决定人", en: "Decided by")
        case .confirmedByGateway: Bilingual(zh: "网关确认", en: "Gateway confirmed")
        case .notYetConfirmed: Bilingual(zh: "网关尚未确认", en: "not yet confirmed by the gateway")
        case .acts: Bilingual(zh: "操作记录", en: "Audit trail")
        case .actsEmpty: Bilingual(zh: "尚无操作。", en: "No act yet.")
        case .actActivate: Bilingual(zh: "启用", en: "Activate")
        case .actMarkFull: Bilingual(zh: "标记已满员", en: "Mark full")
        case .actClose: Bilingual(zh: "关闭（撤离）", en: "Close (people leave)")
        case .actStandby: Bilingual(zh: "恢复平时待用", en: "Back to standby")
        case .actStartDrill: Bilingual(zh: "开始演练", en: "Start drill")
        case .actEndDrill: Bilingual(zh: "结束演练", en: "End drill")
        case .countyActs: Bilingual(zh: "县级政府决定（第二十二条）", en: "County decisions (art. 22)")
        case .refused: Bilingual(zh: "操作被拒绝", en: "Refused")
        case .forbidden: Bilingual(zh: "您的角色无权进行此操作。", en: "Your role may not do this.")
        case .badForm: Bilingual(zh: "表单已过期，请刷新页面后重试。", en: "This form has expired: reload the page and try again.")
        case .signInFailed: Bilingual(zh: "用户名或密码不正确。", en: "Wrong user name or password.")
        case .signInTitle: Bilingual(zh: "登录应急避难场所监测平台", en: "Sign in to shelter monitoring")
        case .live: Bilingual(zh: "实时更新", en: "live")
        case .drill: Bilingual(zh: "演练", en: "drill")
        case .unknown: Bilingual(zh: "未知", en: "unknown")
        case .persons: Bilingual(zh: "人", en: "persons")
        case .hours: Bilingual(zh: "小时", en: "hours")
        case .days: Bilingual(zh: "天", en: "days")
        case .minutes: Bilingual(zh: "分钟", en: "minutes")
        case .when: Bilingual(zh: "时间", en: "When")
        case .who: Bilingual(zh: "操作人", en: "Who")
        case .what: Bilingual(zh: "内容", en: "What")
        case .back: Bilingual(zh: "返回", en: "Back")
        case .yes: Bilingual(zh: "是", en: "yes")
        case .no: Bilingual(zh: "否", en: "no")
        }
    }

    /// Every label in `language`, keyed by its `rawValue`: the `t` object of every template.
    static func labels(in language: Language) -> [String: String] {
        Dictionary(uniqueKeysWithValues: Label.allCases.map { ($0.rawValue, label($0).text(in: language)) })
    }
}
