import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Mustache
import NIOCore
import ShelterCore

/// The bureau's console (issue 15): pages served by the registry at its root address, rendered on the server
/// from the mustache templates in `Resources/console`, with a small script for live updates (`/events`,
/// server-sent events). Every page works without JavaScript.
///
/// Browsers have no client certificate: the console authenticates with its own sign-in (operator accounts
/// made by `shelter-registry operator add`, bcrypt), a session cookie (`Secure`, `HttpOnly`,
/// `SameSite=Strict`) and a CSRF token on every form. Gateway and admin paths (`/v1/…`) keep requiring the
/// client certificate.
///
/// Routes: `GET /` overview, `GET /alerts`, `GET /shelters/{id}`, `GET /cap/{gatewayId}/{eventId}.xml`,
/// `GET /events`, `GET|POST /signin`, `POST /signout`, `POST /alerts/{gatewayId}/{alertId}/acknowledge`
/// (duty), `POST /shelters/{id}/lifecycle` (county), `GET /lang/{zh-CN|en}`, `GET /assets/{file}`.
struct ConsoleService: Sendable {
    let store: any RegistryStore & ConsoleStore
    let templates: MustacheLibrary
    let assets: [String: (contentType: String, bytes: [UInt8])]
    let feed: ConsoleChangeFeed
    var now: @Sendable () -> Date = { Date() }

    static let sessionCookie = "shelter_session"
    static let signInCookie = "shelter_signin"
    static let languageCookie = "shelter_lang"

    /// Loads the templates and assets from `directory` (the bundle's `console` folder).
    init(store: any RegistryStore & ConsoleStore, directory: String, feed: ConsoleChangeFeed) async throws {
        self.store = store
        self.feed = feed
        templates = try await MustacheLibrary(directory: directory)
        var assets: [String: (contentType: String, bytes: [UInt8])] = [:]
        for (name, type) in [
            ("console.css", "text/css"), ("console.js", "text/javascript"), ("favicon.svg", "image/svg+xml"),
        ] {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
            assets[name] = (type + "; charset=utf-8", bytes)
        }
        self.assets = assets
    }

