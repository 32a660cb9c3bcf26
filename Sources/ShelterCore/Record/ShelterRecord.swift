/// The shelter's registered record: what it was filed for with the emergency management department.
///
/// Source: Sanmenxia shelter measures (2022) art. 14 — name, location, area and number of persons it can
/// hold, facilities and equipment, zoning plan, responsible contact. The checks of DESIGN §5 compare live
/// readings against these figures: a registered value always beats a national default.
///
/// Units: areas in m², volumes in L, power in kW, energy in kWh, durations as `Duration`.
/// The registry serves it as JSON (`GET /v1/shelters/{id}/record`); the site file carries a copy for when
/// the registry cannot be reached.
public struct ShelterRecord: Sendable, Hashable, Codable {
    /// Registry id of the shelter, e.g. `"SMX-HB-0007"`.
    public var id: String
    /// Registered name (art. 14 (1)).
    public var name: String
    /// Location (art. 14 (2)).
    public var location: Location
    /// Effective (usable) area, m² (art. 14 (3); GB 21734-2008 requires more than 2000 m² for a site).
    public var effectiveArea: Double
    /// Registered capacity, persons (art. 14 (3)). Must be ≥ 1.
    public var capacity: Int
    /// Required living area per person, m². Default 1.5 (GB 21734-2008 §5.4).
    public var requiredAreaPerPerson: Double
    /// Design duration of stay. Default 3 days (GB 51143-2015: emergency shelters open 1 to 3 days).
    public var designDuration: Duration
    /// Water ration, L per person per day. Default 15 (Sphere handbook, water supply standard 2.2).
    public var waterRationPerPersonPerDay: Double
    /// Days of water the site must hold in reserve in standby. Default: the design duration in days.
    public var reserveDays: Double
    /// Facilities and equipment (art. 14 (4), art. 10).
    public var facilities: Facilities
    /// Reference to the functional zoning plan (art. 14 (5)), e.g. a document number; may be empty.
    public var zoningPlan: String
    /// Responsible unit and contact (art. 14 (6)).
    public var contact: Contact
    /// Version of the record at the registry; 0 for a record that only exists in the site file.
    public var recordVersion: Int

    // JSON (registry protocol v1): the design duration travels as `designDurationDays`, a number of days,
    // rather than `Duration`'s two-integer encoding, so the registry and other clients can read it.
    private enum CodingKeys: String, CodingKey {
        case id, name, location, effectiveArea, capacity, requiredAreaPerPerson, designDurationDays
        case waterRationPerPersonPerDay, reserveDays, facilities, zoningPlan, contact, recordVersion
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        location = try c.decode(Location.self, forKey: .location)
        effectiveArea = try c.decode(Double.self, forKey: .effectiveArea)
        capacity = try c.decode(Int.self, forKey: .capacity)
        requiredAreaPerPerson = try c.decode(Double.self, forKey: .requiredAreaPerPerson)
        let days = try c.decode(Double.self, forKey: .designDurationDays)
        guard days.isFinite, days > 0, days <= 365 else {
            throw DecodingError.dataCorruptedError(
                forKey: .designDurationDays, in: c, debugDescription: "design duration must be 0 < days ≤ 365")
        }
        designDuration = .milliseconds(Int64((days * 86_400_000).rounded()))
        waterRationPerPersonPerDay = try c.decode(Double.self, forKey: .waterRationPerPersonPerDay)
        reserveDays = try c.decode(Double.self, forKey: .reserveDays)
        facilities = try c.decode(Facilities.self, forKey: .facilities)
        zoningPlan = try c.decode(String.self, forKey: .zoningPlan)
        contact = try c.decode(Contact.self, forKey: .contact)
        recordVersion = try c.decode(Int.self, forKey: .recordVersion)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(location, forKey: .location)
        try c.encode(effectiveArea, forKey: .effectiveArea)
        try c.encode(capacity, forKey: .capacity)
        try c.encode(requiredAreaPerPerson, forKey: .requiredAreaPerPerson)
        try c.encode(designDuration.inSeconds / 86_400, forKey: .designDurationDays)
        try c.encode(waterRationPerPersonPerDay, forKey: .waterRationPerPersonPerDay)
        try c.encode(reserveDays, forKey: .reserveDays)
        try c.encode(facilities, forKey: .facilities)
        try c.encode(zoningPlan, forKey: .zoningPlan)
        try c.encode(contact, forKey: .contact)
        try c.encode(recordVersion, forKey: .recordVersion)
    }

    /// Creates a record. Defaults follow the national standards named on each property.
    public init(
        id: String, name: String, location: Location, effectiveArea: Double, capacity: Int,
        requiredAreaPerPerson: Double = Defaults.requiredAreaPerPerson,
        designDuration: Duration = .seconds(Int64(Defaults.designDurationDays) * 86_400),
        waterRationPerPersonPerDay: Double = Defaults.waterRationPerPersonPerDay, reserveDays: Double? = nil,
        facilities: Facilities = .init(),
        zoningPlan: String = "", contact: Contact = .init(), recordVersion: Int = 0
    ) {
        self.id = id
        self.name = name
        self.location = location
        self.effectiveArea = effectiveArea
        self.capacity = capacity
        self.requiredAreaPerPerson = requiredAreaPerPerson
        self.designDuration = designDuration
        self.waterRationPerPersonPerDay = waterRationPerPersonPerDay
        self.reserveDays = reserveDays ?? designDuration.inSeconds / 86_400
        self.facilities = facilities
        self.zoningPlan = zoningPlan
        self.contact = contact
        self.recordVersion = recordVersion
    }

