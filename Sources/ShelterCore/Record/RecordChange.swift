/// One way the record in use differs from the site file's filing (its `[record]` copy): what `shelter-agent
/// status` and the log show, so the agent never adopts a record silently (issue 11: a registry's placeholder
/// record with no facilities was adopted without a word). Capacity, effective area and the facilities listed;
/// ratings are C-23's business.
public enum RecordChange: CatalogEntry {
    /// The registered capacity, persons: the record in use, then the site file's.
    case capacity(inUse: Int, siteFile: Int)
    /// The effective area, m²: the record in use, then the site file's.
    case effectiveArea(inUse: Double, siteFile: Double)
    /// A facility the site file's filing lists and the record in use does not.
    case facilityDropped(FacilityRef)
    /// A facility the record in use lists and the site file's filing does not.
    case facilityAdded(FacilityRef)

    public var texts: Bilingual {
        switch self {
        case .capacity(let inUse, let siteFile):
            let (r, f) = (TextArgument.persons(inUse), TextArgument.persons(siteFile))
            return Bilingual(zh: "可容纳人数 \(r)（站点配置文件：\(f)）", en: "registered capacity \(r) (site file: \(f))")
        case .effectiveArea(let inUse, let siteFile):
            let r = TextArgument.quantity(inUse, .squareMetres, places: 0)
            let f = TextArgument.quantity(siteFile, .squareMetres, places: 0)
            return Bilingual(zh: "有效面积 \(r)（站点配置文件：\(f)）", en: "effective area \(r) (site file: \(f))")
        case .facilityDropped(let facility):
            let name = TextArgument.entry(AnyCatalogEntry(FacilityName(facility)))
            return Bilingual(
                zh: "此备案中没有\(name)（站点配置文件的备案中有）",
                en: "\(name) is not in this record (the site file's filing lists it)")
        case .facilityAdded(let facility):
            let name = TextArgument.entry(AnyCatalogEntry(FacilityName(facility)))
            return Bilingual(
                zh: "此备案中有\(name)（站点配置文件的备案中没有）",
                en: "\(name) is in this record (the site file's filing does not list it)")
        }
    }
}

extension ShelterRecord {
    /// How this record differs from `filing`, the site file's copy: capacity, effective area, then the
    /// facilities it drops and adds (kind, then name order). Empty when they agree on all of these.
    public func changes(from filing: ShelterRecord) -> [RecordChange] {
        var changes: [RecordChange] = []
        if capacity != filing.capacity { changes.append(.capacity(inUse: capacity, siteFile: filing.capacity)) }
        if effectiveArea != filing.effectiveArea {
            changes.append(.effectiveArea(inUse: effectiveArea, siteFile: filing.effectiveArea))
        }
        let mine = Set(facilities.references)
        let filed = Set(filing.facilities.references)
        changes += filed.subtracting(mine).sorted().map { .facilityDropped($0) }
        changes += mine.subtracting(filed).sorted().map { .facilityAdded($0) }
        return changes
    }
}
