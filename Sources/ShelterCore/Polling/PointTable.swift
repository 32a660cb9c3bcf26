/// Every point of a set of devices resolved once, at load time, and addressed by index (issue 13): the bus
/// worker's poll results and `SiteState` use the same indices, so the polling path hashes no names. Names
/// exist for output and for the boundary (tests, the CLI) only.
///
/// Order: devices in the order given (the site file's), each device's points in *plan order*
/// (`RequestPlanner.requests(for:)`: by table, then address), the order of `DevicePoller.points` and of
/// `DevicePollReport.readings`.
///
/// Immutable value; share it freely.
public struct PointTable: Sendable {
    /// Device names, by device index.
    public let deviceNames: [String]
    /// Every point, flat: device 0's points in plan order, then device 1's, …
    public let points: [Point]
    /// The flat index of each device's first point; `base[d]..<base[d + 1]` are device `d`'s points
    /// (`base.count` is the device count + 1).
    public let base: [Int]
    /// The device index of each flat point.
    public let deviceOfPoint: [Int]
    private let deviceIndices: [String: Int]
    private let pointIndices: [String: [String: Int]]

    /// Resolves `devices` (names unique, as validation guarantees).
    public init(devices: [Device]) {
        var names: [String] = []
        var points: [Point] = []
        var base: [Int] = []
        var deviceOfPoint: [Int] = []
        var deviceIndices: [String: Int] = [:]
        var pointIndices: [String: [String: Int]] = [:]
        for device in devices {
            let d = names.count
            names.append(device.name)
            deviceIndices[device.name] = d
            base.append(points.count)
            var byName: [String: Int] = [:]
            for point in Self.planOrder(of: device) {
                byName[point.name] = points.count - base[d]
                points.append(point)
                deviceOfPoint.append(d)
            }
            pointIndices[device.name] = byName
        }
        base.append(points.count)
        self.deviceNames = names
        self.points = points
        self.base = base
        self.deviceOfPoint = deviceOfPoint
        self.deviceIndices = deviceIndices
        self.pointIndices = pointIndices
    }

    /// Number of devices.
    public var deviceCount: Int { deviceNames.count }

    /// The device's index, or `nil` for a name not in the table (boundary use: hashes the name).
    public func deviceIndex(named name: String) -> Int? { deviceIndices[name] }

    /// The index of a point within its device (plan order), or `nil` (boundary use: hashes the names).
    public func pointIndex(device: String, point: String) -> Int? { pointIndices[device]?[point] }

    /// The flat index of a point, or `nil` (boundary use: hashes the names).
    public func flatIndex(device: String, point: String) -> Int? {
        guard let d = deviceIndices[device], let p = pointIndices[device]?[point] else { return nil }
        return base[d] + p
    }

    /// Number of points of device `d`.
    public func pointCount(ofDevice d: Int) -> Int { base[d + 1] - base[d] }

    /// A device's points in plan order: the points of each request of `RequestPlanner.requests(for:)` in turn.
    public static func planOrder(of device: Device) -> [Point] {
        planOrder(of: device, requests: RequestPlanner.requests(for: device))
    }

    /// A device's points in the order of `requests` (each request's points in turn); names not in the
    /// profile are left out.
    static func planOrder(of device: Device, requests: [ReadRequest]) -> [Point] {
        var byName: [String: Point] = [:]
        for point in device.points { byName[point.name] = point }
        return requests.flatMap { $0.points.compactMap { byName[$0] } }
    }
}
