import Foundation
import HTTPClient
import HTTPTestSupport
import Logging
import ShelterCore
import ShelterTesting
import Testing

@testable import shelter_registry

/// The bureau's console (issue 15) over real HTTPS, as a browser uses it: no client certificate, a session
/// cookie, CSRF tokens, roles. On both engines.
@Suite("shelter-registry console", .tags(.integration))
struct ConsoleTests {
    @Test(
        "without a client certificate every API path is refused with 401 and the console's sign-in page is served",
        arguments: RegistryEngine.available)
    func apiNeedsCertificate(engine: RegistryEngine) async throws {
        let fixture = try await RegistryFixture(engine: engine)
        let client = try fixture.client(nil)
        for (method, path) in [
            (HTTPMethod.get, "/openapi.json"), (.get, RegistryAPI.recordPath(shelterId: RegistryFixture.shelterId)),
            (.get, "/v1/admin/alerts"), (.get, "/v1/cap/feed.atom"),
        ] {
            let response = try await fixture.send(client, method, path)
            #expect(response.status == 401, "\(path) answered \(response.status)")
            #expect(try Payloads.decode(ErrorBody.self, response).code == .unauthenticated)
        }
        let heartbeat = try await fixture.send(
            client, .post, RegistryAPI.heartbeatPath(gatewayId: RegistryFixture.gatewayId),
            json: try Payloads.encode(Payloads.heartbeat()))
        #expect(heartbeat.status == 401)
        // The admin token alone (from loopback) is not enough without a certificate either.
        let token = try await fixture.adminWithToken(client, .get, "/v1/admin/alerts")
        #expect(token.status == 401)
        // Nothing was stored by any of them.
        let stored = try await fixture.admin(client, .get, "/v1/admin/heartbeats")
        #expect(stored.text == "[]")

        let root = try await fixture.send(client, .get, "/")
        #expect(root.status == 303)
        #expect(root.value(forHeader: "Location") == "/signin")
        let signIn = try await fixture.send(client, .get, "/signin")
        #expect(signIn.status == 200)
        #expect(signIn.text.contains("<html lang=\"zh-CN\">"))
        #expect(signIn.text.contains("<label for=\"password\">密码</label>"))
    }

    @Test(
        "sign-in checks the bcrypt hash and sets a Secure, HttpOnly, SameSite=Strict session cookie",
        arguments: RegistryEngine.available)
    func signIn(engine: RegistryEngine) async throws {
        let fixture = try await ConsoleFixture(engine: engine)
        let wrong = try fixture.browser()
        let refused = try await wrong.signIn("duty1", "not the password")
        #expect(refused.status == 401)
        #expect(refused.text.contains("用户名或密码不正确"))
        #expect(wrong.cookies[ConsoleService.sessionCookie] == nil)

        let browser = try fixture.browser()
        let response = try await browser.signIn("duty1", ConsoleFixture.password)
        #expect(response.status == 303)
        #expect(response.value(forHeader: "Location") == "/")
        let cookie = try #require(browser.setCookieHeaders.first { $0.hasPrefix(ConsoleService.sessionCookie + "=") })
        #expect(cookie.contains("Secure"))
        #expect(cookie.contains("HttpOnly"))
        #expect(cookie.contains("SameSite=Strict"))
        let overview = try await browser.get("/")
        #expect(overview.status == 200)
        #expect(overview.text.contains("duty1（值班员）"))
        #expect(overview.value(forHeader: "Content-Security-Policy")?.contains("default-src 'self'") == true)

        // Sign-out ends the session in the store, not only in the browser.
        let token = try #require(browser.cookies[ConsoleService.sessionCookie])
        #expect(try await browser.post("/signout", form: [("csrf", try await browser.csrf(on: "/"))]).status == 303)
        let stale = try fixture.browser()
        stale.cookies[ConsoleService.sessionCookie] = token
        #expect(try await stale.get("/").status == 303)
    }

