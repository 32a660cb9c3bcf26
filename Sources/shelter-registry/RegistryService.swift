import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ShelterCore

/// The registry's behaviour behind the routes: who may call, what a body must be, what is stored and answered.
struct RegistryService: Sendable {
    let store: any RegistryStore
    let directory: RegistryDirectory
    let faults: FaultInjector?
    let capture: CaptureWriter?
    let openAPIDocument: [UInt8]
    /// The keys `openAPIDocument` defines for the payloads stored as sent.
    let payloadKeys: PayloadKeys
    /// When set, gateways must also send `Authorization: Bearer <token>`.
    let gatewayToken: String?
    /// When set, a loopback caller with `Authorization: Bearer <token>` may use admin paths, unless its client
    /// certificate names a gateway: a gateway's key on the same machine must never reach admin paths.
    let adminToken: String?
    /// Tells the console's open pages about stored reports, alerts, heartbeats and decisions; `nil`: no console.
    var consoleFeed: ConsoleChangeFeed? = nil
    /// The registry's figures for `/metrics` (issue 17): gateways seen, store latency.
    var metrics = RegistryMetrics()

    /// Which gateway request a fault or capture applies to.
    enum GatewayOperation: String {
        case record, status, alerts, heartbeat

        var operationId: String {
            switch self {
            case .record: "getRecord"
            case .status: "postStatus"
            case .alerts: "postAlerts"
            case .heartbeat: "postHeartbeat"
            }
        }
    }

    func addRoutes(to router: Router<RegistryContext>) {
        router.get("/openapi.json") { _, context in
            // Like every API path, only for a caller with a verified client certificate: the TLS layer lets
            // browsers in without one (for the console), so the API checks it here.
            guard await context.clientCommonName() != nil else {
                return Self.error(.unauthorized, .unauthenticated, "a client certificate is required")
            }
            return Self.json(.ok, openAPIDocument)
        }
        router.get("/v1/shelters/:shelterId/record") { request, context in
            try await gateway(.record, request, context) { shelter, _ in
                try await record(shelterId: shelter, request: request)
            }
        }
        router.post("/v1/shelters/:shelterId/status") { request, context in
            try await gateway(.status, request, context) { shelter, gatewayId in
                try await batch(request, shelterId: shelter, gatewayId: gatewayId, operation: .status)
            }
        }
        router.post("/v1/shelters/:shelterId/alerts") { request, context in
            try await gateway(.alerts, request, context) { shelter, gatewayId in
                try await batch(request, shelterId: shelter, gatewayId: gatewayId, operation: .alerts)
            }
        }
        router.post("/v1/gateways/:gatewayId/heartbeat") { request, context in
            try await gateway(.heartbeat, request, context) { shelter, gatewayId in
                try await heartbeat(request, shelterId: shelter, gatewayId: gatewayId)
            }
        }
        router.put("/v1/admin/shelters/:shelterId/lifecycle") { request, context in
            try await admin(request, context) { actor in try await setLifecycle(request, context, actor: actor) }
        }
        router.put("/v1/admin/shelters/:shelterId/record") { request, context in
            try await admin(request, context) { actor in try await putRecord(request, context, actor: actor) }
        }
        router.get("/v1/admin/reports") { request, context in
            try await admin(request, context) {
                Self.json(.ok, try await store.reportsJSON(shelterId: request.uri.queryParameters.get("shelterId")))
            }
        }
        router.get("/v1/admin/alerts") { request, context in
            try await admin(request, context) {
                Self.json(.ok, try await store.alertsJSON(shelterId: request.uri.queryParameters.get("shelterId")))
            }
        }
        router.get("/v1/admin/heartbeats") { request, context in
            try await admin(request, context) { Self.json(.ok, try await store.heartbeatsJSON()) }
        }
        router.post("/v1/admin/faults") { request, context in
            try await admin(request, context) { try await injectFault(request) }
        }
        router.get("/v1/admin/alerts/:gatewayId/:alertId") { request, context in
            try await admin(request, context) { try await alertState(context, acknowledgeBy: nil, request) }
        }
        router.post("/v1/admin/alerts/:gatewayId/:alertId/acknowledgement") { request, context in
            try await admin(request, context) { actor in try await alertState(context, acknowledgeBy: actor, request) }
        }
        router.get("/v1/cap/:document") { request, context in
            try await admin(request, context) { try await cap(request, context) }
        }
    }

    // MARK: Gateway paths

