/// A device model's register map: the points it exposes and how to decode each one.
///
/// Validated and immutable; loaded from `Firmware-Config/profiles/<name>.toml` (or a device's inline
/// `points`). Decoding is chosen here, once (STYLE §5): the poll loop never re-parses type names.
public struct DeviceProfile: Sendable, Hashable {
    /// Profile name: the file name without `.toml`, e.g. `"deepsea-dse7320"`; `"inline"` for inline points.
    public let name: String
    /// Manufacturer, e.g. `"Deep Sea Electronics"`.
    public let vendor: String
    /// Model, e.g. `"DSE7320 MKII"`.
    public let model: String
    /// The public document the register map was taken from.
    public let document: String
    /// Points in file order; names unique.
    public let points: [Point]

    public init(name: String, vendor: String, model: String, document: String, points: [Point]) {
        self.name = name
        self.vendor = vendor
        self.model = model
        self.document = document
        self.points = points
    }

    /// The point with this name, or `nil`.
    public func point(named name: String) -> Point? { points.first { $0.name == name } }
}

/// One value in a register map, with its decoding resolved.
public struct Point: Sendable, Hashable {
    /// Name unique within the profile, e.g. `"fuel_level"`.
    public let name: String
    /// The Modbus table it lives in.
    public let function: RegisterFunction
    /// Protocol address of the first register or bit, 0-based (vendor documents often number from 1 or
    /// add 30001/40001; the profile files note the vendor numbering), 0...65535.
    public let address: Int
    /// How the registers encode the value; `.boolean` for coils and discrete inputs.
    public let type: DataType
    /// Byte order of a multi-register value; accepted by `type` (`type.accepts(byteOrder)`).
    public let byteOrder: ByteOrder
    /// Multiplier applied to the raw value. Default 1.
    public let scale: Double
    /// Added after scaling. Default 0.
    public let offset: Double
    /// Engineering unit after scale and offset, e.g. `"V"`, `"%"`; empty when dimensionless.
    public let unit: String
    /// Lowest plausible value after scale and offset; below it the reading is `out_of_range`. `nil`: none.
    public let plausibleMinimum: Double?
    /// Highest plausible value after scale and offset; above it the reading is `out_of_range`. `nil`: none.
    public let plausibleMaximum: Double?
    /// Raw values (the unsigned bits of the type's width) the vendor uses for "no data".
    public let sentinels: Set<UInt64>
    /// The standard quantity the point measures, if it has one.
    public let quantity: Quantity?

    public init(
        name: String, function: RegisterFunction, address: Int, type: DataType, byteOrder: ByteOrder? = nil,
        scale: Double = 1, offset: Double = 0, unit: String = "", plausibleMinimum: Double? = nil,
        plausibleMaximum: Double? = nil, sentinels: Set<UInt64> = [], quantity: Quantity? = nil
    ) {
        self.name = name
        self.function = function
        self.address = address
        self.type = type
        self.byteOrder = byteOrder ?? type.defaultByteOrder
        self.scale = scale
        self.offset = offset
        self.unit = unit
        self.plausibleMinimum = plausibleMinimum
        self.plausibleMaximum = plausibleMaximum
        self.sentinels = sentinels
        self.quantity = quantity
    }

    /// How many table entries the point occupies: bits for coils and discrete inputs, else 16-bit registers.
    public var width: Int { function.isBitTable ? 1 : type.registerCount }

    /// The addresses the point occupies, `address ..< address + width`.
    public var span: Range<Int> { address..<(address + width) }
}
