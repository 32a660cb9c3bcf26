extension DevicePoller {
    /// Decodes one point from the reply to `request`; applies the point's plausible range.
    /// - Returns: the value, or no sample: `badData` when the reply is too short for the point, the codec's
    ///   reason (NaN, sentinel, …), or `outOfRange`.
    public static func decode(_ point: Point, of request: ReadRequest, from outcome: ReadOutcome) -> Reading {
        switch outcome {
        case .bits(let bits): PointDecoder(point).decode(bits: bits, start: request.start)
        case .registers(let registers): PointDecoder(point).decode(registers: registers, start: request.start)
        case .exception, .failed: .noSample(.init(.badData, detail: "no data"))
        }
    }

    /// Runs of adjacent points as separate requests; a request that is already one run becomes one request per
    /// point.
    static func split(_ slot: Slot, points: [Point]) -> [Slot] {
        var runs: [[Int]] = []
        for index in slot.pointIndices.sorted(by: { points[$0].address < points[$1].address }) {
            if let last = runs.last?.last, points[last].address + points[last].width == points[index].address {
                runs[runs.count - 1].append(index)
            } else {
                runs.append([index])
            }
        }
        let groups = runs.count > 1 ? runs : slot.pointIndices.map { [$0] }
        let request = slot.request
        return groups.compactMap { indices in
            guard let first = indices.first, let last = indices.last else { return nil }
            let start = points[first].address
            return Slot(
                request: ReadRequest(
                    device: request.device, unitID: request.unitID, function: request.function, start: start,
                    count: points[last].address + points[last].width - start, points: indices.map { points[$0].name }),
                pointIndices: indices)
        }
    }
}
