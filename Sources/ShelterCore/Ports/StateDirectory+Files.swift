public import FoundationEssentials

extension StateDirectory {
    /// Alerts raised by an agent before outbox schema 3 and not cancelled, oldest onset first; none when the
    /// file is missing or unreadable. Only for the outbox to adopt them once (`StateFile.activeAlerts`).
    public func loadActiveAlerts() -> [AlertEvent] {
        (decode([AlertEvent].self, from: .activeAlerts) ?? []).sorted { $0.onset < $1.onset }
    }

    /// The registry's last lifecycle word saved by an earlier run, if any.
    public func loadLifecycle() -> LifecycleChange? { decode(LifecycleChange.self, from: .lifecycle) }

    /// Saves the registry's lifecycle word.
    public func saveLifecycle(_ change: LifecycleChange) throws { try encode(change, to: .lifecycle) }

    /// The people counters saved by an earlier run, if any.
    public func loadOccupancy() -> OccupancyCounter? { decode(OccupancyCounter.self, from: .occupancy) }

    /// Saves the people counters.
    public func saveOccupancy(_ counter: OccupancyCounter) throws { try encode(counter, to: .occupancy) }

    /// The cached record and its `ETag`, not validated; `nil` when there is none or it cannot be decoded.
    public func loadRecord() -> (record: ShelterRecord, entityTag: String?)? {
        guard let record = decode(ShelterRecord.self, from: .record) else { return nil }
        let tag = read(.recordEntityTag).map { String(decoding: $0, as: UTF8.self) }
        return (record, tag?.isEmpty == false ? tag : nil)
    }

    /// Caches a record (validated by the caller) and its `ETag`.
    public func saveRecord(_ record: ShelterRecord, entityTag: String?) throws {
        try encode(record, to: .record)
        try write(Array((entityTag ?? "").utf8), to: .recordEntityTag)
    }

    private func decode<T: Decodable>(_ type: T.Type, from file: StateFile) -> T? {
        guard let bytes = read(file) else { return nil }
        return try? RegistryJSON.makeDecoder().decode(type, from: Data(bytes))
    }

    private func encode(_ value: some Encodable, to file: StateFile) throws {
        try write(Array(RegistryJSON.makeEncoder().encode(value)), to: file)
    }
}
