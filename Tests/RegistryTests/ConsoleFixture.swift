import Foundation
import HTTPClient
import HTTPTestSupport
import ShelterCore
import ShelterTesting
import Testing

/// A registry (`RegistryFixture`) with three console operators made by `shelter-registry operator add`:
/// `viewer1` (viewer), `duty1` (duty) and `county1` (county), all with `password`.
struct ConsoleFixture {
    static let password = "correct horse battery"
    let registry: RegistryFixture

    init(engine: RegistryEngine) async throws {
        registry = try await RegistryFixture(engine: engine)
        for (name, role) in [("viewer1", "viewer"), ("duty1", "duty"), ("county1", "county")] {
            let result = try await Self.operatorAdd(
                name, role: role, password: Self.password, database: registry.database)
            #expect(result.status == 0, "operator add failed: \(result.output)")
        }
    }

    /// Runs `shelter-registry operator add NAME --role ROLE --password-file F --database DB`.
    static func operatorAdd(
        _ name: String, role: String, password: String, database: String
    ) async throws -> (status: Int32, output: String) {
        let file = try makeTemporaryDirectory(prefix: "operator") + "/password"
        try (password + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let process = try ChildProcess(
            executable: builtProductsDirectory + "/shelter-registry",
            arguments: ["operator", "add", name, "--role", role, "--password-file", file, "--database", database])
        let status = await process.waitForExit()
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
        return (exitCode, process.output.joined(separator: "\n"))
    }

    /// A browser: no client certificate, a cookie jar, no redirects followed.
    func browser() throws -> ConsoleBrowser {
        ConsoleBrowser(client: try registry.client(nil), registry: registry.registry)
    }

    /// A browser signed in as `name`.
    func signedIn(_ name: String) async throws -> ConsoleBrowser {
        let browser = try browser()
        let response = try await browser.signIn(name, Self.password)
        #expect(response.status == 303, "sign-in of \(name) answered \(response.status)")
        return browser
    }
}

/// What a browser does with the console, over real HTTPS without a client certificate.
final class ConsoleBrowser: @unchecked Sendable {
    let client: HTTPClient
    let registry: RegistryProcess
    /// Cookies by name (only this test's single origin).
    var cookies: [String: String] = [:]
    /// Every `Set-Cookie` value received, as sent.
    var setCookieHeaders: [String] = []

    init(client: HTTPClient, registry: RegistryProcess) {
        self.client = client
        self.registry = registry
    }

    func get(_ path: String) async throws -> HTTPResponse {
        try await send(HTTPRequest(method: .get, url: registry.url(path), headers: cookieHeader()))
    }

    func post(_ path: String, form: [(String, String)]) async throws -> HTTPResponse {
        let body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(
            HTTPRequest(
                method: .post, url: registry.url(path),
                headers: cookieHeader() + [HTTPHeader("Content-Type", "application/x-www-form-urlencoded")],
                body: Array(body.utf8)))
    }

    /// Reads the sign-in form (for its CSRF token and cookie), then posts the name and password.
    func signIn(_ name: String, _ password: String) async throws -> HTTPResponse {
        let form = try await get("/signin")
        return try await post(
            "/signin", form: [("csrf", Self.csrf(in: form) ?? ""), ("name", name), ("password", password)])
    }

    /// The session's CSRF token, read from a page's forms.
    func csrf(on path: String) async throws -> String {
        try #require(Self.csrf(in: try await get(path)))
    }

    static func csrf(in response: HTTPResponse) -> String? {
        let html = response.text
        guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    private func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await client.send(request)
        for header in response.headers where header.name.lowercased() == "set-cookie" {
            setCookieHeaders.append(header.value)
            let pair = header.value.split(separator: ";").first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            if header.value.lowercased().contains("max-age=0") || parts[1].isEmpty {
                cookies.removeValue(forKey: name)
            } else {
                cookies[name] = String(parts[1])
            }
        }
        return response
    }

    private func cookieHeader() -> [HTTPHeader] {
        cookies.isEmpty ? [] : [HTTPHeader("Cookie", cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))]
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}

extension HTTPResponse {
    /// The body as UTF-8 text.
    var text: String { String(decoding: body, as: UTF8.self) }
}