    @Test(
        "after 5 failed sign-ins the account is locked, even for the right password",
        arguments: RegistryEngine.available)
    func lockout(engine: RegistryEngine) async throws {
        let fixture = try await ConsoleFixture(engine: engine)
        let browser = try fixture.browser()
        for attempt in 1...ConsoleSecurity.signInLimit {
            let response = try await browser.signIn("county1", "wrong \(attempt)")
            #expect(response.status == (attempt < ConsoleSecurity.signInLimit ? 401 : 429))
        }
        let locked = try await browser.signIn("county1", ConsoleFixture.password)
        #expect(locked.status == 429)
        #expect(locked.text.contains("账户已锁定"))
        #expect(browser.cookies[ConsoleService.sessionCookie] == nil)
        // Another account is not affected; `operator add` again (a new password) clears the lockout.
        #expect(try await fixture.browser().signIn("duty1", ConsoleFixture.password).status == 303)
        let reset = try await ConsoleFixture.operatorAdd(
            "county1", role: "county", password: ConsoleFixture.password, database: fixture.registry.database)
        #expect(reset.status == 0)
        #expect(try await fixture.browser().signIn("county1", ConsoleFixture.password).status == 303)
    }

    @Test(
        "a form without the session's CSRF token is refused with 403 and changes nothing",
        arguments: RegistryEngine.available)
    func csrfRefused(engine: RegistryEngine) async throws {
        let fixture = try await ConsoleFixture(engine: engine)
        let county = try await fixture.signedIn("county1")
        let path = "/shelters/\(RegistryFixture.shelterId)/lifecycle"
        #expect(try await county.post(path, form: [("act", "activate")]).status == 403)
        #expect(try await county.post(path, form: [("act", "activate"), ("csrf", "forged")]).status == 403)
        // The sign-in form needs its own token too.
        let bare = try fixture.browser()
        #expect(
            try await bare.post("/signin", form: [("name", "county1"), ("password", ConsoleFixture.password)]).status
                == 403)
        let heartbeat = try await fixture.registry.send(
            try fixture.registry.client(), .post, RegistryAPI.heartbeatPath(gatewayId: RegistryFixture.gatewayId),
            json: try Payloads.encode(Payloads.heartbeat()))
        #expect(try Payloads.decode(HeartbeatResponse.self, heartbeat).lifecycle == .standby)
    }

    @Test(
        "roles: viewer cannot acknowledge, duty cannot activate, county can; the timeline shows the gateway's confirmation",
        arguments: RegistryEngine.available)
    func rolesAndLifecycle(engine: RegistryEngine) async throws {
        let fixture = try await ConsoleFixture(engine: engine)
        let registry = fixture.registry
        let gateway = try registry.client()
        #expect(
            try await registry.send(
                gateway, .post, RegistryAPI.alertsPath(shelterId: RegistryFixture.shelterId),
                json: try Payloads.encode([Payloads.alert(1)])
            ).status == 200)
        let ackPath = "/alerts/\(RegistryFixture.gatewayId)/alr-C-01-0/acknowledge"
        let viewer = try await fixture.signedIn("viewer1")
        #expect(!(try await viewer.get("/alerts")).text.contains(ackPath))
        #expect(try await viewer.post(ackPath, form: [("csrf", try await viewer.csrf(on: "/alerts"))]).status == 403)
        let duty = try await fixture.signedIn("duty1")
        let lifecyclePath = "/shelters/\(RegistryFixture.shelterId)/lifecycle"
        #expect(
            try await duty.post(lifecyclePath, form: [("csrf", try await duty.csrf(on: "/")), ("act", "activate")])
                .status == 403)
        let state = try Payloads.decode(
            AlertState.self,
            try await registry.admin(gateway, .get, "/v1/admin/alerts/\(RegistryFixture.gatewayId)/alr-C-01-0"))
        #expect(state.acknowledgedBy == nil)

        let county = try await fixture.signedIn("county1")
        let decided = try await county.post(
            lifecyclePath, form: [("csrf", try await county.csrf(on: "/")), ("act", "activate")])
        #expect(decided.status == 303)
        var page = try await county.get("/shelters/\(RegistryFixture.shelterId)")
        #expect(page.text.contains("已启用"))
        #expect(page.text.contains("网关尚未确认"))
        #expect(page.text.contains("county1"))

        var beat = Payloads.heartbeat()
        let answer = try Payloads.decode(
            HeartbeatResponse.self,
            try await registry.send(
                gateway, .post, RegistryAPI.heartbeatPath(gatewayId: RegistryFixture.gatewayId),
                json: try Payloads.encode(beat)))
        #expect(answer.lifecycle == .activated)
        beat.lifecycle = LifecycleStatus(state: .activated)
        #expect(
            try await registry.send(
                gateway, .post, RegistryAPI.heartbeatPath(gatewayId: RegistryFixture.gatewayId),
                json: try Payloads.encode(beat)
            ).status == 200)
        page = try await county.get("/shelters/\(RegistryFixture.shelterId)")
        #expect(page.text.contains("网关已确认"))
        #expect(page.text.contains("lifecycle · activated"))  // the audit trail
    }

    @Test(
        "the alerts page shows value, threshold, source and department; a duty officer acknowledges with a note",
        arguments: RegistryEngine.available)
    func alertsAndAcknowledgement(engine: RegistryEngine) async throws {
        let fixture = try await ConsoleFixture(engine: engine)
        let registry = fixture.registry
        let gateway = try registry.client()
        var exercise = Payloads.alert(20)
        exercise.status = .exercise
        exercise.alertId = "alr-C-19-0"
        exercise.headline = "C-19 exercise: sewage tank 91 %"
        exercise.parameters.checkId = .sewageLevel
        exercise.parameters.value = MeasuredValue(91, unit: "%")
        exercise.parameters.threshold = 85
        _ = try await registry.send(
            gateway, .post, RegistryAPI.alertsPath(shelterId: RegistryFixture.shelterId),
            json: try Payloads.encode([Payloads.alert(1), exercise]))
        let duty = try await fixture.signedIn("duty1")
        let page = try await duty.get("/alerts")
        #expect(page.status == 200)
        let html = page.text
        #expect(html.contains("C-01 warning: occupancy 92 % of registered capacity"))
        #expect(html.contains("92 %"))  // value
        #expect(html.contains("90 %"))  // threshold
        #expect(html.contains("备案信息"))  // threshold source
        #expect(html.contains("<dd class=\"department\">应急管理部门</dd>"))  // C-01 → supplies
        #expect(html.contains("<dd class=\"department\">城市管理部门</dd>"))  // C-19 → sanitation
        #expect(html.contains("badge-exercise"))
        #expect(html.contains("/cap/\(RegistryFixture.gatewayId)/evt-1.xml"))
        let sanitation = try await duty.get("/alerts?department=sanitation")
        #expect(sanitation.text.contains("<dd class=\"department\">城市管理部门</dd>"))
        #expect(sanitation.text.contains("C-19 exercise: sewage tank 91 %"))
        #expect(!sanitation.text.contains("C-01 warning"))

        let cap = try await duty.get("/cap/\(RegistryFixture.gatewayId)/evt-1.xml")
        #expect(cap.status == 200)
        #expect(cap.text.contains("<audience>emergency management department</audience>"))
        #expect(cap.text.contains("<valueName>responsibleDepartment</valueName>"))

        let csrf = try await duty.csrf(on: "/alerts")
        let acknowledged = try await duty.post(
            "/alerts/\(RegistryFixture.gatewayId)/alr-C-01-0/acknowledge", form: [("csrf", csrf), ("note", "已通知安置组")])
        #expect(acknowledged.status == 303)
        let state = try Payloads.decode(
            AlertState.self,
            try await registry.admin(gateway, .get, "/v1/admin/alerts/\(RegistryFixture.gatewayId)/alr-C-01-0"))
        #expect(state.acknowledgedBy == "duty1")
        #expect(state.acknowledgementNote == "已通知安置组")
        #expect(try await duty.get("/alerts").text.contains("确认人：duty1"))
    }

    @Test(
        "the overview shows the reference shelter; unknown is shown as unknown, never as 0; English is one click away",
        arguments: RegistryEngine.available)
    func overview(engine: RegistryEngine) async throws {
        let fixture = try await ConsoleFixture(engine: engine)
        let viewer = try await fixture.signedIn("viewer1")
        var html = try await viewer.get("/").text
        // No report yet: occupancy and places unknown, not 0.
        #expect(html.contains("Hubin Square shelter"))
        #expect(html.contains("未知 / 2\u{202F}000 人"))
        #expect(!html.contains(">0 人<"))
        #expect(html.contains("尚无上报"))
        _ = try await fixture.registry.send(
            try fixture.registry.client(), .post, RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId),
            json: try Payloads.encode([Payloads.report(1)]))
        html = try await viewer.get("/").text
        #expect(html.contains("1\u{202F}840 人 / 2\u{202F}000 人"))
        #expect(html.contains("160 人"))
        #expect(html.contains("level-insufficient"))  // water
        #expect(html.contains("level-unknown"))  // sanitation
        let filtered = try await viewer.get("/?available=500").text
        #expect(!filtered.contains("Hubin Square shelter"))

        let switched = try await viewer.get("/lang/en?back=/")
        #expect(switched.status == 303)
        html = try await viewer.get("/").text
        #expect(html.contains("<html lang=\"en\">"))
        #expect(html.contains("1\u{202F}840 persons / 2\u{202F}000 persons"))
        #expect(try await viewer.get("/lang/en?back=//evil.example").value(forHeader: "Location") == "/")
    }
}

