/// The shape of a configuration file: which keys exist and what kind of value each holds.
///
/// The loader walks the parsed TOML against this tree so a misspelt key is reported instead of silently
/// ignored, and a value of the wrong kind is reported with its key path. Keys are the file's snake_case
/// spelling; it mirrors `SiteFile` and `ProfileFile` key for key (a test keeps them in step).
public indirect enum ConfigSchema: Sendable {
    /// A TOML string.
    case string
    /// A TOML integer.
    case integer
    /// A TOML integer or float.
    case number
    /// A TOML boolean.
    case boolean
    /// An array whose elements all have the given shape.
    case array(ConfigSchema)
    /// A table with exactly these keys (each optional).
    case table([String: ConfigSchema])
    /// A table with free keys (e.g. check ids), each value of the given shape.
    case map(ConfigSchema)

    /// A short name of the expected kind, for messages: `"a string"`, `"an integer"`, …
    public var expectation: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "true or false"
        case .array(let element): "an array of \(element.pluralName)"
        case .table, .map: "a table"
        }
    }

    private var pluralName: String {
        switch self {
        case .string: "strings"
        case .integer: "integers"
        case .number: "numbers"
        case .boolean: "booleans"
        case .array: "arrays"
        case .table, .map: "tables"
        }
    }

    /// The keys of a `.table`, sorted; empty otherwise.
    public var knownKeys: [String] {
        if case .table(let keys) = self { keys.keys.sorted() } else { [] }
    }

    /// Schema of a profile's `[[points]]` entry (also used for a device's inline points).
    public static let point: ConfigSchema = .table([
        "name": .string, "function": .string, "address": .integer, "type": .string, "byte_order": .string,
        "string_layout": .string,
        "scale": .number, "offset": .number, "unit": .string, "plausible_min": .number, "plausible_max": .number,
        "sentinels": .array(.integer), "quantity": .string, "description": .string,
    ])

    /// Schema of a profile file (`ProfileFile`).
    public static let profile: ConfigSchema = .table([
        "vendor": .string, "model": .string, "document": .string, "description": .string,
        "points": .array(point),
    ])

    /// Schema of a site file (`SiteFile`).
    public static let site: ConfigSchema = .table([
        "gateway": .table([
            "id": .string, "state_directory": .string, "registry_url": .string, "ca_bundle": .string,
            "client_certificate": .string, "client_key": .string, "pin": .string, "bearer_token_file": .string,
            "heartbeat_interval_seconds": .number, "language": .string,
        ]),
        "buses": .array(
            .table([
                "name": .string, "kind": .string, "device": .string, "baud": .integer, "parity": .string,
                "data_bits": .integer, "stop_bits": .integer, "inter_frame_gap_milliseconds": .number,
                "host": .string, "port": .integer,
            ])),
        "devices": .array(
            .table([
                "name": .string, "bus": .string, "unit_id": .integer, "profile": .string,
                "poll_interval_seconds": .number, "response_timeout_milliseconds": .number,
                "byte_timeout_milliseconds": .number, "max_registers_per_request": .integer,
                "max_gap_registers": .integer,
                "known_holes": .array(.table(["function": .string, "address": .integer, "count": .integer])),
                "points": .array(point),
            ])),
        "record": .table([
            "id": .string, "name": .string, "effective_area_square_metres": .number, "capacity_persons": .integer,
            "required_area_per_person_square_metres": .number, "design_duration_days": .number,
            "water_ration_litres_per_person_per_day": .number, "reserve_days": .number, "zoning_plan": .string,
            "record_version": .integer, "toilets": .integer, "sewage_tank_litres": .number,
            "other_facilities": .array(.string),
            "location": .table([
                "address": .string, "latitude": .number, "longitude": .number, "district": .string,
                "division_code": .string,
            ]),
            "contact": .table(["unit": .string, "person": .string, "phone": .string]),
            "generators": .array(
                .table([
                    "name": .string, "rated_power_kilowatts": .number, "fuel_tank_litres": .number,
                    "unusable_fuel_litres": .number, "burn_rate_litres_per_hour": .number,
                ])),
            "batteries": .array(
                .table([
                    "name": .string, "energy_kilowatt_hours": .number, "depth_of_discharge": .number,
                    "efficiency": .number,
                ])),
            "water_tanks": .array(
                .table([
                    "name": .string, "capacity_litres": .number, "dead_volume_litres": .number,
                    "height_metres": .number,
                    "level_to_volume": .array(.table(["level_metres": .number, "volume_litres": .number])),
                ])),
        ]),
        "bindings": .array(.table(["quantity": .string, "facility": .string, "device": .string, "point": .string])),
        "thresholds": .map(
            .table(["warning": .number, "critical": .number, "hold_for_seconds": .number, "enabled": .boolean])),
        "reporting_interval_seconds": .map(.number),
        "metrics": .table(["listen": .string, "allow_non_loopback": .boolean]),
    ])
}
