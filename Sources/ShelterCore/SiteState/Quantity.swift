/// A physical or operational quantity with a standard meaning across devices, such as
/// `power.mains.voltage` or `water.tank.level`.
///
/// Device profiles tag points with a quantity; the site binds quantities to the registered facilities, and
/// the shelter checks read quantities, never raw points. The raw value is the dotted config-file spelling.
public struct Quantity: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The unit a point bound to this quantity must report in (after scale and offset), e.g. `"V"`, `"%"`,
    /// `"L"`; `nil` for booleans and free counts.
    public var expectedUnit: String? { Self.units[self] ?? nil }

    /// Whether this is one of the quantities listed below.
    public var isStandard: Bool { Self.units[self] != nil }

    /// Every standard quantity with its unit.
    public static var all: [Quantity] { units.keys.sorted { $0.rawValue < $1.rawValue } }

    private static let units: [Quantity: String?] = [
        .mainsVoltage: "V", .mainsPresent: nil, .mainsPower: "kW", .mainsFrequency: "Hz",
        .generatorRunning: nil, .generatorOnLoad: nil, .generatorPower: "kW", .generatorVoltage: "V",
        .generatorFuelLevel: "%", .generatorFuelVolume: "L",
        .batterySOC: "%", .batteryVoltage: "V", .batteryPower: "kW", .loadPower: "kW",
        .waterTankLevel: "m", .waterTankLevelPercent: "%", .waterTankVolume: "L",
        .waterFlow: "L/min", .waterTotal: "L", .waterPressure: "bar",
        .sewageTankLevel: "%",
        .occupancyCountIn: nil, .occupancyCountOut: nil, .occupancyPresent: nil,
        .activationSwitch: nil, .doorOpen: nil,
    ]

    /// Mains (grid) voltage, V.
    public static let mainsVoltage = Quantity(rawValue: "power.mains.voltage")
    /// Mains present (relay or meter), boolean.
    public static let mainsPresent = Quantity(rawValue: "power.mains.present")
    /// Active power drawn from mains, kW.
    public static let mainsPower = Quantity(rawValue: "power.mains.power")
    /// Mains frequency, Hz.
    public static let mainsFrequency = Quantity(rawValue: "power.mains.frequency")
    /// Generator running, boolean.
    public static let generatorRunning = Quantity(rawValue: "power.generator.running")
    /// Generator breaker closed / supplying the load, boolean.
    public static let generatorOnLoad = Quantity(rawValue: "power.generator.on_load")
    /// Generator active power, kW.
    public static let generatorPower = Quantity(rawValue: "power.generator.power")
    /// Generator output voltage, V.
    public static let generatorVoltage = Quantity(rawValue: "power.generator.voltage")
    /// Generator fuel level, % of tank.
    public static let generatorFuelLevel = Quantity(rawValue: "power.generator.fuel_level")
    /// Generator fuel volume, L.
    public static let generatorFuelVolume = Quantity(rawValue: "power.generator.fuel_volume")
    /// Battery state of charge, %.
    public static let batterySOC = Quantity(rawValue: "power.battery.soc")
    /// Battery voltage, V.
    public static let batteryVoltage = Quantity(rawValue: "power.battery.voltage")
    /// Battery discharge power (positive when discharging), kW.
    public static let batteryPower = Quantity(rawValue: "power.battery.power")
    /// Site load power, kW.
    public static let loadPower = Quantity(rawValue: "power.load.power")
    /// Water tank level, m of water above the sensor.
    public static let waterTankLevel = Quantity(rawValue: "water.tank.level")
    /// Water tank level, % of height.
    public static let waterTankLevelPercent = Quantity(rawValue: "water.tank.level_percent")
    /// Water tank volume, L.
    public static let waterTankVolume = Quantity(rawValue: "water.tank.volume")
    /// Water flow rate, L/min.
    public static let waterFlow = Quantity(rawValue: "water.flow")
    /// Water totaliser, L.
    public static let waterTotal = Quantity(rawValue: "water.total")
    /// Water supply pressure, bar.
    public static let waterPressure = Quantity(rawValue: "water.pressure")
    /// Sewage tank level, % of capacity.
    public static let sewageTankLevel = Quantity(rawValue: "sewage.tank.level")
    /// People counter: persons in, cumulative (wraps).
    public static let occupancyCountIn = Quantity(rawValue: "occupancy.count_in")
    /// People counter: persons out, cumulative (wraps).
    public static let occupancyCountOut = Quantity(rawValue: "occupancy.count_out")
    /// Direct count of persons present.
    public static let occupancyPresent = Quantity(rawValue: "occupancy.present")
    /// Local activation key switch, boolean.
    public static let activationSwitch = Quantity(rawValue: "site.activation_switch")
    /// Entrance door open, boolean.
    public static let doorOpen = Quantity(rawValue: "site.door_open")
}