    /// Authenticates the gateway (client certificate CN, optional token), checks it may speak for the path's
    /// shelter or gateway, applies any injected fault, then runs `handle(shelterId, gatewayId)`.
    private func gateway(
        _ operation: GatewayOperation, _ request: Request, _ context: RegistryContext,
        handle: (String, String) async throws -> Response
    ) async throws -> Response {
        guard let gatewayId = await context.clientCommonName() else {
            return Self.error(.unauthorized, .unauthenticated, "a client certificate is required")
        }
        guard let shelterId = directory.gateways[gatewayId] else {
            context.logger.warning("unknown gateway refused", metadata: ["gateway.id": "\(gatewayId)"])
            return Self.error(.forbidden, .forbidden, "gateway \(gatewayId) is not registered")
        }
        if let gatewayToken, Self.bearer(request) != gatewayToken {
            return Self.error(.unauthorized, .unauthenticated, "a valid bearer token is required")
        }
        metrics.gatewaySeen(gatewayId)
        if let pathShelter = context.parameters.get("shelterId"), pathShelter != shelterId {
            return Self.error(.forbidden, .forbidden, "gateway \(gatewayId) does not serve shelter \(pathShelter)")
        }
        if let pathGateway = context.parameters.get("gatewayId"), pathGateway != gatewayId {
            return Self.error(.forbidden, .forbidden, "the client certificate names gateway \(gatewayId)")
        }
        if let fault = await faults?.take(for: operation.rawValue) {
            return try await Self.respond(to: fault)
        }
        return try await handle(shelterId, gatewayId)
    }

    private func record(shelterId: String, request: Request) async throws -> Response {
        guard let shelter = try await metrics.timeStore("shelter", { try await store.shelter(shelterId) }) else {
            return Self.error(.notFound, .notFound, "no shelter \(shelterId)")
        }
        guard let filed = shelter.record else {
            return Self.error(
                .notFound, .notFound,
                "shelter \(shelterId) has no filed record at this registry: the bureau files it with "
                    + "PUT /v1/admin/shelters/\(shelterId)/record; until then the site file's filing applies")
        }
        let etag = RecordVersion.etag(filed.recordVersion)
        if request.headers[.ifNoneMatch].map({ Self.etags($0).contains(etag) || $0 == "*" }) == true {
            return Response(status: .notModified, headers: [.eTag: etag])
        }
        var response = Self.json(.ok, Array(try RegistryJSON.makeEncoder().encode(filed)))
        response.headers[.eTag] = etag
        return response
    }

    private func batch(
        _ request: Request, shelterId: String, gatewayId: String, operation: GatewayOperation
    )
        async throws -> Response
    {
        let body: [UInt8]
        switch try await Self.jsonBody(request) {
        case .success(let bytes): body = bytes
        case .failure(let error): return error.response
        }
        await capture?.write(body, operationId: operation.operationId)
        let validator = PayloadValidator(shelterId: shelterId, gatewayId: gatewayId)
        let result: BatchResult
        switch operation {
        case .status:
            switch validator.decodeBatch(StatusReport.self, from: body, keys: payloadKeys.statusReport) {
            case .failure(let error): return Self.error(.badRequest, error)
            case .success(let ((reports, scan))):
                if let tooMany = Self.tooMany(reports.count) { return tooMany }
                let (received, duplicateKeys) = try Self.received(
                    reports, in: body, scan: scan, keys: payloadKeys.statusReport)
                let issues = duplicateKeys + validator.issues(in: reports)
                guard issues.isEmpty else { return Self.error(.badRequest, validator.invalid(issues)) }
                result = try await metrics.timeStore("reports") {
                    try await store.store(reports: received, gatewayId: gatewayId, at: Date())
                }
                if result.accepted > 0 { await consoleFeed?.publish(.report) }
            }
        case .alerts:
            switch validator.decodeBatch(AlertEvent.self, from: body, keys: payloadKeys.alertEvent) {
            case .failure(let error): return Self.error(.badRequest, error)
            case .success(let ((alerts, scan))):
                if let tooMany = Self.tooMany(alerts.count) { return tooMany }
                let (received, duplicateKeys) = try Self.received(
                    alerts, in: body, scan: scan, keys: payloadKeys.alertEvent)
                let issues = duplicateKeys + validator.issues(in: alerts)
                guard issues.isEmpty else { return Self.error(.badRequest, validator.invalid(issues)) }
                result = try await metrics.timeStore("alerts") {
                    try await store.store(alerts: received, gatewayId: gatewayId, at: Date())
                }
                if result.accepted > 0 { await consoleFeed?.publish(.alert) }
            }
        case .record, .heartbeat:
            preconditionFailure("batch() is only routed for status and alerts")
        }
        return Self.json(.ok, Array(try RegistryJSON.makeEncoder().encode(result)))
    }

