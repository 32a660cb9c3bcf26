import Foundation
import ShelterCore

/// Checks a request body against the protocol: JSON that decodes into the payload type (types, required
/// keys, enum values, ISO 8601 dates) and then the rules the type cannot express (ids, ranges, the shelter
/// and gateway the caller is allowed to speak for). Every problem is collected with its JSON path, so a 400
/// answer lists them all.
struct PayloadValidator {
    /// The shelter named in the path.
    var shelterId: String
    /// The gateway the client certificate names.
    var gatewayId: String

    /// Decodes `body` as `T`, or returns the decoding problem as issues. `TapeJSONDecoder` reads the bodies
    /// it is sure about; `JSONDecoder` reads (and words the refusal of) every other.
    func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) -> Result<T, ErrorBody> {
        if let value = TapeJSONDecoder.decode(T.self, from: body, dateDecoding: RegistryJSON.decodeDate(from:)) {
            return .success(value)
        }
        return decodeWithFoundation(T.self, from: body)
    }

    /// `JSONDecoder`'s reading of a body the tape declined, or its refusal as issues.
    private func decodeWithFoundation<T: Decodable>(_ type: T.Type, from body: [UInt8]) -> Result<T, ErrorBody> {
        do {
            // Made only here: most bodies never need one.
            return .success(try RegistryJSON.makeDecoder().decode(T.self, from: Data(body)))
        } catch let error as DecodingError {
            return .failure(invalid([Self.issue(for: error)]))
        } catch {
            return .failure(invalid([.init(path: "", message: "not JSON: \(error)")]))
        }
    }

    /// Decodes `body` as a batch of `Element` as `decode` does. A batch the tape read comes with its
    /// `JSONArrayScanner.Scan` (`keys`: one element's schema), found in the same pass; one `JSONDecoder` read
    /// comes without, and the caller scans it.
    func decodeBatch<Element: Decodable>(
        _ type: Element.Type, from body: [UInt8], keys: KeyTree
    ) -> Result<(payloads: [Element], scan: JSONArrayScanner.Scan?), ErrorBody> {
        if let batch = TapeJSONDecoder.decodeBatch(
            Element.self, from: body, keys: keys, dateDecoding: RegistryJSON.decodeDate(from:))
        {
            return .success((batch.payloads, batch.scan))
        }
        return decodeWithFoundation([Element].self, from: body).map { ($0, nil) }
    }

    func invalid(_ issues: [ErrorBody.Issue]) -> ErrorBody {
        ErrorBody(
            code: .invalidBody, message: "the body does not match the protocol (\(issues.count) problem(s))",
            issues: issues)
    }

    // MARK: Rules per payload

    func issues(in reports: [StatusReport]) -> [ErrorBody.Issue] {
        var issues = batchIssues(count: reports.count)
        for (index, report) in reports.enumerated() {
            var check = IssueCollector(element: index)
            check.identifier(report.reportId, at: "reportId")
            check.owner(shelterId: report.shelterId, gatewayId: report.gatewayId, expected: self)
            check.require(report.sequence >= 1, at: "sequence", "must be ≥ 1")
            check.require(report.recordVersion >= 0, at: "recordVersion", "must be ≥ 0")
            check.require(report.capacity.registered >= 1, at: "capacity.registered", "must be ≥ 1")
            check.require((report.capacity.occupied ?? 0) >= 0, at: "capacity.occupied", "must be ≥ 0")
            check.require(
                (-840...840).contains(report.lastUpdate.utcOffsetMinutes), at: "lastUpdate.utcOffsetMinutes",
                "must be -840...840")
            for (position, result) in report.checks.enumerated() {
                check.checkId(result.checkId.rawValue, at: "checks[\(position)].checkId")
            }
            for (position, reading) in report.readings.enumerated() {
                check.require(!reading.device.isEmpty, at: "readings[\(position)].device", "must not be empty")
                check.require(!reading.point.isEmpty, at: "readings[\(position)].point", "must not be empty")
            }
            issues += check.issues
        }
        return issues
    }

    func issues(in alerts: [AlertEvent]) -> [ErrorBody.Issue] {
        var issues = batchIssues(count: alerts.count)
        for (index, alert) in alerts.enumerated() {
            var check = IssueCollector(element: index)
            check.identifier(alert.alertId, at: "alertId")
            check.identifier(alert.eventId, at: "eventId")
            check.owner(shelterId: alert.shelterId, gatewayId: alert.gatewayId, expected: self)
            for (position, reference) in alert.references.enumerated() {
                check.identifier(reference, at: "references[\(position)]")
            }
            check.require(!alert.event.isEmpty, at: "event", "must not be empty")
            check.require(!alert.headline.isEmpty, at: "headline", "must not be empty")
            check.checkId(alert.parameters.checkId.rawValue, at: "parameters.checkId")
            check.require(alert.parameters.capacity >= 1, at: "parameters.capacity", "must be ≥ 1")
            check.require((alert.parameters.occupancy ?? 0) >= 0, at: "parameters.occupancy", "must be ≥ 0")
            issues += check.issues
        }
        return issues
    }

    func issues(in heartbeat: HeartbeatRequest) -> [ErrorBody.Issue] {
        var check = IssueCollector(element: nil)
        check.owner(shelterId: heartbeat.shelterId, gatewayId: heartbeat.gatewayId, expected: self)
        check.require(
            !heartbeat.agentVersion.isEmpty && heartbeat.agentVersion.count <= 64, at: "agentVersion",
            "must be 1 to 64 characters")
        check.require(heartbeat.recordVersion >= 0, at: "recordVersion", "must be ≥ 0")
        check.require(heartbeat.outbox.depth >= 0, at: "outbox.depth", "must be ≥ 0")
        check.require(heartbeat.outbox.deadLetters >= 0, at: "outbox.deadLetters", "must be ≥ 0")
        check.require(heartbeat.outbox.evicted >= 0, at: "outbox.evicted", "must be ≥ 0")
        return check.issues
    }

    private func batchIssues(count: Int) -> [ErrorBody.Issue] {
        count == 0 ? [.init(path: "", message: "a batch holds at least one payload")] : []
    }

    static func issue(for error: DecodingError) -> ErrorBody.Issue {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .init(path: path(context.codingPath + [key]), message: "is required")
        case .typeMismatch(let type, let context):
            return .init(path: path(context.codingPath), message: "expected \(type)")
        case .valueNotFound(let type, let context):
            return .init(path: path(context.codingPath), message: "expected \(type), got null")
        case .dataCorrupted(let context):
            return .init(path: path(context.codingPath), message: context.debugDescription)
        @unknown default:
            return .init(path: "", message: "\(error)")
        }
    }
}

