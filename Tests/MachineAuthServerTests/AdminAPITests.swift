import Foundation
import Hummingbird
import HTTPTypes
import MachineAuthCore
import MachineAuthServer
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

@Suite("Admin authentication")
struct AdminAuthTests {
    static let adminRoutes: [(HTTPRequest.Method, String)] = [
        (.get, "/api/agents"), (.post, "/api/agents"), (.get, "/api/agents/x"), (.patch, "/api/agents/x"), (.put, "/api/agents/x"),
        (.delete, "/api/agents/x"), (.post, "/api/agents/x/rotate"), (.post, "/api/agents/x/deactivate"),
        (.post, "/api/agents/x/reactivate"), (.get, "/api/audit-logs"), (.get, "/api/stats"), (.get, "/api/keys"),
        (.post, "/api/keys/rotate"), (.get, "/api/auth/me"), (.post, "/api/auth/logout"),
    ]

    @Test("nothing in the admin API is reachable without credentials; agents get 403")
    func everyRouteProtected() async throws {
        try await Harness.with { h in
            let token = try await h.accessToken(try await h.createAgent(try await h.adminToken()))
            for (method, path) in Self.adminRoutes {
                let anonymous = try await h.json(method, path, ["name": "x"])
                #expect(anonymous.status == .unauthorized, "\(method) \(path)")
                #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                let garbage = try await h.json(method, path, token: "garbage", ["name": "x"])
                #expect(garbage.status == .unauthorized, "\(method) \(path)")
                let agent = try await h.json(method, path, token: token, ["name": "x"])
                #expect(agent.status == .forbidden, "\(method) \(path): \(agent.status)")
            }
        }
    }

    @Test("login sets an HttpOnly SameSite=Strict cookie that authenticates; logout ends the session")
    func loginCookieLogout() async throws {
        try await Harness.with { h in
            let login = try await h.json(.post, "/api/auth/login", ["email": "ADMIN@example.com", "password": "correct-horse-battery"])
            let cookie = try #require(login.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            let pair = String(cookie.split(separator: ";")[0])
            #expect(try await h.send(.get, "/api/auth/me", headers: [.cookie: pair]).status == .ok)
            let token = login.string("token")
            #expect(try await h.json(.post, "/api/auth/logout", token: token).status == .ok)
            #expect(try await h.json(.get, "/api/agents", token: token).status == .unauthorized)
        }
    }

    @Test("failed logins are refused and then rate limited")
    func loginRateLimit() async throws {
        try await Harness.with(now: ManualClock().source) { h in
            for _ in 0..<3 {
                let wrong = try await h.json(.post, "/api/auth/login", ["email": "admin@example.com", "password": "nope"])
                #expect(wrong.status == .unauthorized)
            }
            let limited = try await h.json(.post, "/api/auth/login", ["email": "admin@example.com", "password": "correct-horse-battery"])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            #expect(try await h.json(.post, "/api/auth/login", ["email": "admin@example.com"]).string("field") == "password")
        }
    }

    @Test("production refuses the default or a short admin password; development warns")
    func productionSafety() async throws {
        let weak = RuntimeFixture.yaml()
            .replacingOccurrences(of: "  password: correct-horse-battery", with: "  password: changeme")
            .replacingOccurrences(of: "  issuer: http://issuer.test", with: "  issuer: http://issuer.test\n  environment: production")
        await #expect(throws: StartupError.self) { _ = try await RuntimeFixture.start(weak) }
        let short = weak.replacingOccurrences(of: "password: changeme", with: "password: short-pass")
        await #expect(throws: StartupError.self) { _ = try await RuntimeFixture.start(short) }
        let development = RuntimeFixture.yaml().replacingOccurrences(of: "  password: correct-horse-battery", with: "  password: changeme")
        let fixture = try await RuntimeFixture.start(development)
        await fixture.stop()
    }
}
