/// An input a check needs, named in a result that is unknown because the input is missing or stale.
public enum CheckInput: CatalogEntry {
    case occupancy
    case registeredCapacity
    case fillingRate
    case usableWater
    case waterRation
    case requiredReserve
    case sewageLevel
    case mainsState
    case generatorOnLoad
    /// Fuel of a generator (by its registered name).
    case fuel(generator: String)
    /// Burn rate at load of a generator.
    case burnRate(generator: String)
    /// State of charge of a battery (by its registered name).
    case batteryCharge(battery: String)
    case siteLoad
    case facilityBindings
    case computedValue
    /// A supply source of C-11.
    case source(SupplySource)

    public var texts: Bilingual {
        switch self {
        case .occupancy: Bilingual(zh: "在场人数", en: "occupancy")
        case .registeredCapacity: Bilingual(zh: "可容纳人数", en: "registered capacity")
        case .fillingRate: Bilingual(zh: "人员进入速度", en: "filling rate")
        case .usableWater: Bilingual(zh: "可用水量", en: "usable water")
        case .waterRation: Bilingual(zh: "人均用水定额", en: "water ration")
        case .requiredReserve: Bilingual(zh: "应储备水量", en: "required reserve")
        case .sewageLevel: Bilingual(zh: "污水箱液位", en: "sewage level")
        case .mainsState: Bilingual(zh: "市电状态", en: "mains state")
        case .generatorOnLoad: Bilingual(zh: "发电机带载状态", en: "generator on load")
        case .fuel(let name): Bilingual(zh: "发电机 \(.verbatim(name)) 燃油量", en: "fuel of generator \(.verbatim(name))")
        case .burnRate(let name):
            Bilingual(zh: "发电机 \(.verbatim(name)) 满载油耗", en: "burn rate of generator \(.verbatim(name))")
        case .batteryCharge(let name):
            Bilingual(zh: "蓄电池 \(.verbatim(name)) 剩余电量", en: "state of charge of battery \(.verbatim(name))")
        case .siteLoad: Bilingual(zh: "场所用电负荷", en: "site load")
        case .facilityBindings: Bilingual(zh: "设施与传感器的对应关系", en: "facility bindings")
        case .computedValue: Bilingual(zh: "计算结果", en: "computed value")
        case .source(let source): source.texts
        }
    }
}

/// A supply source counted by C-11 (source redundancy).
public enum SupplySource: CatalogEntry {
    /// Mains power.
    case mains
    /// A registered generator with usable fuel.
    case generator(String)
    /// A registered water tank holding usable water.
    case waterTank(String)
    /// The municipal water supply (when the site measures it).
    case municipalWater

    public var texts: Bilingual {
        switch self {
        case .mains: Bilingual(zh: "市电", en: "mains")
        case .generator(let name): Bilingual(zh: "发电机 \(.verbatim(name))", en: "generator \(.verbatim(name))")
        case .waterTank(let name): Bilingual(zh: "水箱 \(.verbatim(name))", en: "tank \(.verbatim(name))")
        case .municipalWater: Bilingual(zh: "市政供水", en: "municipal supply")
        }
    }
}

/// One difference between the site and its registered record (C-23).
public enum RecordDifference: CatalogEntry {
    /// A registered facility with no live source bound: `发电机 gen1 无实时数据来源`; the single sewage tank is
    /// named by its kind only (never `sewage_tank sewage`).
    case noLiveSource(FacilityRef)
    /// A facility the site has sensors for (a binding names it) that the record in use does not list, as when
    /// the registry's record drops the generator or a tank: `备案中没有发电机 gen1（现场有其传感器）` (issue 11).
    case notInRecord(FacilityRef)
    /// A reading beyond its registered rating by more than the tolerance.
    case beyondRating(RatedReading, reading: TextArgument, rating: TextArgument)

    /// What a rating limits.
    public enum RatedReading: Sendable, Hashable {
        case generatorPower(String)
        case generatorFuel(String)
        case waterTankVolume(String)
    }

    public var texts: Bilingual {
        switch self {
        case .noLiveSource(let facility):
            switch facility.kind {
            case .generator:
                Bilingual(
                    zh: "发电机 \(.verbatim(facility.name)) 无实时数据来源",
                    en: "generator \(.verbatim(facility.name)) has no live source")
            case .battery:
                Bilingual(
                    zh: "蓄电池 \(.verbatim(facility.name)) 无实时数据来源",
                    en: "battery \(.verbatim(facility.name)) has no live source")
            case .waterTank:
                Bilingual(
                    zh: "水箱 \(.verbatim(facility.name)) 无实时数据来源",
                    en: "water tank \(.verbatim(facility.name)) has no live source")
            case .sewageTank: Bilingual(zh: "污水箱无实时数据来源", en: "the sewage tank has no live source")
            }
        case .notInRecord(let facility):
            Bilingual(
                zh: "备案中没有\(.entry(AnyCatalogEntry(FacilityName(facility))))（现场有其传感器）",
                en: "\(.entry(AnyCatalogEntry(FacilityName(facility)))) has sensors on site but is not in the record")
        case .beyondRating(let what, let reading, let rating):
            switch what {
            case .generatorPower(let name):
                Bilingual(
                    zh: "发电机 \(.verbatim(name)) 功率读数 \(reading)，备案额定值 \(rating)",
                    en: "generator \(.verbatim(name)) power reads \(reading), registered \(rating)")
            case .generatorFuel(let name):
                Bilingual(
                    zh: "发电机 \(.verbatim(name)) 燃油读数 \(reading)，备案油箱容量 \(rating)",
                    en: "generator \(.verbatim(name)) fuel reads \(reading), registered tank \(rating)")
            case .waterTankVolume(let name):
                Bilingual(
                    zh: "水箱 \(.verbatim(name)) 可用水量读数 \(reading)，备案可用容量 \(rating)",
                    en: "water tank \(.verbatim(name)) usable volume reads \(reading), registered \(rating)")
            }
        }
    }
}

/// A facility named for people: `发电机 gen1` / `generator gen1`; the single sewage tank by its kind only (never
/// `sewage_tank sewage`).
public struct FacilityName: CatalogEntry {
    /// The facility.
    public var facility: FacilityRef

    public init(_ facility: FacilityRef) { self.facility = facility }

    public var texts: Bilingual {
        let name = TextArgument.verbatim(facility.name)
        return switch facility.kind {
        case .generator: Bilingual(zh: "发电机 \(name)", en: "generator \(name)")
        case .battery: Bilingual(zh: "蓄电池 \(name)", en: "battery \(name)")
        case .waterTank: Bilingual(zh: "水箱 \(name)", en: "water tank \(name)")
        case .sewageTank: Bilingual(zh: "污水箱", en: "the sewage tank")
        }
    }
}
