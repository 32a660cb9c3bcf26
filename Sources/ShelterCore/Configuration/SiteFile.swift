/// The site file as written (`Firmware-Config/sites/<site>.toml`), before validation: the first of the three
/// configuration stages (STYLE §5). Every field is optional so a file with mistakes still decodes and every
/// mistake can be reported; `SiteConfiguration.validate` turns it into the typed configuration.
///
/// Property names are the file's snake_case keys in camelCase (`poll_interval_seconds` → `pollIntervalSeconds`);
/// `Firmware-Config/README.md` documents each key. Never mutated to apply defaults.
public struct SiteFile: Sendable, Hashable, Codable {
    /// File key `gateway`.
    public var gateway: Gateway?
    /// File key `buses`.
    public var buses: [Bus]?
    /// File key `devices`.
    public var devices: [Device]?
    /// File key `record`.
    public var record: Record?
    /// File key `bindings`.
    public var bindings: [Binding]?
    /// `[thresholds."C-01"]` tables, keyed by check id.
    public var thresholds: [String: Threshold]?
    /// `[reporting_interval_seconds]`: report cadence per lifecycle state, seconds.
    public var reportingIntervalSeconds: [String: Double]?
    /// `[metrics]`: the loopback listener for maintainers' metrics; absent: off.
    public var metrics: Metrics?

    /// An empty file; every key absent.
    public init() {}

    /// `[gateway]`: identity of this gateway and how it reaches the registry.
    public struct Gateway: Sendable, Hashable, Codable {
        /// File key `id`.
        public var id: String?
        /// File key `state_directory`.
        public var stateDirectory: String?
        /// File key `registry_url`.
        public var registryUrl: String?
        /// File key `ca_bundle`.
        public var caBundle: String?
        /// File key `client_certificate`.
        public var clientCertificate: String?
        /// File key `client_key`.
        public var clientKey: String?
        /// File key `pin`.
        public var pin: String?
        /// File key `bearer_token_file`.
        public var bearerTokenFile: String?
        /// File key `heartbeat_interval_seconds`.
        public var heartbeatIntervalSeconds: Double?
        /// File key `language`.
        public var language: String?
    }

    /// `[metrics]`: where the agent serves `GET /metrics` (issue 17).
    public struct Metrics: Sendable, Hashable, Codable {
        /// File key `listen`: `HOST:PORT`.
        public var listen: String?
        /// File key `allow_non_loopback`.
        public var allowNonLoopback: Bool?
    }

    /// `[[buses]]`: one serial line or TCP endpoint.
    public struct Bus: Sendable, Hashable, Codable {
        /// File key `name`.
        public var name: String?
        /// File key `kind`.
        public var kind: String?
        /// File key `device`.
        public var device: String?
        /// File key `baud`.
        public var baud: Int?
        /// File key `parity`.
        public var parity: String?
        /// File key `data_bits`.
        public var dataBits: Int?
        /// File key `stop_bits`.
        public var stopBits: Int?
        /// File key `inter_frame_gap_milliseconds`.
        public var interFrameGapMilliseconds: Double?
        /// File key `host`.
        public var host: String?
        /// File key `port`.
        public var port: Int?
    }

    /// `[[devices]]`: one Modbus device on a bus.
    public struct Device: Sendable, Hashable, Codable {
        /// File key `name`.
        public var name: String?
        /// File key `bus`.
        public var bus: String?
        /// File key `unit_id`.
        public var unitId: Int?
        /// File key `profile`.
        public var profile: String?
        /// File key `poll_interval_seconds`.
        public var pollIntervalSeconds: Double?
        /// File key `response_timeout_milliseconds`.
        public var responseTimeoutMilliseconds: Double?
        /// File key `byte_timeout_milliseconds`.
        public var byteTimeoutMilliseconds: Double?
        /// File key `max_registers_per_request`.
        public var maxRegistersPerRequest: Int?
        /// File key `max_gap_registers`.
        public var maxGapRegisters: Int?
        /// File key `known_holes`.
        public var knownHoles: [Hole]?
        /// Inline register map, for a device without a shipped profile (instead of `profile`).
        public var points: [ProfileFile.Point]?
    }

    /// `[[devices.known_holes]]`: addresses the device refuses; never read.
    public struct Hole: Sendable, Hashable, Codable {
        /// File key `function`.
        public var function: String?
        /// File key `address`.
        public var address: Int?
        /// File key `count`.
        public var count: Int?
    }

    /// `[record]`: the shelter's registered record as filed (regulation art. 14).
    public struct Record: Sendable, Hashable, Codable {
        /// File key `id`.
        public var id: String?
        /// File key `name`.
        public var name: String?
        /// File key `effective_area_square_metres`.
        public var effectiveAreaSquareMetres: Double?
        /// File key `capacity_persons`.
        public var capacityPersons: Int?
        /// File key `required_area_per_person_square_metres`.
        public var requiredAreaPerPersonSquareMetres: Double?
        /// File key `design_duration_days`.
        public var designDurationDays: Double?
        /// File key `water_ration_litres_per_person_per_day`.
        public var waterRationLitresPerPersonPerDay: Double?
        /// File key `reserve_days`.
        public var reserveDays: Double?
        /// File key `zoning_plan`.
        public var zoningPlan: String?
        /// File key `record_version`.
        public var recordVersion: Int?
        /// File key `toilets`.
        public var toilets: Int?
        /// File key `sewage_tank_litres`.
        public var sewageTankLitres: Double?
        /// File key `other_facilities`.
        public var otherFacilities: [String]?
        /// File key `location`.
        public var location: Location?
        /// File key `contact`.
        public var contact: Contact?
        /// File key `generators`.
        public var generators: [Generator]?
        /// File key `batteries`.
        public var batteries: [Battery]?
        /// File key `water_tanks`.
        public var waterTanks: [WaterTank]?
    }