/// Collects issues under the path of one batch element, such as `[3]`, or of the whole body.
private struct IssueCollector {
    /// The element's index in the batch; `nil` for a body that is not a batch.
    let element: Int?
    var issues: [ErrorBody.Issue] = []

    /// `path` and `message` are built only for an issue: a batch of valid reports would otherwise interpolate
    /// a path for every check and reading.
    mutating func require(
        _ condition: Bool, at path: @autoclosure () -> String, _ message: @autoclosure () -> String
    ) {
        if !condition { issues.append(.init(path: join(path()), message: message())) }
    }

    mutating func identifier(_ id: String, at path: @autoclosure () -> String) {
        require(RegistryAPI.isValidIdentifier(id), at: path(), "not a valid id (1-128 of A-Z a-z 0-9 . _ : -)")
    }

    mutating func checkId(_ id: String, at path: @autoclosure () -> String) {
        let bytes = id.utf8
        let valid =
            bytes.count == 4 && bytes.starts(with: "C-".utf8)
            && bytes.dropFirst(2).allSatisfy { (0x30...0x39).contains($0) }
        require(valid, at: path(), "not a check id (C-nn)")
    }

    mutating func owner(shelterId: String, gatewayId: String, expected: PayloadValidator) {
        require(shelterId == expected.shelterId, at: "shelterId", "must be \(expected.shelterId) (the path's)")
        require(
            gatewayId == expected.gatewayId, at: "gatewayId",
            "must be \(expected.gatewayId) (the client certificate's)")
    }

    private func join(_ path: String) -> String {
        guard let element else { return path }
        return path.isEmpty ? "[\(element)]" : "[\(element)].\(path)"
    }
}