    /// Where the shelter is.
    public struct Location: Sendable, Hashable, Codable {
        /// Street address as filed.
        public var address: String
        /// WGS 84 latitude, degrees, −90...90; `nil` if not filed.
        public var latitude: Double?
        /// WGS 84 longitude, degrees, −180...180; `nil` if not filed.
        public var longitude: Double?
        /// County or district that activates the shelter (art. 22).
        public var district: String
        /// Administrative division code of that district (GB/T 2260, six digits, e.g. "411202" for Hubin
        /// District, Sanmenxia); `nil` if not filed. The registry writes it as the CAP `geocode`. Left out of
        /// the JSON when `nil`, so records filed without it keep their content-derived version.
        public var divisionCode: String?

        public init(
            address: String, latitude: Double? = nil, longitude: Double? = nil, district: String = "",
            divisionCode: String? = nil
        ) {
            self.address = address
            self.latitude = latitude
            self.longitude = longitude
            self.district = district
            self.divisionCode = divisionCode
        }

        /// Whether `code` has the shape of a GB/T 2260 administrative division code: six ASCII digits.
        public static func isDivisionCode(_ code: String) -> Bool {
            code.utf8.count == 6 && code.utf8.allSatisfy { (0x30...0x39).contains($0) }
        }
    }

    /// The responsible unit's contact (art. 14 (6)).
    public struct Contact: Sendable, Hashable, Codable {
        /// Responsible unit (owner or manager).
        public var unit: String
        /// Contact person.
        public var person: String
        /// Phone number as filed.
        public var phone: String

        public init(unit: String = "", person: String = "", phone: String = "") {
            self.unit = unit
            self.person = person
            self.phone = phone
        }
    }

    /// Registered facilities with their ratings (art. 10, art. 14 (4), art. 16 reserves).
    public struct Facilities: Sendable, Hashable, Codable {
        /// Standby generators.
        public var generators: [Generator]
        /// Battery stores (UPS, inverter-charger banks).
        public var batteries: [Battery]
        /// Drinking-water tanks.
        public var waterTanks: [WaterTank]
        /// Number of toilets (Sphere: one per 50 persons at first, per 20 later).
        public var toilets: Int
        /// Sewage holding tank capacity, L; 0 when the site drains to a sewer.
        public var sewageTankCapacity: Double
        /// Other facility kinds filed (art. 10): `"medical"`, `"broadcast"`, `"communication"`, `"command"`, …
        public var other: [String]

        public init(
            generators: [Generator] = [], batteries: [Battery] = [], waterTanks: [WaterTank] = [],
            toilets: Int = 0, sewageTankCapacity: Double = 0, other: [String] = []
        ) {
            self.generators = generators
            self.batteries = batteries
            self.waterTanks = waterTanks
            self.toilets = toilets
            self.sewageTankCapacity = sewageTankCapacity
            self.other = other
        }
    }

    /// A standby generator as registered.
    public struct Generator: Sendable, Hashable, Codable {
        /// Name unique within the record, e.g. `"gen1"`.
        public var name: String
        /// Rated power, kW (> 0).
        public var ratedPower: Double
        /// Fuel tank capacity, L (> 0).
        public var fuelTankCapacity: Double
        /// Fuel below the pickup that cannot be used, L (0 ≤ unusable < capacity).
        public var unusableFuel: Double
        /// Fuel burn rate at the registered load, L/h (> 0).
        public var burnRateAtLoad: Double

        public init(
            name: String, ratedPower: Double, fuelTankCapacity: Double, unusableFuel: Double = 0,
            burnRateAtLoad: Double
        ) {
            self.name = name
            self.ratedPower = ratedPower
            self.fuelTankCapacity = fuelTankCapacity
            self.unusableFuel = unusableFuel
            self.burnRateAtLoad = burnRateAtLoad
        }
    }

    /// A battery store as registered.
    public struct Battery: Sendable, Hashable, Codable {
        /// Name unique within the record.
        public var name: String
        /// Nominal energy, kWh (> 0).
        public var energy: Double
        /// Usable depth of discharge, fraction 0...1. Default 0.8 (site policy; typical for LiFePO4).
        public var depthOfDischarge: Double
        /// Inverter efficiency, fraction 0...1. Default 0.9 (site policy).
        public var efficiency: Double

        public init(
            name: String, energy: Double, depthOfDischarge: Double = Defaults.batteryDepthOfDischarge,
            efficiency: Double = Defaults.batteryEfficiency
        ) {
            self.name = name
            self.energy = energy
            self.depthOfDischarge = depthOfDischarge
            self.efficiency = efficiency
        }
    }

    /// A drinking-water tank as registered.
    public struct WaterTank: Sendable, Hashable, Codable {
        /// Name unique within the record.
        public var name: String
        /// Total volume, L (> 0).
        public var capacity: Double
        /// Volume below the outlet that cannot be drawn, L (0 ≤ dead < capacity).
        public var deadVolume: Double
        /// Level-to-volume table: (level in m, volume in L), level strictly increasing; empty means a
        /// vertical cylinder whose volume is proportional to `level / height`.
        public var levelToVolume: [LevelVolume]
        /// Height of water at full volume, m (> 0); used when `levelToVolume` is empty.
        public var height: Double

        public init(
            name: String, capacity: Double, deadVolume: Double = 0, levelToVolume: [LevelVolume] = [],
            height: Double
        ) {
            self.name = name
            self.capacity = capacity
            self.deadVolume = deadVolume
            self.levelToVolume = levelToVolume
            self.height = height
        }
    }

    /// One row of a tank's level-to-volume table.
    public struct LevelVolume: Sendable, Hashable, Codable {
        /// Water level above the sensor, m.
        public var level: Double
        /// Volume at that level, L.
        public var volume: Double

        public init(level: Double, volume: Double) {
            self.level = level
            self.volume = volume
        }
    }
}
