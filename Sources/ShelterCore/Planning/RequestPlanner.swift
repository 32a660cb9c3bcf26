/// Plans the fewest read requests that read every point of every device (Telegraf `request.go`). Pure and
/// deterministic: the same configuration always gives the same plan.
///
/// Rules (issue 3): requests are per device and per table; a point is never split across requests; a
/// request never exceeds 125 registers or 2000 bits (Modbus Application Protocol V1.1b3 §6.1–6.4) nor the
/// device's `maxRegistersPerRequest`; gaps of up to `maxGapRegisters` unread registers (16 × that many bits)
/// are read through to merge requests; a known hole is never read.
public enum RequestPlanner {
    /// One plan per bus, in the configuration's bus order.
    public static func plan(for configuration: SiteConfiguration) -> [PollPlan] {
        configuration.buses.map { bus in
            PollPlan(bus: bus.name, requests: configuration.devices(on: bus).flatMap(requests(for:)))
        }
    }

    /// The requests that read every point of one device.
    ///
    /// Greedy left to right over the points of each table sorted by address: extend the open request while
    /// the merged span stays within the caps, the gap stays within the bridge limit and no known hole lies in
    /// the gap. For points that must be read whole and in address order this gives the fewest requests.
    public static func requests(for device: Device) -> [ReadRequest] {
        var result: [ReadRequest] = []
        for function in RegisterFunction.allCases {
            let points = device.points.filter { $0.function == function }
                .sorted { ($0.address, $0.name) < ($1.address, $1.name) }
            guard let first = points.first else { continue }
            let cap =
                function.isBitTable
                ? function.maximumQuantityPerRead
                : min(function.maximumQuantityPerRead, device.maxRegistersPerRequest)
            let maxGap = function.isBitTable ? device.maxGapRegisters * 16 : device.maxGapRegisters
            let holes = device.knownHoles.filter { $0.function == function }.map(\.addresses)

            var start = first.address
            var end = first.span.upperBound
            var names = [first.name]
            func close() {
                result.append(
                    ReadRequest(
                        device: device.name, unitID: device.unitID, function: function,
                        start: start, count: end - start, points: names))
            }
            for point in points.dropFirst() {
                let newEnd = max(end, point.span.upperBound)
                let gap = point.address - end
                let gapRange = end..<max(end, point.address)
                let fits = newEnd - start <= cap && gap <= maxGap && !holes.contains { $0.overlaps(gapRange) }
                if fits {
                    end = newEnd
                    names.append(point.name)
                } else {
                    close()
                    start = point.address
                    end = point.span.upperBound
                    names = [point.name]
                }
            }
            close()
        }
        return result
    }
}
