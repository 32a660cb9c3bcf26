extension DeviceProfile {
    /// Validates a profile file into a typed register map.
    /// - Parameters:
    ///   - raw: the parsed file.
    ///   - name: the profile name (file name without `.toml`).
    ///   - file: the file as shown in issues.
    /// - Returns: the profile, or `nil` with at least one issue. Key paths are `points[i].key`.
    public static func validate(
        _ raw: ProfileFile, name: String, file: String
    ) -> (DeviceProfile?, [ConfigurationIssue]) {
        var collector = IssueCollector(file: file)
        let vendor = collector.requireText(raw.vendor, "vendor", fix: "add `vendor = \"…\"` (the manufacturer)")
        let model = collector.requireText(raw.model, "model", fix: "add `model = \"…\"`")
        let document = collector.requireText(
            raw.document, "document", fix: "name the public register document the map was taken from")
        if raw.points?.isEmpty ?? true {
            collector.add("points", "", "the profile has no points", fix: "add at least one `[[points]]` table")
        }
        let points = validatePoints(raw.points ?? [], pathPrefix: "points", into: &collector)
        guard collector.issues.isEmpty, let vendor, let model, let document, let points else {
            return (nil, collector.issues)
        }
        return (DeviceProfile(name: name, vendor: vendor, model: model, document: document, points: points), [])
    }

    /// Quantities whose points must be booleans (a coil, discrete input or register bit).
    static let booleanQuantities: Set<Quantity> = [
        .mainsPresent, .generatorRunning, .generatorOnLoad, .activationSwitch, .doorOpen,
    ]

    /// Validates a list of points; returns `nil` if any point has an issue (all are reported).
    static func validatePoints(
        _ raw: [ProfileFile.Point], pathPrefix: String, into collector: inout IssueCollector
    ) -> [Point]? {
        let before = collector.issues.count
        collector.checkUnique(raw.map(\.name), path: { "\(pathPrefix)[\($0)].name" }, what: "point")
        var points: [(index: Int, point: Point)] = []
        for (index, rawPoint) in raw.enumerated() {
            if let point = validatePoint(rawPoint, path: "\(pathPrefix)[\(index)]", into: &collector) {
                points.append((index, point))
            }
        }
        checkOverlaps(points, pathPrefix: pathPrefix, into: &collector)
        return collector.issues.count == before ? points.map(\.point) : nil
    }

    private static func validatePoint(
        _ raw: ProfileFile.Point, path: String, into collector: inout IssueCollector
    ) -> Point? {
        let before = collector.issues.count
        let name = collector.requireText(raw.name, "\(path).name", fix: "add `name = \"…\"`, unique in the map")
        var function: RegisterFunction?
        if let text = collector.require(
            raw.function, "\(path).function", fix: "add `function = \"holding\"` (or input, coil, discrete)")
        {
            function = RegisterFunction(rawValue: text.lowercased())
            if function == nil {
                collector.add(
                    "\(path).function", quoted(text), "unknown register function",
                    fix: "use one of holding, input, coil, discrete")
            }
        }
        let address = collector.integer(raw.address, "\(path).address", in: 0...65535, required: true)

        var type: DataType?
        if let text = raw.type {
            type = DataType(name: text)
            if type == nil {
                collector.add(
                    "\(path).type", quoted(text), "unknown data type",
                    fix:
                        "use INT16, UINT16, INT32, UINT32, INT64, UINT64, FLOAT16, FLOAT32, FLOAT64, BITn (0-15), STRINGn or BOOL"
                )
            }
        } else if let function {
            type = function.isBitTable ? .boolean : .uint16
        }
        if let text = raw.stringLayout {
            if let layout = StringLayout(rawValue: text.lowercased()) {
                if case .string(let registers, _) = type {
                    type = .string(registers: registers, layout: layout)
                } else if let type {
                    collector.add(
                        "\(path).string_layout", quoted(text), "applies to STRINGn points only, not \(type.name)",
                        fix: "remove the key, or use type = \"STRINGn\"")
                }
            } else {
                collector.add(
                    "\(path).string_layout", quoted(text), "unknown string layout",
                    fix: "use \"packed\" (two characters a register, the default), \"low_byte\" or \"high_byte\" "
                        + "(one character a register, the other byte 0)")
            }
        }
        if let function, let type {
            if function.isBitTable, type != .boolean {
                collector.add(
                    "\(path).type", quoted(type.name), "a \(function.rawValue) point holds one bit",
                    fix: "use type = \"BOOL\" (or omit type)")
                return nil
            }
            if !function.isBitTable, type == .boolean {
                collector.add(
                    "\(path).type", quoted(type.name), "BOOL is for coils and discrete inputs",
                    fix: "use BITn to read one bit of a register")
                return nil
            }
        }

        var order: ByteOrder?
        if let text = raw.byteOrder {
            order = ByteOrder(rawValue: text.uppercased())
            if order == nil {
                collector.add(
                    "\(path).byte_order", quoted(text), "unknown byte order",
                    fix: "use AB, BA, ABCD, CDAB, BADC, DCBA, ABCDEFGH, HGFEDCBA, BADCFEHG or GHEFCDAB")
            } else if let type, let order, !type.accepts(order) {
                collector.add(
                    "\(path).byte_order", quoted(text),
                    "\(type.name) occupies \(type.registerCount) register\(type.registerCount == 1 ? "" : "s") but byte order \(order.rawValue) describes \(order.registerCount)",
                    fix:
                        "use a byte order of \(type.registerCount) register\(type.registerCount == 1 ? "" : "s") such as \(type.defaultByteOrder.rawValue), or a type that fits \(order.rawValue)"
                )
            }
        }

        if let address, let function, let type {
            let width = function.isBitTable ? 1 : type.registerCount
            if address + width > 65536 {
                collector.add(
                    "\(path).address", String(address),
                    "\(type.name) needs \(width) registers and runs past address 65535",
                    fix: "use an address of at most \(65536 - width)")
            }
        }

        let scale = raw.scale ?? 1
        if !scale.isFinite || scale == 0 {
            collector.add(
                "\(path).scale", format(scale), "scale must be a finite, non-zero number",
                fix: "use the vendor's multiplier, e.g. 0.1 for tenths")
        }
        let offset = raw.offset ?? 0
        if !offset.isFinite {
            collector.add("\(path).offset", format(offset), "offset must be finite", fix: "use a finite number")
        }
        for (key, value) in [("plausible_min", raw.plausibleMin), ("plausible_max", raw.plausibleMax)] {
            if let value, !value.isFinite {
                collector.add("\(path).\(key)", format(value), "must be finite", fix: "use a finite number")
            }
        }
        if let low = raw.plausibleMin, let high = raw.plausibleMax, low.isFinite, high.isFinite, low > high {
            collector.add(
                "\(path).plausible_max", format(high),
                "plausible_max must not be less than plausible_min (\(format(low)))",
                fix: "swap the two or widen the range")
        }

        var sentinels: Set<UInt64> = []
        if let rawSentinels = raw.sentinels, let type {
            let bits = min(64, type.registerCount * 16)
            let isBitValued: Bool = if case .bit = type { true } else { type == .boolean }
            for (index, sentinel) in rawSentinels.enumerated() {
                let fits = sentinel >= 0 && (bits == 64 || UInt64(sentinel) < (UInt64(1) << UInt64(bits)))
                if isBitValued || !fits {
                    collector.add(
                        "\(path).sentinels[\(index)]", String(sentinel),
                        isBitValued
                            ? "a boolean point has no sentinel values"
                            : "does not fit the \(bits)-bit raw value of \(type.name)",
                        fix: "give raw register values as unsigned integers, e.g. 0xFFFF")
                } else {
                    sentinels.insert(UInt64(sentinel))
                }
            }
        }

        var quantity: Quantity?
        if let text = raw.quantity {
            let candidate = Quantity(rawValue: text)
            if !candidate.isStandard {
                collector.add(
                    "\(path).quantity", quoted(text), "unknown quantity",
                    fix: "use a standard quantity such as \(closest(to: text)) or omit the key")
            } else {
                quantity = candidate
                if let expected = candidate.expectedUnit, (raw.unit ?? "") != expected {
                    collector.add(
                        "\(path).unit", quoted(raw.unit ?? ""),
                        "\(text) is reported in \(expected)",
                        fix: "set unit = \"\(expected)\" and a scale that converts the raw value to \(expected)")
                }
                if booleanQuantities.contains(candidate), let type, !type.isBoolean {
                    collector.add(
                        "\(path).type", quoted(type.name), "\(text) is a boolean quantity",
                        fix: "read it from a coil, a discrete input or a register bit (BITn)")
                }
            }
        }

        guard collector.issues.count == before, let name, let function, let address, let type else { return nil }
        return Point(
            name: name, function: function, address: address, type: type, byteOrder: order, scale: scale,
            offset: offset, unit: raw.unit ?? "", plausibleMinimum: raw.plausibleMin,
            plausibleMaximum: raw.plausibleMax, sentinels: sentinels, quantity: quantity)
    }

    private static func checkOverlaps(
        _ points: [(index: Int, point: Point)], pathPrefix: String, into collector: inout IssueCollector
    ) {
        for (later, entry) in points.enumerated() {
            for earlier in points[..<later] {
                let a = earlier.point
                let b = entry.point
                guard a.function == b.function, a.span.overlaps(b.span) else { continue }
                if case .bit(let m) = a.type, case .bit(let n) = b.type, a.address == b.address, m != n { continue }
                collector.add(
                    "\(pathPrefix)[\(entry.index)].address", String(b.address),
                    "overlaps point \"\(a.name)\" (\(a.function.rawValue) \(a.span.lowerBound)...\(a.span.upperBound - 1))",
                    fix: "check the address against the vendor document; two values cannot share a register")
            }
        }
    }

    /// The standard quantity whose name shares the longest prefix with `text`, for fix hints.
    static func closest(to text: String) -> String {
        let best = Quantity.all.max { a, b in
            a.rawValue.commonPrefix(with: text).count < b.rawValue.commonPrefix(with: text).count
        }
        return best?.rawValue ?? "power.mains.voltage"
    }
}

extension DataType {
    /// Whether values of this type are booleans (a coil/discrete input or a register bit).
    var isBoolean: Bool {
        switch self {
        case .boolean, .bit: true
        default: false
        }
    }
}

extension String {
    /// The longest common prefix of two strings.
    func commonPrefix(with other: String) -> Substring {
        var end = startIndex
        var otherIndex = other.startIndex
        while end < endIndex, otherIndex < other.endIndex, self[end] == other[otherIndex] {
            end = index(after: end)
            otherIndex = other.index(after: otherIndex)
        }
        return self[..<end]
    }
}