extension ConsoleTests {
    @Test(
        "a page listening to /events hears a report within 2 s; on PostgreSQL through another instance (NOTIFY)",
        arguments: RegistryEngine.available)
    func liveAcrossInstances(engine: RegistryEngine) async throws {
        let fixture = try await ConsoleFixture(engine: engine)
        // On PostgreSQL the page is served by a second instance on the same database; SQLite has one instance.
        let pageInstance =
            engine == .postgres
            ? try await RegistryFixture(engine: .postgres, database: fixture.registry.database) : fixture.registry
        let browser = ConsoleBrowser(client: try pageInstance.client(nil), registry: pageInstance.registry)
        #expect(try await browser.signIn("viewer1", ConsoleFixture.password).status == 303)
        let token = try #require(browser.cookies[ConsoleService.sessionCookie])
        let events = try ChildProcess(
            executable: "/usr/bin/env",
            arguments: [
                "curl", "-sN", "--max-time", "30", "--cacert", fixture.registry.pki.certificate("ca"),
                "-H", "Cookie: \(ConsoleService.sessionCookie)=\(token)", pageInstance.registry.url("/events"),
            ])
        _ = try await events.waitForLine(timeout: .seconds(10)) { $0.hasPrefix("retry:") ? true : nil }
        let clock = ContinuousClock()
        let posted = clock.now
        let response = try await fixture.registry.send(
            try fixture.registry.client(), .post, RegistryAPI.statusPath(shelterId: RegistryFixture.shelterId),
            json: try Payloads.encode([Payloads.report(1)]))
        #expect(response.status == 200)
        _ = try await events.waitForLine(timeout: .seconds(2)) { $0 == "data: report" ? true : nil }
        #expect(clock.now - posted < .seconds(2))
    }
}

