/// The words of the status screen and of the registry's console: lifecycle states (with the drill overlay),
/// check statuses, resource levels, device link states and why a point has no sample. Terms follow the
/// Sanmenxia measures (2022) and `docs/glossary.md`.
public enum StatusText: CatalogEntry {
    /// A lifecycle state (DESIGN §6), e.g. 已启用 / activated (art. 22 启用).
    case lifecycle(LifecycleState)
    /// The lifecycle as reported: the state plus 演练 / drill and 待确认 / unconfirmed when they apply.
    case lifecycleStatus(LifecycleStatus)
    /// A check status: 正常 / 警告 / 严重 / 未知.
    case checkStatus(CheckStatus)
    /// A resource level on the status report: 充足 / 不足 / 未知.
    case resourceLevel(ResourceLevel)
    /// A resource of art. 24: 应急供电, 应急供水, 环境卫生 (toilets and sewage), 通信.
    case resource(Resource)
    /// A device link state: 正常 / 不稳定 / 中断 / 未知.
    case link(LinkState)
    /// Why a point has no sample (the kind only; the detail is free text from the device or the runtime).
    case noSample(NoSampleReason.Kind)
    /// A reason with its detail: `设备应答超时（no reply in 1 s）` / `timeout: no reply in 1 s`. The detail is
    /// free text from the device or the runtime, shown as given.
    case noSampleReason(NoSampleReason)
    /// Where a threshold comes from: 备案信息 / registered record, …
    case thresholdOrigin(ThresholdOrigin)

    /// The resources of the status report (`ResourceStatus`).
    public enum Resource: String, Sendable, Hashable, CaseIterable {
        case power, water, sanitation, comms
    }

    public var texts: Bilingual {
        switch self {
        case .lifecycle(let state): Self.lifecycleTexts(state)
        case .lifecycleStatus(let status):
            switch (status.isDrill, status.isUnconfirmed) {
            case (false, false): Bilingual(zh: "\(Self.lifecycle(status.state))", en: "\(Self.lifecycle(status.state))")
            case (true, false):
                Bilingual(zh: "\(Self.lifecycle(status.state))（演练）", en: "\(Self.lifecycle(status.state)) (drill)")
            case (false, true):
                Bilingual(
                    zh: "\(Self.lifecycle(status.state))（待登记系统确认）",
                    en: "\(Self.lifecycle(status.state)) (unconfirmed by the registry)")
            case (true, true):
                Bilingual(
                    zh: "\(Self.lifecycle(status.state))（演练，待登记系统确认）",
                    en: "\(Self.lifecycle(status.state)) (drill, unconfirmed by the registry)")
            }
        case .checkStatus(let status):
            switch status {
            case .ok: Bilingual(zh: "正常", en: "ok")
            case .warning: Bilingual(zh: "警告", en: "warning")
            case .critical: Bilingual(zh: "严重", en: "critical")
            case .unknown: Bilingual(zh: "未知", en: "unknown")
            }
        case .resourceLevel(let level):
            switch level {
            case .adequate: Bilingual(zh: "充足", en: "adequate")
            case .insufficient: Bilingual(zh: "不足", en: "insufficient")
            case .unknown: Bilingual(zh: "未知", en: "unknown")
            }
        case .resource(let resource):
            switch resource {
            case .power: Bilingual(zh: "应急供电", en: "emergency power")
            case .water: Bilingual(zh: "应急供水", en: "emergency water supply")
            case .sanitation: Bilingual(zh: "厕所与污水处理", en: "toilets and sewage")
            case .comms: Bilingual(zh: "设备通信", en: "device communication")
            }
        case .link(let state):
            switch state {
            case .up: Bilingual(zh: "正常", en: "up")
            case .degraded: Bilingual(zh: "不稳定", en: "degraded")
            case .down: Bilingual(zh: "中断", en: "down")
            case .unknown: Bilingual(zh: "未知", en: "unknown")
            }
        case .noSample(let kind): Self.reasonTexts(kind)
        case .noSampleReason(let reason):
            if reason.detail.isEmpty {
                Bilingual(zh: "\(Self.noSample(reason.kind))", en: "\(Self.noSample(reason.kind))")
            } else {
                Bilingual(
                    zh: "\(Self.noSample(reason.kind))（\(.verbatim(reason.detail))）",
                    en: "\(Self.noSample(reason.kind)): \(.verbatim(reason.detail))")
            }
        case .thresholdOrigin(let origin):
            switch origin {
            case .record: Bilingual(zh: "备案信息", en: "the registered record")
            case .sitePolicy: Bilingual(zh: "本场所管理规定", en: "site policy")
            case .nationalDefault: Bilingual(zh: "国家标准默认值", en: "national default")
            }
        }
    }

    private static func lifecycleTexts(_ state: LifecycleState) -> Bilingual {
        switch state {
        case .standby: Bilingual(zh: "平时待用", en: "standby")
        case .alerted: Bilingual(zh: "预备启用", en: "alerted")
        case .activated: Bilingual(zh: "已启用", en: "activated")
        case .full: Bilingual(zh: "已满员", en: "full")
        case .closing: Bilingual(zh: "撤离中", en: "closing")
        case .recovery: Bilingual(zh: "检修维护", en: "recovery")
        case .outOfService: Bilingual(zh: "停用", en: "out of service")
        }
    }

    private static func reasonTexts(_ kind: NoSampleReason.Kind) -> Bilingual {
        switch kind {
        case .timeout: Bilingual(zh: "设备应答超时", en: "timeout")
        case .exception: Bilingual(zh: "设备返回 Modbus 异常", en: "Modbus exception")
        case .busy: Bilingual(zh: "设备忙", en: "device busy")
        case .badData: Bilingual(zh: "应答数据错误", en: "bad data")
        case .linkLost: Bilingual(zh: "通信链路中断", en: "link lost")
        case .notANumber: Bilingual(zh: "数值无效（NaN）", en: "not a number (NaN)")
        case .infinite: Bilingual(zh: "数值无穷大", en: "infinite value")
        case .sentinel: Bilingual(zh: "设备报告“无数据”", en: "device reports no data")
        case .outOfRange: Bilingual(zh: "超出合理范围", en: "out of plausible range")
        case .deviceSkipped: Bilingual(zh: "设备暂停轮询（故障退避）", en: "device skipped (back-off)")
        case .hole: Bilingual(zh: "设备不支持该地址", en: "address not served by the device")
        case .notYetRead: Bilingual(zh: "尚未读取", en: "not read yet")
        case .stale: Bilingual(zh: "数据过期", en: "stale")
        case .missingInput: Bilingual(zh: "缺少计算所需数据", en: "missing input")
        }
    }
}