    /// `[record.location]`.
    public struct Location: Sendable, Hashable, Codable {
        /// File key `address`.
        public var address: String?
        /// File key `latitude`.
        public var latitude: Double?
        /// File key `longitude`.
        public var longitude: Double?
        /// File key `district`.
        public var district: String?
        /// File key `division_code`: GB/T 2260 code of the district, six digits.
        public var divisionCode: String?
    }

    /// `[record.contact]`.
    public struct Contact: Sendable, Hashable, Codable {
        /// File key `unit`.
        public var unit: String?
        /// File key `person`.
        public var person: String?
        /// File key `phone`.
        public var phone: String?
    }

    /// `[[record.generators]]`.
    public struct Generator: Sendable, Hashable, Codable {
        /// File key `name`.
        public var name: String?
        /// File key `rated_power_kilowatts`.
        public var ratedPowerKilowatts: Double?
        /// File key `fuel_tank_litres`.
        public var fuelTankLitres: Double?
        /// File key `unusable_fuel_litres`.
        public var unusableFuelLitres: Double?
        /// File key `burn_rate_litres_per_hour`.
        public var burnRateLitresPerHour: Double?
    }

    /// `[[record.batteries]]`.
    public struct Battery: Sendable, Hashable, Codable {
        /// File key `name`.
        public var name: String?
        /// File key `energy_kilowatt_hours`.
        public var energyKilowattHours: Double?
        /// File key `depth_of_discharge`.
        public var depthOfDischarge: Double?
        /// File key `efficiency`.
        public var efficiency: Double?
    }

    /// `[[record.water_tanks]]`.
    public struct WaterTank: Sendable, Hashable, Codable {
        /// File key `name`.
        public var name: String?
        /// File key `capacity_litres`.
        public var capacityLitres: Double?
        /// File key `dead_volume_litres`.
        public var deadVolumeLitres: Double?
        /// File key `height_metres`.
        public var heightMetres: Double?
        /// File key `level_to_volume`.
        public var levelToVolume: [LevelVolume]?
    }

    /// One row of `level_to_volume`.
    public struct LevelVolume: Sendable, Hashable, Codable {
        /// File key `level_metres`.
        public var levelMetres: Double?
        /// File key `volume_litres`.
        public var volumeLitres: Double?
    }

    /// `[[bindings]]`: which device point supplies which quantity (of which registered facility).
    public struct Binding: Sendable, Hashable, Codable {
        /// File key `quantity`.
        public var quantity: String?
        /// File key `facility`.
        public var facility: String?
        /// File key `device`.
        public var device: String?
        /// File key `point`.
        public var point: String?
    }

    /// `[thresholds."C-xx"]`: override of one check's thresholds.
    public struct Threshold: Sendable, Hashable, Codable {
        /// File key `warning`.
        public var warning: Double?
        /// File key `critical`.
        public var critical: Double?
        /// File key `hold_for_seconds`.
        public var holdForSeconds: Double?
        /// File key `enabled`.
        public var enabled: Bool?
    }
}

/// A device profile file as written (`Firmware-Config/profiles/<vendor>-<model>.toml`): a register map.
/// Raw stage; `DeviceProfile.validate` makes the typed `DeviceProfile`.
public struct ProfileFile: Sendable, Hashable, Codable {
    /// File key `vendor`.
    public var vendor: String?
    /// File key `model`.
    public var model: String?
    /// The public document the map was taken from (title, revision).
    public var document: String?
    /// File key `description`.
    public var description: String?
    /// File key `points`.
    public var points: [Point]?

    /// An empty profile; every key absent.
    public init() {}

    /// `[[points]]`: one value in the device's register map.
    public struct Point: Sendable, Hashable, Codable {
        /// File key `name`.
        public var name: String?
        /// File key `function`.
        public var function: String?
        /// File key `address`.
        public var address: Int?
        /// File key `type`.
        public var type: String?
        /// File key `byte_order`.
        public var byteOrder: String?
        /// File key `string_layout` (`packed`, `low_byte`, `high_byte`; `STRINGn` points only).
        public var stringLayout: String?
        /// File key `scale`.
        public var scale: Double?
        /// File key `offset`.
        public var offset: Double?
        /// File key `unit`.
        public var unit: String?
        /// File key `plausible_min`.
        public var plausibleMin: Double?
        /// File key `plausible_max`.
        public var plausibleMax: Double?
        /// File key `sentinels`.
        public var sentinels: [Int64]?
        /// File key `quantity`.
        public var quantity: String?
        /// File key `description`.
        public var description: String?
    }
}
