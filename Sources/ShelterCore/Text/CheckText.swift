/// The fixed texts of each check: its CAP `event` name, its `instruction` to the site manager, its rule's
/// source and its title (the noun phrase of status rows and headlines). Words of the Sanmenxia measures
/// (2022): 应急避难场所, 可容纳人数, 备案, 启用, 应急供水, 应急供电, 疏散安置指挥部 (art. 23) …
public enum CheckText: CatalogEntry {
    /// CAP `event`: the short name of the condition.
    case event(CheckKind)
    /// CAP `instruction` for a raised or updated alert.
    case instruction(CheckKind)
    /// CAP `instruction` for a resolved alert (Cancel).
    case noActionNeeded
    /// The rule's source: regulation article or standard clause.
    case source(CheckKind)
    /// The check's title, e.g. 在场人数占可容纳人数的比例 / occupancy of registered capacity.
    case title(CheckKind)

    public var texts: Bilingual {
        switch self {
        case .event(let check): Self.event(check)
        case .instruction(let check): Self.instruction(check)
        case .noActionNeeded: Bilingual(zh: "情况已恢复，无需采取行动。", en: "Condition cleared; no action needed.")
        case .source(let check): Self.source(check)
        case .title(let check): Self.title(check)
        }
    }

    private static func event(_ check: CheckKind) -> Bilingual {
        switch check {
        case .occupancy:
            Bilingual(zh: "应急避难场所人数接近可容纳人数", en: "Shelter occupancy near registered capacity")
        case .areaPerPerson: Bilingual(zh: "人均避难面积低于标准", en: "Living area per person below standard")
        case .timeUntilFull: Bilingual(zh: "应急避难场所即将满员", en: "Shelter filling up")
        case .waterDays: Bilingual(zh: "饮用水即将不足", en: "Drinking water running low")
        case .waterReserve:
            Bilingual(zh: "平时储备水量低于备案水平", en: "Standby water reserve below registered level")
        case .sourceRedundancy: Bilingual(zh: "应急供电或供水来源冗余不足", en: "Supply source redundancy lost")
        case .generatorTransfer:
            Bilingual(zh: "市电中断后发电机未及时带载", en: "Generator not on load in time after mains loss")
        case .fuelAutonomy: Bilingual(zh: "发电机燃油不足", en: "Generator fuel running low")
        case .batteryAutonomy: Bilingual(zh: "蓄电池供电时间不足", en: "Battery autonomy low while on battery")
        case .sewageLevel: Bilingual(zh: "污水箱即将满溢", en: "Sewage tank filling up")
        case .unexpectedOccupancy:
            Bilingual(zh: "未启用的应急避难场所内有人员聚集", en: "People present in a shelter that is not activated")
        case .dataFreshness: Bilingual(zh: "现场数据缺失或过期", en: "Site data missing or stale")
        case .recordDrift: Bilingual(zh: "现场与备案信息不符", en: "Site no longer matches its registered record")
        }
    }

    private static func instruction(_ check: CheckKind) -> Bilingual {
        switch check {
        case .occupancy:
            Bilingual(
                zh: "准备引导后续到达人员前往其他应急避难场所，并向疏散安置指挥部报告。",
                en: "Prepare to direct arrivals to the next shelter; report to the evacuation and resettlement "
                    + "command.")
        case .areaPerPerson:
            Bilingual(
                zh: "开放备用区域或分流后续到达人员；核对功能区划分平面图。",
                en: "Open reserve zones or redirect arrivals; check the plan of functional zones.")
        case .timeUntilFull:
            Bilingual(
                zh: "向疏散安置指挥部确认由哪个应急避难场所接收后续人员。",
                en: "Ask the evacuation and resettlement command which shelter takes the overflow.")
        case .waterDays:
            Bilingual(
                zh: "请城市供水部门保障应急供水（送水车或瓶装水）。",
                en: "Ask the city water supply department for emergency water supply (tanker or bottled water).")
        case .waterReserve:
            Bilingual(zh: "将储水补足至备案的储备水平。", en: "Refill the water tanks to the registered reserve.")
        case .sourceRedundancy: Bilingual(zh: "尽快恢复失效的供应来源。", en: "Restore the failed supply source.")
        case .generatorTransfer:
            Bilingual(
                zh: "检查发电机和双电源转换开关，必要时手动启动发电机；通知供电单位。",
                en: "Check the generator and the transfer switch; start it by hand if needed; inform the power "
                    + "supply company.")
        case .fuelAutonomy: Bilingual(zh: "尽快为发电机补充燃油。", en: "Order fuel for the generator.")
        case .batteryAutonomy:
            Bilingual(
                zh: "切除非必要负荷；尽快恢复市电或发电机供电。", en: "Shed non-essential load; restore mains or generator.")
        case .sewageLevel:
            Bilingual(
                zh: "请城市管理部门安排吸污车清运污水箱。",
                en: "Ask the city management department for a sewage tanker to empty the tank.")
        case .unexpectedOccupancy:
            Bilingual(
                zh: "核查现场情况，并向县（市、区）政府报告是否需要启用应急避难场所。",
                en: "Check the site; report to the county government whether the shelter must be activated.")
        case .dataFreshness:
            Bilingual(zh: "检查设备、接线及通信总线。", en: "Check the device, its wiring and its bus.")
        case .recordDrift:
            Bilingual(
                zh: "恢复该设施，或向应急管理部门重新备案。",
                en: "Restore the facility, or file an updated record with the emergency management department.")
        }
    }

