/// The site file as written (`Firmware-Config/sites/<site>.toml`), before validation: the first of the three
/// configuration stages (STYLE §5). Every field is optional so a file with mistakes still decodes and every
/// mistake can be reported; `SiteConfiguration.validate` turns it into the typed configuration.
///
/// Property names are the file's snake_case keys in camelCase (`poll_interval_seconds` → `pollIntervalSeconds`);
/// `Firmware-Config/README.md` documents each key. Never mutated to apply defaults.
public struct SiteFile: Sendable, Hashable, Codable {
    public var gateway: Gateway?
    public var buses: [Bus]?
    public var devices: [Device]?
    public var record: Record?
    public var bindings: [Binding]?
    /// `[thresholds."C-01"]` tables, keyed by check id.
    public var thresholds: [String: Threshold]?
    /// `[reporting_interval_seconds]`: report cadence per lifecycle state, seconds.
    public var reportingIntervalSeconds: [String: Double]?

    public init() {}

    /// `[gateway]`: identity of this gateway and how it reaches the registry.
    public struct Gateway: Sendable, Hashable, Codable {
        public var id: String?
        public var stateDirectory: String?
        public var registryUrl: String?
        public var caBundle: String?
        public var clientCertificate: String?
        public var clientKey: String?
        public var pin: String?
        public var bearerTokenFile: String?
    }

    /// `[[buses]]`: one serial line or TCP endpoint.
    public struct Bus: Sendable, Hashable, Codable {
        public var name: String?
        public var kind: String?
        public var device: String?
        public var baud: Int?
        public var parity: String?
        public var dataBits: Int?
        public var stopBits: Int?
        public var interFrameGapMilliseconds: Double?
        public var host: String?
        public var port: Int?
    }

    /// `[[devices]]`: one Modbus device on a bus.
    public struct Device: Sendable, Hashable, Codable {
        public var name: String?
        public var bus: String?
        public var unitId: Int?
        public var profile: String?
        public var pollIntervalSeconds: Double?
        public var responseTimeoutMilliseconds: Double?
        public var byteTimeoutMilliseconds: Double?
        public var maxRegistersPerRequest: Int?
        public var maxGapRegisters: Int?
        public var knownHoles: [Hole]?
        /// Inline register map, for a device without a shipped profile (instead of `profile`).
        public var points: [ProfileFile.Point]?
    }

    /// `[[devices.known_holes]]`: addresses the device refuses; never read.
    public struct Hole: Sendable, Hashable, Codable {
        public var function: String?
        public var address: Int?
        public var count: Int?
    }

    /// `[record]`: the shelter's registered record as filed (regulation art. 14).
    public struct Record: Sendable, Hashable, Codable {
        public var id: String?
        public var name: String?
        public var effectiveAreaSquareMetres: Double?
        public var capacityPersons: Int?
        public var requiredAreaPerPersonSquareMetres: Double?
        public var designDurationDays: Double?
        public var waterRationLitresPerPersonPerDay: Double?
        public var reserveDays: Double?
        public var zoningPlan: String?
        public var recordVersion: Int?
        public var toilets: Int?
        public var sewageTankLitres: Double?
        public var otherFacilities: [String]?
        public var location: Location?
        public var contact: Contact?
        public var generators: [Generator]?
        public var batteries: [Battery]?
        public var waterTanks: [WaterTank]?
    }

    public struct Location: Sendable, Hashable, Codable {
        public var address: String?
        public var latitude: Double?
        public var longitude: Double?
        public var district: String?
    }

    public struct Contact: Sendable, Hashable, Codable {
        public var unit: String?
        public var person: String?
        public var phone: String?
    }

    public struct Generator: Sendable, Hashable, Codable {
        public var name: String?
        public var ratedPowerKilowatts: Double?
        public var fuelTankLitres: Double?
        public var unusableFuelLitres: Double?
        public var burnRateLitresPerHour: Double?
    }

    public struct Battery: Sendable, Hashable, Codable {
        public var name: String?
        public var energyKilowattHours: Double?
        public var depthOfDischarge: Double?
        public var efficiency: Double?
    }

    public struct WaterTank: Sendable, Hashable, Codable {
        public var name: String?
        public var capacityLitres: Double?
        public var deadVolumeLitres: Double?
        public var heightMetres: Double?
        public var levelToVolume: [LevelVolume]?
    }

    public struct LevelVolume: Sendable, Hashable, Codable {
        public var levelMetres: Double?
        public var volumeLitres: Double?
    }

    /// `[[bindings]]`: which device point supplies which quantity (of which registered facility).
    public struct Binding: Sendable, Hashable, Codable {
        public var quantity: String?
        public var facility: String?
        public var device: String?
        public var point: String?
    }

    /// `[thresholds."C-xx"]`: override of one check's thresholds.
    public struct Threshold: Sendable, Hashable, Codable {
        public var warning: Double?
        public var critical: Double?
        public var holdForSeconds: Double?
        public var enabled: Bool?
    }
}

/// A device profile file as written (`Firmware-Config/profiles/<vendor>-<model>.toml`): a register map.
/// Raw stage; `DeviceProfile.validate` makes the typed `DeviceProfile`.
public struct ProfileFile: Sendable, Hashable, Codable {
    public var vendor: String?
    public var model: String?
    /// The public document the map was taken from (title, revision).
    public var document: String?
    public var description: String?
    public var points: [Point]?

    public init() {}

    /// `[[points]]`: one value in the device's register map.
    public struct Point: Sendable, Hashable, Codable {
        public var name: String?
        public var function: String?
        public var address: Int?
        public var type: String?
        public var byteOrder: String?
        public var scale: Double?
        public var offset: Double?
        public var unit: String?
        public var plausibleMin: Double?
        public var plausibleMax: Double?
        public var sentinels: [Int64]?
        public var quantity: String?
        public var description: String?
    }
}
