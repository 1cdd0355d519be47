import Foundation
import HTTPTypes
import Hummingbird
import MachineAuthCore
@testable import MachineAuthServer
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

/// Every dashboard route of ``RouteTable`` with hostile input: a page that answers, never a
/// 500, and nothing typed comes back unescaped. Behind HTTPS the session cookies are `Secure`.
@Suite("Dashboard hostile input")
struct DashboardHostileInputTests {
    /// Every field name a dashboard form reads.
    static let fields = [
        "name", "description", "scopes", "organization_id", "team_id", "expires_in_days", "grant_types", "allowed_audiences", "metadata",
        "grace_period_seconds", "slug", "owner_email", "client_id", "client_secret", "scope", "audience", "token", "url", "events",
        "max_retries", "retry_backoff_base", "is_active", "message", "email", "password", "role", "organization_ids", "method", "host", "path",
    ]

    static let values = [
        "", "-1", "99999999999999999999999", "1e3", "0x10", " 7 ", "\u{0}", String(repeating: "a", count: 5000), "../../etc/passwd",
        "<script>alert(1)</script>", "☃ ünïcode", "=x\n=y",
    ]

    /// Query parameters every list reads, with values no list accepts.
    static let query = "?page=-1&limit=abc&status=%FF%FE&organization_id=%3Cb%3E&team_id=none&from=yesterday&to=2026-13-45&q=%00&scope=%22&action=*"

    @Test("no dashboard route answers 500 to hostile forms or queries, and nothing comes back unescaped")
    func noServerErrors() async throws {
        try await Harness.with(DashboardTests.yaml) { h in
            let owner = try await h.adminToken()
            let organization = try await h.json(.post, "/api/organizations", token: owner, ["name": "Hostile", "slug": "hostile"])["organization"]?
                .objectValue?["id"]?.stringValue ?? ""
            let agent = try await h.createAgent(owner, name: "target")
            let webhook = try await h.json(.post, "/api/webhooks", token: owner, ["url": "http://127.0.0.1:9/hook"])["webhook"]?.objectValue?["id"]?
                .stringValue ?? ""
            var session = try await DashboardSession.signIn(h)
            let pages = RouteTable.dashboard.filter { !["/dashboard/logout", "/dashboard/login"].contains($0.path) }
            #expect(pages.count > 30)
            for route in pages {
                let path = route.path.replacingOccurrences(of: "/agents/{id}", with: "/agents/\(agent.id)")
                    .replacingOccurrences(of: "/organizations/{id}", with: "/organizations/\(organization)")
                    .replacingOccurrences(of: "/webhooks/{id}", with: "/webhooks/\(webhook)")
                    .replacingOccurrences(of: "{key_id}", with: "key-nope").replacingOccurrences(of: "{id}", with: "nope")
                    .replacingOccurrences(of: "{file}", with: "nope.css")
                if route.method == .get {
                    let reply = try await session.get(path + Self.query)
                    #expect(reply.status.code < 500, "GET \(path): \(reply.status) \(reply.text.prefix(300))")
                    continue
                }
                for value in Self.values {
                    let reply = try await session.post(path, Self.fields.map { ($0, value) })
                    #expect(reply.status.code < 500, "POST \(path) with \(value.prefix(30).debugDescription): \(reply.status) \(reply.text.prefix(300))")
                    #expect(!reply.text.contains("<script>alert(1)</script>"), "POST \(path) echoes markup unescaped")
                }
            }
            #expect(try await session.get("/dashboard").status == .ok, "the session survived")
            let missing = try await session.get("/dashboard/no/such/page")
            #expect(missing.status == .notFound && missing.headers[.contentType] == "text/html; charset=utf-8")
            #expect(missing.text.contains(DashboardErrorPage.sentence(DashboardRoutes.noSuchPage.message)))
        }
    }

    @Test("behind HTTPS (X-Forwarded-Proto from a trusted proxy) the session cookies are Secure; from anyone else the header counts for nothing")
    func secureCookies() async throws {
        for (trusted, secure) in [("127.0.0.1,::1", true), ("192.0.2.1", false)] {
            let yaml = RuntimeFixture.yaml().replacingOccurrences(of: "  allowed_origins:", with: "  trusted_proxies: \"\(trusted)\"\n  allowed_origins:")
            try await Harness.with(yaml, live: true) { h in
                let forwarded: HTTPFields = [HTTPField.Name("X-Forwarded-Proto")!: "https"]
                let form = try await h.send(.get, "/dashboard/login", headers: forwarded)
                #expect(form.status == .ok, "\(form.text.prefix(300))")
                var headers = forwarded
                headers[.contentType] = "application/x-www-form-urlencoded"
                headers[.cookie] = form.headers[values: .setCookie].map { String($0.split(separator: ";")[0]) }.joined(separator: "; ")
                let fields = [("csrf_token", DashboardSession.hidden("csrf_token", in: form.text)), ("email", "admin@example.com"),
                              ("password", "correct-horse-battery"), ("next", "")]
                let body = fields.map { "\(Harness.encode($0.0))=\(Harness.encode($0.1))" }.joined(separator: "&")
                let signedIn = try await h.send(.post, "/dashboard/login", headers: headers, body: body)
                #expect(signedIn.status == .seeOther, "\(signedIn.text.prefix(300))")
                let cookies = signedIn.headers[values: .setCookie].filter { $0.hasPrefix("machineauth_admin=") || $0.hasPrefix("machineauth_csrf=") }
                #expect(cookies.count == 2)
                for cookie in cookies {
                    #expect(cookie.contains("SameSite=Strict") && cookie.contains("Secure") == secure, "trusted \(trusted): \(cookie)")
                }
            }
        }
    }
}