    private static func source(_ check: CheckKind) -> Bilingual {
        switch check {
        case .occupancy:
            Bilingual(
                zh: "《三门峡市应急避难场所管理办法》（2022）第十四条第（三）项、第二十二条；GB 51143-2015",
                en: "Sanmenxia shelter measures (2022) art. 14 (3), art. 22; GB 51143-2015")
        case .areaPerPerson: Bilingual(zh: "GB 21734-2008 第 5.4 条", en: "GB 21734-2008 §5.4")
        case .timeUntilFull:
            Bilingual(
                zh: "《三门峡市应急避难场所管理办法》（2022）第二十二条；本场所管理规定",
                en: "Sanmenxia shelter measures (2022) art. 22; site policy")
        case .waterDays:
            Bilingual(
                zh: "环球计划（Sphere）手册供水标准 2.2（每人每天 15 升）；GB 51143-2015（开放 1 至 3 天）；"
                    + "《三门峡市应急避难场所管理办法》（2022）第二十四条",
                en: "Sphere handbook water supply standard 2.2 (15 L/person/day); GB 51143-2015 (1 to 3 days); "
                    + "Sanmenxia shelter measures (2022) art. 24")
        case .waterReserve:
            Bilingual(
                zh: "《三门峡市应急避难场所管理办法》（2022）第十六条（储备与规模相适应）；本场所管理规定",
                en: "Sanmenxia shelter measures (2022) art. 16 (reserves proportional to scale); site policy")
        case .sourceRedundancy:
            Bilingual(
                zh: "《三门峡市应急避难场所管理办法》（2022）第十条、第二十四条；本场所管理规定",
                en: "Sanmenxia shelter measures (2022) art. 10, art. 24; site policy")
        case .generatorTransfer:
            Bilingual(
                zh: "GB 50052-2009 第 3.0.5 条；GB 51348-2019 第 13.7.9 条",
                en: "GB 50052-2009 §3.0.5; GB 51348-2019 §13.7.9")
        case .fuelAutonomy:
            Bilingual(
                zh: "《三门峡市应急避难场所管理办法》（2022）第十六条、第二十四条；本场所管理规定",
                en: "Sanmenxia shelter measures (2022) art. 16, art. 24; site policy")
        case .batteryAutonomy:
            Bilingual(
                zh: "《三门峡市应急避难场所管理办法》（2022）第二十四条（应急供电）；本场所管理规定",
                en: "Sanmenxia shelter measures (2022) art. 24 (emergency power); site policy")
        case .sewageLevel:
            Bilingual(
                zh: "《三门峡市应急避难场所管理办法》（2022）第十条、第二十四条（排污设施）；本场所管理规定",
                en: "Sanmenxia shelter measures (2022) art. 10, art. 24 (sewage handling); site policy")
        case .unexpectedOccupancy:
            Bilingual(
                zh: "《三门峡市应急避难场所管理办法》（2022）第二十条、第二十二条",
                en: "Sanmenxia shelter measures (2022) art. 20, art. 22")
        case .dataFreshness:
            Bilingual(zh: "本场所管理规定（故障不以数值上报）", en: "site policy (an error is never a number)")
        case .recordDrift:
            Bilingual(
                zh: "《三门峡市应急避难场所管理办法》（2022）第十八条、第二十一条",
                en: "Sanmenxia shelter measures (2022) art. 18, art. 21")
        }
    }

    private static func title(_ check: CheckKind) -> Bilingual {
        switch check {
        case .occupancy: Bilingual(zh: "在场人数占可容纳人数的比例", en: "occupancy of registered capacity")
        case .areaPerPerson: Bilingual(zh: "人均避难面积", en: "area per person")
        case .timeUntilFull: Bilingual(zh: "预计满员时间", en: "time until full")
        case .waterDays: Bilingual(zh: "可供水时间", en: "water left")
        case .waterReserve: Bilingual(zh: "储备水量占备案储备的比例", en: "standby water reserve of the registered reserve")
        case .sourceRedundancy: Bilingual(zh: "正常供应来源数", en: "healthy supply sources")
        case .generatorTransfer:
            Bilingual(zh: "市电中断至发电机带载的时间", en: "time from mains loss to a generator on load")
        case .fuelAutonomy: Bilingual(zh: "发电机燃油可用时间", en: "generator fuel autonomy")
        case .batteryAutonomy: Bilingual(zh: "蓄电池可供电时间", en: "battery autonomy")
        case .sewageLevel: Bilingual(zh: "污水箱液位", en: "sewage tank level")
        case .unexpectedOccupancy: Bilingual(zh: "未启用时的在场人数", en: "persons present while not activated")
        case .dataFreshness: Bilingual(zh: "数据时效", en: "data freshness")
        case .recordDrift: Bilingual(zh: "与备案不符的设施数", en: "facilities that differ from the record")
        }
    }
}
