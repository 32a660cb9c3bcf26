/// Which device point supplies which quantity, and for which registered facility.
///
/// For example generator `"gen1"`'s fuel level ← device `"genset"`, point `"fuel_level"`. Validated: the
/// device and point exist and the point reports in `quantity.expectedUnit`.
public struct QuantityBinding: Sendable, Hashable {
    /// The quantity supplied, e.g. `power.generator.fuel_level`.
    public let quantity: Quantity
    /// The registered facility it belongs to (a generator, battery or water tank name of the record);
    /// `nil` for site-wide quantities (mains, occupancy, sewage, switches).
    public let facility: String?
    /// Device name.
    public let device: String
    /// Point name within the device's profile.
    public let point: String

    public init(quantity: Quantity, facility: String? = nil, device: String, point: String) {
        self.quantity = quantity
        self.facility = facility
        self.device = device
        self.point = point
    }
}