    private func heartbeat(_ request: Request, shelterId: String, gatewayId: String) async throws -> Response {
        let body: [UInt8]
        switch try await Self.jsonBody(request) {
        case .success(let bytes): body = bytes
        case .failure(let error): return error.response
        }
        await capture?.write(body, operationId: GatewayOperation.heartbeat.operationId)
        let validator = PayloadValidator(shelterId: shelterId, gatewayId: gatewayId)
        switch validator.decode(HeartbeatRequest.self, from: body) {
        case .failure(let error):
            return Self.error(.badRequest, error)
        case .success(let heartbeat):
            let issues = validator.issues(in: heartbeat)
            guard issues.isEmpty else { return Self.error(.badRequest, validator.invalid(issues)) }
            let now = Date()
            guard
                let shelter = try await metrics.timeStore(
                    "heartbeat",
                    {
                        try await store.store(heartbeat: heartbeat, shelterId: shelterId, at: now)
                    })
            else {
                return Self.error(.notFound, .notFound, "no shelter \(shelterId)")
            }
            await consoleFeed?.publish(.heartbeat)
            let answer = HeartbeatResponse(
                shelterId: shelterId, lifecycle: shelter.lifecycle, isDrill: shelter.isDrill,
                recordVersion: shelter.recordVersion, serverTime: now)
            return Self.json(.ok, Array(try RegistryJSON.makeEncoder().encode(answer)))
        }
    }

    // MARK: Admin paths

    /// Runs `handle(actor)` for an operator: a client certificate whose CN is an operator's (the actor is that
    /// name), or the admin token from loopback with a certificate that names no gateway (the actor is
    /// `admin-token:<CN>`). Every other caller gets 403.
    private func admin(
        _ request: Request, _ context: RegistryContext, handle: (String) async throws -> Response
    )
        async throws -> Response
    {
        guard let name = await context.clientCommonName() else {
            return Self.error(.unauthorized, .unauthenticated, "a client certificate is required")
        }
        if directory.operators.contains(name) { return try await handle(name) }
        let namesGateway = directory.gateways[name] != nil
        guard let adminToken, context.isLoopbackPeer, !namesGateway, Self.bearer(request) == adminToken else {
            let reason =
                namesGateway
                ? "the admin token is not accepted with a gateway's certificate (\(name))"
                : "admin paths need an operator certificate or the admin token from loopback"
            return Self.error(.forbidden, .forbidden, reason)
        }
        return try await handle("admin-token:\(name)")
    }

    private func admin(
        _ request: Request, _ context: RegistryContext, handle: () async throws -> Response
    )
        async throws -> Response
    {
        try await admin(request, context) { _ in try await handle() }
    }

    private func setLifecycle(_ request: Request, _ context: RegistryContext, actor: String) async throws -> Response {
        let shelterId = context.parameters.get("shelterId") ?? ""
        let body: [UInt8]
        switch try await Self.jsonBody(request) {
        case .success(let bytes): body = bytes
        case .failure(let error): return error.response
        }
        let validator = PayloadValidator(shelterId: shelterId, gatewayId: "")
        switch validator.decode(LifecycleChange.self, from: body) {
        case .failure(let error):
            return Self.error(.badRequest, error)
        case .success(let change):
            guard let status = try await store.setLifecycle(shelterId: shelterId, change, by: actor, at: Date()) else {
                return Self.error(.notFound, .notFound, "no shelter \(shelterId)")
            }
            await consoleFeed?.publish(.lifecycle)
            context.logger.info(
                "lifecycle set", metadata: ["shelter.id": "\(shelterId)", "lifecycle.state": "\(status.state)"])
            return Self.json(.ok, Array(try RegistryJSON.makeEncoder().encode(status)))
        }
    }

    private func putRecord(_ request: Request, _ context: RegistryContext, actor: String) async throws -> Response {
        let shelterId = context.parameters.get("shelterId") ?? ""
        let body: [UInt8]
        switch try await Self.jsonBody(request) {
        case .success(let bytes): body = bytes
        case .failure(let error): return error.response
        }
        switch PayloadValidator(shelterId: shelterId, gatewayId: "").decode(ShelterRecord.self, from: body) {
        case .failure(let error):
            return Self.error(.badRequest, error)
        case .success(let record):
            guard record.id == shelterId else {
                return Self.error(
                    .badRequest,
                    ErrorBody(
                        code: .invalidBody, message: "id must be the path's",
                        issues: [.init(path: "id", message: "must be \(shelterId)")]))
            }
            guard record.capacity >= 1, record.effectiveArea > 0 else {
                return Self.error(.badRequest, .invalidBody, "capacity must be ≥ 1 and effectiveArea > 0")
            }
            guard let stored = try await store.replaceRecord(record, by: actor, at: Date()) else {
                return Self.error(.notFound, .notFound, "no shelter \(shelterId)")
            }
            var response = Self.json(.ok, Array(try RegistryJSON.makeEncoder().encode(stored)))
            response.headers[.eTag] = RecordVersion.etag(stored.recordVersion)
            return response
        }
    }