    func addRoutes(to router: Router<RegistryContext>) {
        router.get("/") { request, context in
            try await page(request, context) { viewer in try await overview(request, viewer) }
        }
        router.get("/alerts") { request, context in
            try await page(request, context) { viewer in try await alerts(request, viewer) }
        }
        router.get("/shelters/:shelterId") { request, context in
            try await page(request, context) { viewer in
                try await shelter(context.parameters.get("shelterId") ?? "", request, viewer)
            }
        }
        router.get("/cap/:gatewayId/:document") { request, context in
            try await page(request, context) { _ in
                try await cap(context.parameters.get("gatewayId") ?? "", context.parameters.get("document") ?? "")
            }
        }
        router.get("/events") { request, context in
            try await page(request, context) { _ in events() }
        }
        router.get("/signin") { request, _ in try await signInPage(request) }
        router.post("/signin") { request, context in try await signIn(request, context) }
        router.post("/signout") { request, context in
            try await act(request, context, minimum: .viewer) { viewer, _ in
                try await store.deleteSession(tokenHash: viewer.session.tokenHash)
                try await store.recordAct(
                    ConsoleAct(
                        kind: "signOut", actor: viewer.session.operatorName, shelterId: "", detail: "", at: now()))
                var response = Self.redirect("/signin")
                response.setCookie(Self.cookie(Self.sessionCookie, "", maxAge: 0))
                return response
            }
        }
        router.post("/alerts/:gatewayId/:alertId/acknowledge") { request, context in
            try await act(request, context, minimum: .duty) { viewer, form in
                try await acknowledge(
                    gatewayId: context.parameters.get("gatewayId") ?? "",
                    alertId: context.parameters.get("alertId") ?? "",
                    note: form["note"] ?? "", viewer)
            }
        }
        router.post("/shelters/:shelterId/lifecycle") { request, context in
            try await act(request, context, minimum: .county) { viewer, form in
                try await decide(context.parameters.get("shelterId") ?? "", act: form["act"] ?? "", viewer)
            }
        }
        router.get("/lang/:language") { request, context in
            let language = Language(tag: context.parameters.get("language") ?? "") ?? .zhCN
            let back = request.uri.queryParameters.get("back") ?? "/"
            var response = Self.redirect(Self.isLocalPath(back) ? back : "/")
            response.setCookie(Self.cookie(Self.languageCookie, language.rawValue, maxAge: 365 * 86_400))
            return response
        }
        router.get("/assets/:file") { _, context in
            guard let asset = assets[context.parameters.get("file") ?? ""] else {
                return Response(status: .notFound)
            }
            return Response(
                status: .ok,
                headers: [
                    .contentType: asset.contentType, .cacheControl: "max-age=300", .xContentTypeOptions: "nosniff",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
        }
    }

    // MARK: Who is asking

    /// A signed-in operator and the language they read.
    struct Viewer: Sendable {
        var session: ConsoleSession
        var language: Language
        var path: String
    }

    static func language(_ request: Request) -> Language {
        request.cookies[languageCookie].flatMap { Language(tag: $0.value) } ?? .zhCN
    }

    private func currentViewer(_ request: Request) async throws -> Viewer? {
        guard let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty,
            let session = try await store.session(tokenHash: ConsoleSecurity.tokenHash(token), at: now())
        else { return nil }
        return Viewer(session: session, language: Self.language(request), path: request.uri.path)
    }

    /// A page for any signed-in operator; without a session, a redirect to the sign-in page.
    private func page(
        _ request: Request, _ context: RegistryContext, _ render: (Viewer) async throws -> Response
    ) async throws -> Response {
        guard let viewer = try await currentViewer(request) else { return Self.redirect("/signin") }
        return try await render(viewer)
    }

    /// A form post: signed in, CSRF token matching the session's, role at least `minimum`; else 403 with a
    /// page saying why.
    private func act(
        _ request: Request, _ context: RegistryContext, minimum: OperatorRole,
        _ handle: (Viewer, [String: String]) async throws -> Response
    ) async throws -> Response {
        guard let viewer = try await currentViewer(request) else { return Self.redirect("/signin") }
        let form = try await Self.form(request)
        guard ConsoleSecurity.tokensMatch(form["csrf"] ?? "", viewer.session.csrfToken) else {
            context.logger.warning(
                "console form without a valid CSRF token", metadata: ["operator": "\(viewer.session.operatorName)"])
            return try refusal(.forbidden, .badForm, viewer.language, viewer)
        }
        guard viewer.session.role >= minimum else {
            context.logger.warning(
                "console act refused for role",
                metadata: ["operator": "\(viewer.session.operatorName)", "role": "\(viewer.session.role.rawValue)"])
            return try refusal(.forbidden, .forbidden, viewer.language, viewer)
        }
        return try await handle(viewer, form)
    }

    // MARK: Sign-in

    private func signInPage(
        _ request: Request, message: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws
        -> Response
    {
        if message == nil, try await currentViewer(request) != nil { return Self.redirect("/") }
        let language = Self.language(request)
        let token = ConsoleSecurity.randomToken()
        var values = base(language: language, path: "/signin", viewer: nil)
        values["csrf"] = token
        values["message"] = message
        values["name"] = ""
        var response = try render("signin", values, status: status)
        response.setCookie(Self.cookie(Self.signInCookie, token, maxAge: 3600, path: "/signin"))
        return response
    }

    private func signIn(_ request: Request, _ context: RegistryContext) async throws -> Response {
        let form = try await Self.form(request)
        let language = Self.language(request)
        guard let cookie = request.cookies[Self.signInCookie]?.value,
            ConsoleSecurity.tokensMatch(form["csrf"] ?? "", cookie)
        else {
            return try refusal(.forbidden, .badForm, language, nil)
        }
        let name = form["name"] ?? ""
        let password = form["password"] ?? ""
        let at = now()
        guard let account = try await store.operatorAccount(name) else {
            _ = try await ConsoleSecurity.verifyDecoy(password)
            try await store.recordAct(
                ConsoleAct(kind: "signInFailed", actor: name, shelterId: "", detail: "unknown", at: at))
            return try await signInPage(
                request, message: ConsoleText.label(.signInFailed).text(in: language), status: .unauthorized)
        }
        if let until = account.lockedUntil, until > at {
            try await store.recordAct(
                ConsoleAct(kind: "signInFailed", actor: name, shelterId: "", detail: "locked", at: at))
            return try await signInPage(
                request, message: ConsoleText.lockedUntil(until: Self.local(until)).text(in: language),
                status: .tooManyRequests)
        }
        guard try await ConsoleSecurity.verify(password, hash: account.passwordHash) else {
            let after = try await store.recordFailedSignIn(
                name, limit: ConsoleSecurity.signInLimit, lockout: ConsoleSecurity.lockout, at: at)
            try await store.recordAct(
                ConsoleAct(kind: "signInFailed", actor: name, shelterId: "", detail: "password", at: at))
            context.logger.notice("console sign-in failed", metadata: ["operator": "\(name)"])
            if let until = after?.lockedUntil, until > at {
                return try await signInPage(
                    request, message: ConsoleText.lockedUntil(until: Self.local(until)).text(in: language),
                    status: .tooManyRequests)
            }
            return try await signInPage(
                request, message: ConsoleText.label(.signInFailed).text(in: language), status: .unauthorized)
        }
        try await store.recordSignIn(name, at: at)
        let token = ConsoleSecurity.randomToken()
        try await store.createSession(
            ConsoleSession(
                tokenHash: ConsoleSecurity.tokenHash(token), operatorName: name, role: account.role,
                csrfToken: ConsoleSecurity.randomToken(), createdAt: at,
                expiresAt: at.addingTimeInterval(ConsoleSecurity.sessionLifetime)))
        try await store.recordAct(
            ConsoleAct(kind: "signIn", actor: name, shelterId: "", detail: account.role.rawValue, at: at))
        context.logger.info("console sign-in", metadata: ["operator": "\(name)", "role": "\(account.role.rawValue)"])
        var response = Self.redirect("/")
        response.setCookie(
            Self.cookie(Self.sessionCookie, token, maxAge: Int(ConsoleSecurity.sessionLifetime)))
        response.setCookie(Self.cookie(Self.signInCookie, "", maxAge: 0, path: "/signin"))
        return response
    }

    // MARK: Acts

    private func acknowledge(
        gatewayId: String, alertId: String, note: String, _ viewer: Viewer
    ) async throws
        -> Response
    {
        let actor = viewer.session.operatorName
        let trimmed = String(note.prefix(500))
        guard
            let state = try await store.acknowledge(
                gatewayId: gatewayId, alertId: alertId, by: actor, note: trimmed, at: now())
        else {
            return try refusal(.notFound, .noAlerts, viewer.language, viewer)
        }
        try await store.recordAct(
            ConsoleAct(
                kind: "acknowledge", actor: actor, shelterId: state.shelterId,
                detail: "\(gatewayId)/\(alertId)" + (trimmed.isEmpty ? "" : ": \(trimmed)"), at: now()))
        await feed.publish(.acknowledgement)
        return Self.redirect("/alerts")
    }

    /// The county's decisions (art. 22) as the shelter page's buttons name them.
    static func change(for act: String, current: StoredShelter) -> LifecycleChange? {
        switch act {
        case "activate": LifecycleChange(state: .activated)
        case "markFull": LifecycleChange(state: .full)
        case "close": LifecycleChange(state: .closing)
        case "standby": LifecycleChange(state: .standby, isDrill: false)
        case "startDrill": LifecycleChange(state: current.lifecycle, isDrill: true)
        case "endDrill": LifecycleChange(state: current.lifecycle, isDrill: false)
        default: nil
        }
    }

    private func decide(_ shelterId: String, act: String, _ viewer: Viewer) async throws -> Response {
        guard let current = try await store.shelter(shelterId) else {
            return try refusal(.notFound, .notFiled, viewer.language, viewer)
        }
        guard let change = Self.change(for: act, current: current) else {
            return try refusal(.badRequest, .badForm, viewer.language, viewer)
        }
        let actor = viewer.session.operatorName
        guard let status = try await store.setLifecycle(shelterId: shelterId, change, by: actor, at: now()) else {
            return try refusal(.notFound, .notFiled, viewer.language, viewer)
        }
        try await store.recordAct(
            ConsoleAct(
                kind: "lifecycle", actor: actor, shelterId: shelterId,
                detail: status.state.rawValue + (status.isDrill ? " (drill)" : ""), at: now()))
        await feed.publish(.lifecycle)
        return Self.redirect("/shelters/\(shelterId)")
    }

    // MARK: CAP and live updates

    private func cap(_ gatewayId: String, _ document: String) async throws -> Response {
        guard document.hasSuffix(".xml"), document.count > 4 else { return Response(status: .notFound) }
        guard
            let capDocument = try await CAPDocument.load(
                eventId: String(document.dropLast(4)), sender: gatewayId, from: store)
        else { return Response(status: .notFound) }
        return RegistryService.text(.ok, CAPDocument.contentType, capDocument.xml())
    }

    /// `text/event-stream`: one `event: <change>` per change, and a comment every 15 s so that idle
    /// connections stay open through the registry's idle timeout.
    private func events() -> Response {
        let changes = feed.subscribe()
        let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        let task = Task {
            continuation.yield(ByteBuffer(string: "retry: 1000\n\n"))
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await change in changes {
                        continuation.yield(ByteBuffer(string: "event: change\ndata: \(change.rawValue)\n\n"))
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(15))
                        continuation.yield(ByteBuffer(string: ": keep-alive\n\n"))
                    }
                }
                await group.next()
                group.cancelAll()
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"],
            body: .init(asyncSequence: stream))
    }

    // MARK: Rendering

    /// What every template gets: the labels (`t`), the language, the signed-in operator and their rights.
    func base(language: Language, path: String, viewer: Viewer?) -> [String: Any] {
        let other: Language = language == .zhCN ? .en : .zhCN
        var values: [String: Any] = [
            "t": ConsoleText.labels(in: language), "lang": language.rawValue, "otherLang": other.rawValue,
            "otherLanguageHref": "/lang/\(other.rawValue)?back=\(Self.percentEncoded(path))",
        ]
        if let viewer {
            values["signedIn"] = true
            values["user"] = ConsoleText.signedInAs(name: viewer.session.operatorName, role: viewer.session.role)
                .text(in: language)
            values["csrf"] = viewer.session.csrfToken
            values["canAcknowledge"] = viewer.session.role >= .duty
            values["canDecide"] = viewer.session.role >= .county
        }
        return values
    }

    func render(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) throws -> Response {
        guard let html = templates.render(values, withTemplate: template) else {
            throw HTTPError(.internalServerError, message: "template \(template) missing")
        }
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy:
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                    + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
                .xContentTypeOptions: "nosniff", HTTPField.Name("Referrer-Policy")!: "same-origin",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    private func refusal(
        _ status: HTTPResponse.Status, _ label: ConsoleText.Label, _ language: Language, _ viewer: Viewer?
    ) throws -> Response {
        var values = base(language: language, path: viewer?.path ?? "/", viewer: viewer)
        values["message"] = ConsoleText.label(label).text(in: language)
        return try render("refused", values, status: status)
    }

    // MARK: Helpers

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    static func cookie(_ name: String, _ value: String, maxAge: Int, path: String = "/") -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: path, secure: true, httpOnly: true, sameSite: .strict)
    }

    /// A form body (`application/x-www-form-urlencoded`, at most 64 KiB) as name → value (the last one wins).
    static func form(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        let text = String(buffer: buffer)
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let key = parts.first else { continue }
            fields[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    /// A path on this site (`/…` but not `//…`), safe to redirect to.
    static func isLocalPath(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.hasPrefix("//") && !path.contains("\\")
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/")))
            ?? "/"
    }

    /// `YYYY-MM-DD hh:mm:ss` in China Standard Time (UTC+08:00), as the bureau reads times.
    static func local(_ date: Date) -> String {
        let zoned = ZonedTime(instant: date, utcOffsetMinutes: 480).local
        return String(zoned.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }
}
