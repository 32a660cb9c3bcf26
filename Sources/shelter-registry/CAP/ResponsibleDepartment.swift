import ShelterCore

/// The department that article 24 of the Sanmenxia measures (三政办〔2022〕1号) makes responsible for a kind of
/// support once a shelter is activated: emergency power (供电单位, 24 (六)), water supply (城市供水部门, 24 (四)),
/// toilets and sewage (城市管理部门, 24 (五)), medical care (卫生健康部门), supplies (应急管理部门) and order
/// (公安机关). Every alert names one (issue 15 item 3): CAP `info/audience` carries its name in the info's
/// language and a `parameter` `responsibleDepartment` its code (`rawValue`), so each department's officer can
/// filter the console and the feed for their own work.
enum ResponsibleDepartment: String, Sendable, CaseIterable {
    /// 供电单位: emergency power (generator, battery, mains).
    case power
    /// 城市供水部门: emergency water supply.
    case water
    /// 城市管理部门: mobile toilets and sewage.
    case sanitation
    /// 卫生健康部门: medical care.
    case medical
    /// 应急管理部门: supplies, placement of people, the shelter's data and record.
    case supplies
    /// 公安机关: order and security.
    case order

    /// The department responsible for an alert of check `checkId` on `subject` (C-11's subject is the
    /// resource, `power` or `water`):
    /// - C-12, C-13, C-16 (generator, fuel, battery) and C-11 power → power;
    /// - C-05, C-06 (drinking water, water reserve) and C-11 water → water;
    /// - C-19 (sewage tank) → sanitation;
    /// - C-21 (people gathering in a shelter not activated) → order;
    /// - C-01, C-02, C-04 (crowding: placing people elsewhere), C-22, C-23 (the shelter's data and record) and
    ///   any check this registry does not know → supplies (the bureau itself).
    init(checkId: CheckID, subject: String) {
        switch CheckKind(checkId) {
        case .generatorTransfer?, .fuelAutonomy?, .batteryAutonomy?: self = .power
        case .waterDays?, .waterReserve?: self = .water
        case .sourceRedundancy?: self = subject.lowercased().hasPrefix("water") ? .water : .power
        case .sewageLevel?: self = .sanitation
        case .unexpectedOccupancy?: self = .order
        case .occupancy?, .areaPerPerson?, .timeUntilFull?, .dataFreshness?, .recordDrift?, nil: self = .supplies
        }
    }

    /// The department of `event`.
    init(_ event: AlertEvent) {
        self.init(checkId: event.parameters.checkId, subject: event.parameters.subject)
    }

    /// The department's name as the measures write it (zh-CN) or in English.
    func name(in language: Language) -> String {
        switch (self, language) {
        case (.power, .zhCN): "供电单位"
        case (.water, .zhCN): "城市供水部门"
        case (.sanitation, .zhCN): "城市管理部门"
        case (.medical, .zhCN): "卫生健康部门"
        case (.supplies, .zhCN): "应急管理部门"
        case (.order, .zhCN): "公安机关"
        case (.power, .en): "power supply company"
        case (.water, .en): "city water supply department"
        case (.sanitation, .en): "city management department"
        case (.medical, .en): "health department"
        case (.supplies, .en): "emergency management department"
        case (.order, .en): "public security bureau"
        }
    }
}