    private func injectFault(_ request: Request) async throws -> Response {
        guard let faults else {
            return Self.error(.notFound, .notFound, "fault injection is off (--enable-fault-injection)")
        }
        let body: [UInt8]
        switch try await Self.jsonBody(request) {
        case .success(let bytes): body = bytes
        case .failure(let error): return error.response
        }
        switch PayloadValidator(shelterId: "", gatewayId: "").decode(FaultInjector.Fault.self, from: body) {
        case .failure(let error):
            return Self.error(.badRequest, error)
        case .success(let fault):
            let issues = fault.issues
            guard issues.isEmpty else {
                return Self.error(.badRequest, ErrorBody(code: .invalidBody, message: "bad fault", issues: issues))
            }
            await faults.add(fault)
            return Response(status: .noContent)
        }
    }

    /// `GET /v1/admin/alerts/{gatewayId}/{alertId}`: the alert's current state; with `acknowledgeBy`
    /// (`POST …/acknowledgement`, body `{"note": "…"}`), records the acknowledgement first.
    private func alertState(
        _ context: RegistryContext, acknowledgeBy actor: String?, _ request: Request
    )
        async throws -> Response
    {
        let gatewayId = context.parameters.get("gatewayId") ?? ""
        let alertId = context.parameters.get("alertId") ?? ""
        let state: AlertState?
        if let actor {
            let body: [UInt8]
            switch try await Self.jsonBody(request) {
            case .success(let bytes): body = bytes
            case .failure(let error): return error.response
            }
            struct Acknowledgement: Decodable { var note: String? }
            switch PayloadValidator(shelterId: "", gatewayId: "").decode(Acknowledgement.self, from: body) {
            case .failure(let error): return Self.error(.badRequest, error)
            case .success(let acknowledgement):
                state = try await store.acknowledge(
                    gatewayId: gatewayId, alertId: alertId, by: actor, note: acknowledgement.note ?? "", at: Date())
                await consoleFeed?.publish(.acknowledgement)
            }
        } else {
            state = try await store.alertState(gatewayId: gatewayId, alertId: alertId)
        }
        guard let state else { return Self.error(.notFound, .notFound, "no alert \(alertId) from \(gatewayId)") }
        return Self.json(.ok, Array(try RegistryJSON.makeEncoder().encode(state)))
    }

    /// `GET /v1/cap/{eventId}.xml[?sender=GATEWAY]` (one event as a CAP 1.2 alert) and `GET /v1/cap/feed.atom`.
    private func cap(_ request: Request, _ context: RegistryContext) async throws -> Response {
        let document = context.parameters.get("document") ?? ""
        if document == "feed.atom" {
            let feed = CAPFeed(entries: try await store.openAlerts(limit: 500), now: Date())
            return Self.text(.ok, CAPFeed.contentType, feed.xml())
        }
        guard document.hasSuffix(".xml"), document.count > 4 else {
            return Self.error(.notFound, .notFound, "CAP documents are /v1/cap/{eventId}.xml and /v1/cap/feed.atom")
        }
        let eventId = String(document.dropLast(4))
        let sender = request.uri.queryParameters.get("sender")
        let matches = try await store.alertEvents(eventId: eventId).filter {
            sender == nil || $0.event.gatewayId == sender
        }
        guard let match = matches.first else {
            return Self.error(.notFound, .notFound, "no alert event \(eventId)")
        }
        guard matches.count == 1 else {
            let senders = matches.map(\.event.gatewayId).joined(separator: ", ")
            return Self.error(
                .conflict, .invalidIdentifier, "event \(eventId) was sent by \(senders): add ?sender=GATEWAY")
        }
        guard let capDocument = try await CAPDocument.load(eventId: eventId, sender: match.event.gatewayId, from: store)
        else { return Self.error(.notFound, .notFound, "no alert event \(eventId)") }
        return Self.text(.ok, CAPDocument.contentType, capDocument.xml())
    }

