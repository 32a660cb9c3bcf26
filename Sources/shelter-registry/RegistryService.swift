import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ShelterCore

/// The registry's behaviour behind the routes: who may call, what a body must be, what is stored and answered.
struct RegistryService: Sendable {
    let store: RegistryStore
    let directory: RegistryDirectory
    let faults: FaultInjector?
    let capture: CaptureWriter?
    let openAPIDocument: [UInt8]
    /// When set, gateways must also send `Authorization: Bearer <token>`.
    let gatewayToken: String?
    /// When set, a loopback caller with `Authorization: Bearer <token>` may use admin paths.
    let adminToken: String?

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
        router.get("/openapi.json") { _, _ in
            Self.json(.ok, openAPIDocument)
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
            try await admin(request, context) { try await setLifecycle(request, context) }
        }
        router.put("/v1/admin/shelters/:shelterId/record") { request, context in
            try await admin(request, context) { try await putRecord(request, context) }
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
        guard let shelter = try await store.shelter(shelterId) else {
            return Self.error(.notFound, .notFound, "no shelter \(shelterId)")
        }
        let etag = "\"v\(shelter.record.recordVersion)\""
        if request.headers[.ifNoneMatch].map({ Self.etags($0).contains(etag) || $0 == "*" }) == true {
            return Response(status: .notModified, headers: [.eTag: etag])
        }
        var response = Self.json(.ok, Array(try RegistryJSON.makeEncoder().encode(shelter.record)))
        response.headers[.eTag] = etag
        return response
    }

    private func batch(_ request: Request, shelterId: String, gatewayId: String, operation: GatewayOperation)
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
            switch validator.decode([StatusReport].self, from: body) {
            case .failure(let error): return Self.error(.badRequest, error)
            case .success(let reports):
                if let tooMany = Self.tooMany(reports.count) { return tooMany }
                let issues = validator.issues(in: reports)
                guard issues.isEmpty else { return Self.error(.badRequest, validator.invalid(issues)) }
                result = try await store.store(reports: reports, at: Date())
            }
        case .alerts:
            switch validator.decode([AlertEvent].self, from: body) {
            case .failure(let error): return Self.error(.badRequest, error)
            case .success(let alerts):
                if let tooMany = Self.tooMany(alerts.count) { return tooMany }
                let issues = validator.issues(in: alerts)
                guard issues.isEmpty else { return Self.error(.badRequest, validator.invalid(issues)) }
                result = try await store.store(alerts: alerts, at: Date())
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
            try await store.store(heartbeat: heartbeat, at: now)
            guard let shelter = try await store.shelter(shelterId) else {
                return Self.error(.notFound, .notFound, "no shelter \(shelterId)")
            }
            let answer = HeartbeatResponse(
                shelterId: shelterId, lifecycle: shelter.lifecycle, isDrill: shelter.isDrill,
                recordVersion: shelter.record.recordVersion, serverTime: now)
            return Self.json(.ok, Array(try RegistryJSON.makeEncoder().encode(answer)))
        }
    }

    // MARK: Admin paths

    private func admin(_ request: Request, _ context: RegistryContext, handle: () async throws -> Response)
        async throws -> Response
    {
        let name = await context.clientCommonName()
        let isOperator = name.map(directory.operators.contains) ?? false
        let hasToken = adminToken != nil && context.isLoopbackPeer && Self.bearer(request) == adminToken
        guard isOperator || hasToken else {
            return Self.error(.forbidden, .forbidden, "admin paths need an operator certificate or the admin token")
        }
        return try await handle()
    }

    private func setLifecycle(_ request: Request, _ context: RegistryContext) async throws -> Response {
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
            guard let status = try await store.setLifecycle(shelterId: shelterId, change) else {
                return Self.error(.notFound, .notFound, "no shelter \(shelterId)")
            }
            context.logger.info(
                "lifecycle set", metadata: ["shelter.id": "\(shelterId)", "lifecycle.state": "\(status.state)"])
            return Self.json(.ok, Array(try RegistryJSON.makeEncoder().encode(status)))
        }
    }

    private func putRecord(_ request: Request, _ context: RegistryContext) async throws -> Response {
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
                    .badRequest, ErrorBody(code: .invalidBody, message: "id must be the path's",
                                           issues: [.init(path: "id", message: "must be \(shelterId)")]))
            }
            guard record.capacity >= 1, record.effectiveArea > 0 else {
                return Self.error(.badRequest, .invalidBody, "capacity must be ≥ 1 and effectiveArea > 0")
            }
            guard let stored = try await store.replaceRecord(record) else {
                return Self.error(.notFound, .notFound, "no shelter \(shelterId)")
            }
            var response = Self.json(.ok, Array(try RegistryJSON.makeEncoder().encode(stored)))
            response.headers[.eTag] = "\"v\(stored.recordVersion)\""
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

    // MARK: Helpers

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
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return .failure(
                ErrorResponse(Self.error(.contentTooLarge, .tooLarge, "body over \(RegistryAPI.maximumBodySize) bytes")))
        }
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
