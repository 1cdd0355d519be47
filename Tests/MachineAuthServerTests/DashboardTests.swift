import Foundation
import HTTPTypes
import Hummingbird
import MachineAuthCore
@testable import MachineAuthServer
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

/// The dashboard in-process: sign-in and its cookies, the headers every page carries, CSRF
/// refusals, secrets shown once, the `/` redirect, and the assets.
@Suite("Dashboard")
struct DashboardTests {
    @Test("GET / sends a browser to the dashboard; API clients still get the service info")
    func rootRedirect() async throws {
        try await Harness.with { h in
            let browser = try await h.send(.get, "/", headers: [.accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"])
            #expect(browser.status == .seeOther && browser.headers[.location] == "/dashboard")
            for accept in [nil, "application/json", "*/*", "application/json, text/html"] {
                let api = try await h.send(.get, "/", headers: accept.map { [.accept: $0] } ?? [:])
                #expect(api.status == .ok && api.string("service") == "MachineAuth", "Accept: \(accept ?? "none")")
            }
        }
    }

    @Test("without a session a page redirects to the sign-in form, which remembers where to go")
    func signInRedirect() async throws {
        try await Harness.with { h in
            let reply = try await h.send(.get, "/dashboard/agents")
            #expect(reply.status == .seeOther && reply.headers[.location] == "/dashboard/login?next=/dashboard/agents")
            var session = DashboardSession(h: h)
            let form = try await session.get("/dashboard/login?next=/dashboard/agents")
            let signedIn = try await session.post("/dashboard/login", [
                ("csrf_token", DashboardSession.hidden("csrf_token", in: form.text)), ("email", "admin@example.com"),
                ("password", "correct-horse-battery"), ("next", DashboardSession.hidden("next", in: form.text)),
            ], withCSRF: false)
            #expect(signedIn.headers[.location] == "/dashboard/agents")
            #expect(SessionPages.destination("https://evil.example/dashboard") == "/dashboard")
            #expect(SessionPages.destination("//evil.example") == "/dashboard")
            #expect(SessionPages.destination("/dashboard//evil.example") == "/dashboard")
        }
    }

    @Test("sign-in sets the session cookie HttpOnly and SameSite=Strict; wrong passwords and foreign forms are refused on the page")
    func signIn() async throws {
        try await Harness.with { h in
            var session = DashboardSession(h: h)
            let wrong = try await session.signIn(email: "admin@example.com", password: "not-the-password")
            #expect(wrong.status == .unauthorized && wrong.text.contains("Wrong e-mail or password."))
            let forged = try await h.form("/dashboard/login", [("csrf_token", "guess"), ("email", "admin@example.com"), ("password", "correct-horse-battery")])
            #expect(forged.status == .forbidden && forged.text.contains("The sign-in form expired"))
            let empty = try await session.signIn(email: "", password: "x")
            #expect(empty.status == .badRequest && DashboardSession.element("email-error", in: empty.text) == "Must be an e-mail address.")
            let good = try await session.signIn(email: "admin@example.com", password: "correct-horse-battery")
            #expect(good.status == .seeOther && good.headers[.location] == "/dashboard")
            let cookie = try #require(good.headers[values: .setCookie].first { $0.hasPrefix("machineauth_admin=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains("Secure"))
            #expect(try await session.get("/dashboard/login").status == .seeOther, "signed in: the form sends you on")
            let out = try await session.post("/dashboard/logout", [])
            #expect(out.status == .seeOther && out.headers[.location] == "/dashboard/login?notice=signed-out")
            #expect(try await session.get("/dashboard").status == .seeOther)
        }
    }

    @Test("every page has the strict CSP, no inline script or style, and is not cached")
    func pageHeaders() async throws {
        try await Harness.with(Self.yaml) { h in
            var session = try await DashboardSession.signIn(h)
            let agent = try await h.createAgent(try await h.adminToken())
            for path in ["/dashboard", "/dashboard/overview/live", "/dashboard/agents", "/dashboard/agents/new", "/dashboard/agents/\(agent.id)",
                         "/dashboard/agents/\(agent.id)/delete", "/dashboard/organizations", "/dashboard/tokens", "/dashboard/webhooks",
                         "/dashboard/audit", "/dashboard/metrics", "/dashboard/keys", "/dashboard/users", "/dashboard/gateway", "/dashboard/login"] {
                let reply = try await session.get(path)
                #expect(reply.status == (path == "/dashboard/login" ? .seeOther : .ok), "\(path): \(reply.text.prefix(300))")
                guard reply.status == .ok else { continue }
                #expect(reply.headers[.contentSecurityPolicy] == Self.policy, "\(path)")
                #expect(reply.headers[.cacheControl] == "no-store" && reply.headers[.xContentTypeOptions] == "nosniff", "\(path)")
                #expect(!reply.text.contains("style=") && !reply.text.contains("<script>") && !reply.text.contains("onclick"), "\(path)")
                #expect(reply.text.range(of: #"(src|href|action)="(https?:)?//"#, options: .regularExpression) == nil, "\(path) loads nothing from elsewhere")
            }
        }
    }

    static let policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static let yaml = RuntimeFixture.yaml(extra: """
        gateway:
          rules:
            - match: { path: "/public/**" }
              allow_anonymous: true
            - match: { path: "/v1/**" }
              require_scopes: [read]
        """).replacingOccurrences(of: "  - type: recording", with: "  - type: recording\n  - type: webhooks\n    allow_private_targets: true\n    timeout: 500ms")

    @Test("a cookie-authenticated form without the session's CSRF token is refused, and changes nothing")
    func csrfRefusal() async throws {
        try await Harness.with { h in
            var session = try await DashboardSession.signIn(h)
            let missing = try await session.post("/dashboard/agents", [("name", "forged")], withCSRF: false)
            #expect(missing.status == .forbidden && missing.text.contains(DashboardErrorPage.csrfMessage))
            let wrong = try await session.post("/dashboard/agents", [("csrf_token", "not-it"), ("name", "forged")], withCSRF: false)
            #expect(wrong.status == .forbidden)
            let agents = try await h.json(.get, "/api/agents", token: try await h.adminToken())
            #expect(agents["agents"]?.arrayValue?.isEmpty == true)
            let made = try await session.post("/dashboard/agents", [("name", "real"), ("grant_types", "client_credentials")])
            #expect(made.status == .ok, "\(made.text.prefix(300))")
        }
    }

    @Test("a new or rotated secret is shown once, in the response that made it, and is never stored by the browser")
    func secretOnce() async throws {
        try await Harness.with { h in
            var session = try await DashboardSession.signIn(h)
            let created = try await session.post("/dashboard/agents", [("name", "shown-once"), ("scopes", "read write"), ("grant_types", "client_credentials")])
            let secret = try #require(DashboardSession.element("secret-value", in: created.text))
            #expect(secret.hasPrefix("cs_") && created.headers[.cacheControl] == "no-store")
            let clientID = try #require(DashboardSession.element("client-id", in: created.text))
            let agentID = try #require(try await h.json(.get, "/api/agents", token: try await h.adminToken())["agents"]?.arrayValue?.first?.objectValue?["id"]?.stringValue)
            let later = try await session.get("/dashboard/agents/\(agentID)")
            #expect(later.status == .ok && !later.text.contains(secret) && later.text.contains(clientID))
            let token = try await h.token(Harness.Credentials(id: agentID, clientID: clientID, secret: secret))
            #expect(token.status == .ok, "the shown secret works")
            let rotated = try await session.post("/dashboard/agents/\(agentID)/rotate", [("grace_period_seconds", "60")])
            let next = try #require(DashboardSession.element("secret-value", in: rotated.text))
            #expect(next != secret && next.hasPrefix("cs_") && rotated.text.contains("The previous secret keeps working until"))
            #expect(!(try await session.get("/dashboard/agents/\(agentID)")).text.contains(next))
        }
    }

    @Test("an agent that signs assertions shows its method and keys, and offers no secret rotation")
    func signingAgent() async throws {
        try await Harness.with(RuntimeFixture.yaml(authenticators: ["client_secret", "private_key_jwt", "api_key"])) { h in
            let admin = try await h.adminToken()
            let key: JSONValue = ["kty": "OKP", "crv": "Ed25519", "kid": "laptop-1", "x": .string(Base64URL.encode([UInt8](repeating: 9, count: 32)))]
            let created = try await h.json(.post, "/api/agents", token: admin, ["name": "signer", "token_endpoint_auth_method": "private_key_jwt", "jwks": ["keys": [key]]])
            let agentID = try #require(created["agent"]?.objectValue?["id"]?.stringValue, "\(created.text)")
            var session = try await DashboardSession.signIn(h)
            let page = try await session.get("/dashboard/agents/\(agentID)")
            #expect(DashboardSession.element("auth-method", in: page.text) == "private_key_jwt")
            #expect(page.text.contains("id=\"agent-keys\"><code>laptop-1 (OKP Ed25519)</code>"))
            #expect(!page.text.contains("/dashboard/agents/\(agentID)/rotate") && page.text.contains("rotate-keys-hint"))
            let secretAgent = try await h.createAgent(admin)
            let ordinary = try await session.get("/dashboard/agents/\(secretAgent.id)")
            #expect(DashboardSession.element("auth-method", in: ordinary.text) == "client_secret_basic")
            #expect(ordinary.text.contains("/dashboard/agents/\(secretAgent.id)/rotate"))
        }
    }

    @Test("an agent that authenticates by certificate says so, and offers no secret rotation")
    func certificateAgent() async throws {
        try await Harness.with(TLSClientAuthTests.yaml()) { h in
            let admin = try await h.adminToken()
            let created = try await h.json(.post, "/api/agents", token: admin, [
                "name": "mtls", "token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_san_dns": "agent-a.example.com",
            ])
            let agentID = try #require(created["agent"]?.objectValue?["id"]?.stringValue, "\(created.text)")
            var session = try await DashboardSession.signIn(h)
            let page = try await session.get("/dashboard/agents/\(agentID)")
            #expect(DashboardSession.element("auth-method", in: page.text) == "tls_client_auth")
            #expect(page.text.contains("certificate-auth") && page.text.contains("rotate-certificate-hint"))
            #expect(!page.text.contains("/dashboard/agents/\(agentID)/rotate") && !page.text.contains("client_secret</dd>"))
        }
    }

    @Test("the stylesheet and the script are served under hashed names, cacheable, with an ETag")
    func assets() async throws {
        try await Harness.with { h in
            let resources = try DashboardResources.shared.get()
            for asset in [resources.stylesheet, resources.script] {
                let reply = try await h.send(.get, asset.path)
                #expect(reply.status == .ok && reply.headers[.cacheControl] == "public, max-age=31536000, immutable")
                #expect(reply.headers[.eTag] == asset.etag && reply.headers[.contentType] == asset.contentType)
                #expect(try await h.send(.get, asset.path, headers: [.ifNoneMatch: asset.etag]).status == .notModified)
            }
            #expect(try await h.send(.get, "/dashboard/assets/dashboard.css").status == .notFound, "only the hashed name")
        }
    }

    @Test("API keys and agent tokens are refused by the dashboard; an administrator's bearer token works")
    func otherCallers() async throws {
        try await Harness.with { h in
            let owner = try await h.adminToken()
            let organization = try await h.json(.post, "/api/organizations", token: owner, ["name": "K", "slug": "k"])["organization"]?.objectValue?["id"]?.stringValue ?? ""
            let key = try await h.json(.post, "/api/organizations/\(organization)/api-keys", token: owner, ["name": "k"]).string("key")
            let agent = try await h.accessToken(try await h.createAgent(owner))
            for credential in [key, agent] {
                let reply = try await h.send(.get, "/dashboard/agents", headers: [.authorization: "Bearer \(credential)"])
                #expect(reply.status == .forbidden && reply.headers[.contentType] == "text/html; charset=utf-8")
            }
            #expect(try await h.send(.get, "/dashboard/agents", headers: [.authorization: "Bearer \(owner)"]).status == .ok)
        }
    }
}