/// The console's pure parts: charts, departments, roles.
@Suite("shelter-registry console parts")
struct ConsolePartsTests {
    @Test("an SVG chart draws one polyline per run of known values, a reference line, and says when empty")
    func chartShape() {
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        let values: [Double?] = [100, 200, nil, 300, 400, 500]
        let chart = SVGChart(
            title: "在场人数",
            points: values.enumerated().map { .init(at: start + Double($0.offset) * 60, value: $0.element) },
            references: [.init(value: 2000, label: "可容纳人数 2\u{202F}000 人")], period: start...(start + 300),
            startLabel: "a", endLabel: "b", emptyText: "无数据")
        let svg = chart.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>"))
        #expect(svg.contains("role=\"img\" aria-label=\"在场人数\""))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.components(separatedBy: "<line class=\"reference\"").count - 1 == 1)
        #expect(!svg.contains("class=\"empty\""))
        #expect(chart.runs.map(\.count) == [2, 3])
        // The first point sits on the left edge of the plot, the last on the right edge.
        #expect(svg.contains("points=\"56,"))
        #expect(svg.contains(" 628,"))
        #expect(chart.valueRange.lowerBound == 0)
        #expect(chart.valueRange.upperBound == 2200)

        let empty = SVGChart(
            title: "t", points: [.init(at: start, value: nil)], period: start...(start + 60), startLabel: "",
            endLabel: "", emptyText: "该时段无数据")
        #expect(empty.svg().contains("<text class=\"empty\""))
        #expect(!empty.svg().contains("<polyline"))
        #expect(
            SVGChart(title: "<&>", points: [], period: start...start, startLabel: "", endLabel: "", emptyText: "")
                .svg().contains("aria-label=\"&lt;&amp;&gt;\""))
    }

    @Test(
        "each check maps to the department of art. 24",
        arguments: [
            ("C-12", "", ResponsibleDepartment.power), ("C-13", "gen1", .power), ("C-16", "bat1", .power),
            ("C-11", "power", .power), ("C-11", "water", .water), ("C-05", "", .water), ("C-06", "", .water),
            ("C-19", "", .sanitation), ("C-21", "", .order), ("C-01", "", .supplies), ("C-04", "", .supplies),
            ("C-22", "counter1", .supplies), ("C-23", "", .supplies), ("C-99", "", .supplies),
        ])
    func departments(check: String, subject: String, department: ResponsibleDepartment) {
        #expect(ResponsibleDepartment(checkId: CheckID(rawValue: check), subject: subject) == department)
    }

    @Test("department names are the measures' words")
    func departmentNames() {
        #expect(
            ResponsibleDepartment.allCases.map { $0.name(in: .zhCN) } == [
                "供电单位", "城市供水部门", "城市管理部门", "卫生健康部门", "应急管理部门", "公安机关",
            ])
    }

    @Test("roles are ordered viewer < duty < county, and the county's acts map to lifecycle changes")
    func roles() {
        #expect(OperatorRole.viewer < .duty && OperatorRole.duty < .county)
        let shelter = StoredShelter(
            id: "S", record: nil, lifecycle: .activated, isDrill: false, grade: "", divisionCode: "")
        #expect(ConsoleService.change(for: "activate", current: shelter) == LifecycleChange(state: .activated))
        #expect(ConsoleService.change(for: "markFull", current: shelter) == LifecycleChange(state: .full))
        #expect(ConsoleService.change(for: "close", current: shelter) == LifecycleChange(state: .closing))
        #expect(
            ConsoleService.change(for: "startDrill", current: shelter)
                == LifecycleChange(state: .activated, isDrill: true))
        #expect(ConsoleService.change(for: "nonsense", current: shelter) == nil)
    }

    @Test("session tokens are random, hashed with SHA-256 and compared in constant time")
    func tokens() {
        let a = ConsoleSecurity.randomToken()
        #expect(a.count == 43 && a != ConsoleSecurity.randomToken())
        #expect(ConsoleSecurity.tokenHash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ConsoleSecurity.tokensMatch(a, a))
        #expect(!ConsoleSecurity.tokensMatch(a, ""))
        #expect(!ConsoleSecurity.tokensMatch("", ""))
    }

    @Test("the console's change feed reaches every subscriber")
    func feed() async {
        let feed = ConsoleChangeFeed(postgres: nil, logger: .init(label: "test"))
        let first = feed.subscribe()
        let second = feed.subscribe()
        await feed.publish(.alert)
        var firstIterator = first.makeAsyncIterator()
        var secondIterator = second.makeAsyncIterator()
        #expect(await firstIterator.next() == .alert)
        #expect(await secondIterator.next() == .alert)
    }
}