    // MARK: Helpers

    static func text(_ status: HTTPResponse.Status, _ contentType: String, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: contentType + "; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private static func respond(to fault: FaultInjector.Fault) async throws -> Response {
        if fault.hang == true {
            try await Task.sleep(for: .seconds(fault.hangSeconds ?? 3600))
        }
        let status = HTTPResponse.Status(code: fault.status ?? 503)
        let code: ErrorBody.Code =
            switch status.code {
            case 429: .rateLimited
            case 503: .unavailable
            case 500...: .internal
            default: .invalidBody
            }
        var response = error(status, code, "injected fault")
        if let retryAfter = fault.retryAfterSeconds { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    /// Collects a JSON body up to `RegistryAPI.maximumBodySize`, or the error answer.
    private static func jsonBody(_ request: Request) async throws -> Result<[UInt8], ErrorResponse> {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") else {
            return .failure(ErrorResponse(error(.unsupportedMediaType, .unsupportedMediaType, "send application/json")))
        }
        do {
            let buffer = try await request.body.collect(upTo: RegistryAPI.maximumBodySize)
            return .success(Array(buffer.readableBytesView))
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // NIOTooManyBytesError from collect(upTo:), which Hummingbird would answer with an empty 413.
            return .failure(
                ErrorResponse(Self.error(.contentTooLarge, .tooLarge, "body over \(RegistryAPI.maximumBodySize) bytes"))
            )
        }
    }

    /// Pairs each decoded payload with the bytes to store for it, the gateway's own array element
    /// (`JSONArrayScanner`, or the `scan` the tape found while decoding), and the duplicate keys that refuse
    /// the batch. An element holding a key its schema (`keys`) does not define, which the decoder ignored, and
    /// every element of a body the scanner cannot walk (the decoder read it, so a byte-order mark or UTF-16)
    /// are stored in the canonical encoding instead.
    private static func received<Payload: Encodable & Sendable>(
        _ payloads: [Payload], in body: [UInt8], scan: JSONArrayScanner.Scan?, keys: KeyTree
    ) throws -> (received: [Received<Payload>], duplicateKeys: [ErrorBody.Issue]) {
        let encoder = RegistryJSON.makeEncoder()
        guard let scan = scan ?? JSONArrayScanner.scan(body, keys: keys), scan.elements.count == payloads.count
        else {
            return (try payloads.map { Received(payload: $0, body: Array(try encoder.encode($0))) }, [])
        }
        var received: [Received<Payload>] = []
        received.reserveCapacity(payloads.count)
        for (index, payload) in payloads.enumerated() {
            let stored = scan.hasUndefinedKeys[index] ? Array(try encoder.encode(payload)) : scan.elements[index]
            received.append(Received(payload: payload, body: stored))
        }
        return (received, scan.duplicateKeys)
    }

    private static func tooMany(_ count: Int) -> Response? {
        count > RegistryAPI.maximumBatchCount
            ? error(.contentTooLarge, .tooLarge, "batch over \(RegistryAPI.maximumBatchCount) payloads") : nil
    }

    private static func bearer(_ request: Request) -> String? {
        guard let value = request.headers[.authorization], value.hasPrefix("Bearer ") else { return nil }
        return String(value.dropFirst("Bearer ".count))
    }

    private static func etags(_ header: String) -> [String] {
        header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    static func json(_ status: HTTPResponse.Status, _ bytes: [UInt8]) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func error(_ status: HTTPResponse.Status, _ code: ErrorBody.Code, _ message: String) -> Response {
        error(status, ErrorBody(code: code, message: message))
    }

    static func error(_ status: HTTPResponse.Status, _ body: ErrorBody) -> Response {
        json(status, (try? Array(RegistryJSON.makeEncoder().encode(body))) ?? Array("{}".utf8))
    }
}

/// An error answer carried through a `Result`.
struct ErrorResponse: Error {
    var response: Response
    init(_ response: Response) { self.response = response }
}

/// Writes every gateway request body as received to `<dir>/<n>.<operationId>.json`, so a test can check
/// everything the agent sent against the OpenAPI document (`Scripts/validate-payloads --capture DIR`).
actor CaptureWriter {
    private let directory: URL
    private var count = 0

    init(directory: String) throws {
        self.directory = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
    }

    func write(_ body: [UInt8], operationId: String) {
        count += 1
        let name = String(repeating: "0", count: max(0, 6 - String(count).count)) + "\(count).\(operationId).json"
        try? Data(body).write(to: directory.appendingPathComponent(name), options: .atomic)
    }
}
