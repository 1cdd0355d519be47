import Foundation
import HTTPTypes
import Hummingbird
import MachineAuthCore
import MachineAuthServer
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

/// Each reproduction of the hardening issue's authorization holes, as a regression test.
@Suite("Authorization holes")
struct AuthorizationHoleTests {
    @Test("the table keeps instance-wide and key material to the owner, the audit log to administrators")
    func table() {
        #expect(RouteTable.route(.get, "/api/stats")?.access == .owner)
        #expect(RouteTable.route(.get, "/api/keys")?.access == .owner)
        #expect(RouteTable.route(.post, "/api/keys/rotate")?.access == .owner)
        #expect(RouteTable.route(.get, "/api/audit-logs")?.access == .adminRead)
        #expect(RouteTable.route(.get, "/api/organizations/{id}/api-keys")?.access == .adminRead)
        #expect(RouteTable.route(.get, "/api/users")?.access == .owner)
    }

    @Test("an agent an administrator deactivated cannot reactivate itself; its own deactivation it can undo")
    func reactivation() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let basic: HTTPFields = [.authorization: Harness.basic(agent.clientID, agent.secret)]
            #expect(try await h.json(.post, "/api/agents/\(agent.id)/deactivate", token: admin).status == .ok)
            let refused = try await h.form("/api/agents/me/reactivate", [], headers: basic)
            #expect(refused.status == .forbidden, "\(refused.text)")
            #expect(try await h.json(.get, "/api/agents/\(agent.id)", token: admin)["agent"]?.objectValue?["deactivated_by"] == "administrator")
            #expect(try await h.token(agent).status == .unauthorized, "still deactivated")
            #expect(try await h.json(.post, "/api/agents/\(agent.id)/reactivate", token: admin).status == .ok)
            let token = try await h.accessToken(agent)
            #expect(try await h.json(.post, "/api/agents/me/deactivate", token: token).status == .ok)
            #expect(try await h.json(.get, "/api/agents/\(agent.id)", token: admin)["agent"]?.objectValue?["deactivated_by"] == "self")
            #expect(try await h.form("/api/agents/me/reactivate", [], headers: basic).status == .ok)
        }
    }

    @Test("self-reactivation counts failures like any client authentication")
    func reactivationIsLimited() async throws {
        try await Harness.with(now: ManualClock().source) { h in
            let agent = try await h.createAgent(try await h.adminToken())
            for _ in 0..<5 {
                _ = try await h.form("/api/agents/me/reactivate", [], headers: [.authorization: Harness.basic(agent.clientID, "cs_guess")])
            }
            let limited = try await h.form("/api/agents/me/reactivate", [], headers: [.authorization: Harness.basic(agent.clientID, "cs_guess")])
            #expect(limited.status == .tooManyRequests && limited.string("error") == "slow_down" && limited.headers[.retryAfter] != nil, "\(limited.text)")
        }
    }

    @Test("a viewer may introspect but not revoke")
    func viewerRevocation() async throws {
        try await Harness.with { h in
            let owner = try await h.adminToken()
            let organization = try await h.json(.post, "/api/organizations", token: owner, ["name": "A", "slug": "a"])
            let orgID = organization["organization"]?.objectValue?["id"]?.stringValue ?? ""
            let viewer = try await AccountFixture.sessionAndID(h, owner: owner, role: "viewer", organizations: [orgID]).0
            let token = try await h.accessToken(try await h.createAgent(owner, extra: ["organization_id": .string(orgID)]))
            #expect(try await h.introspect(token, admin: viewer)["active"] == true)
            let revoke = try await h.form("/oauth/revoke", [("token", token)], headers: [.authorization: "Bearer \(viewer)"])
            #expect(revoke.status == .forbidden, "\(revoke.text)")
            #expect(try await h.isActive(token, admin: owner), "the token still works")
        }
    }

    @Test("tokens for another audience are no key to MachineAuth's own API")
    func audience() async throws {
        try await Harness.with { h in
            let owner = try await h.adminToken()
            let agent = try await h.createAgent(owner, extra: ["allowed_audiences": ["https://api.example.com"]])
            let refused = try await h.token(agent, [("audience", "https://evil.example.com")])
            #expect(refused.status == .badRequest && refused.string("error") == "invalid_target", "\(refused.text)")
            let plain = try await h.createAgent(owner, name: "plain")
            #expect(try await h.token(plain, [("resource", "https://elsewhere.example.org")]).string("error") == "invalid_target",
                    "agents without allowed_audiences get only the deployment's tokens.allowed_audiences")
            let foreign = try await h.token(agent, [("resource", "https://api.example.com")]).string("access_token")
            #expect(try await h.json(.get, "/api/agents/me", token: foreign).status == .unauthorized)
            #expect(try await h.json(.get, "/oauth/userinfo", token: foreign).status == .unauthorized)
            #expect(try await h.json(.get, "/api/verify", token: foreign)["valid"] == true, "verification still describes it")
            let own = try await h.accessToken(agent)
            #expect(try await h.json(.get, "/api/agents/me", token: own).status == .ok)
        }
    }

    @Test("only the owner grants audiences beyond tokens.allowed_audiences; a refresh drops audiences the agent lost")
    func audienceGrants() async throws {
        try await Harness.with { h in
            let owner = try await h.adminToken()
            let organization = try await h.json(.post, "/api/organizations", token: owner, ["name": "A", "slug": "a"])
            let orgID = organization["organization"]?.objectValue?["id"]?.stringValue ?? ""
            let key = try await h.json(.post, "/api/organizations/\(orgID)/api-keys", token: owner, ["name": "k"]).string("key")
            let foreign = try await h.json(.post, "/api/agents", token: key, ["name": "x", "allowed_audiences": ["https://other-tenant.example.com"]])
            #expect(foreign.status == .badRequest && foreign.string("field") == "allowed_audiences", "\(foreign.text)")
            let agent = try await h.createAgent(key, name: "y", extra: ["allowed_audiences": ["https://api.example.com"]])
            let granted = try await h.token(agent, [("resource", "https://api.example.com")])
            #expect(granted.status == .ok, "\(granted.text)")
            #expect(try await h.json(.patch, "/api/agents/\(agent.id)", token: key, ["allowed_audiences": ["https://api.example.com/"]]).status == .ok)
            let refreshed = try await h.form("/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", granted.string("refresh_token"))],
                                             headers: [.authorization: Harness.basic(agent.clientID, agent.secret)])
            #expect(refreshed.string("error") == "invalid_grant", "the audience it lost is not issued again: \(refreshed.text)")
            let ownerMade = try await h.createAgent(owner, name: "z", extra: ["allowed_audiences": ["https://partner.example.net"]])
            #expect(try await h.token(ownerMade, [("resource", "https://partner.example.net")]).status == .ok)
        }
    }

    @Test("the session cookie stands only for an admin session, and the OAuth endpoints never read it")
    func cookieScope() async throws {
        try await Harness.with { h in
            let owner = try await h.adminToken()
            let organization = try await h.json(.post, "/api/organizations", token: owner, ["name": "A", "slug": "a"])
            let orgID = organization["organization"]?.objectValue?["id"]?.stringValue ?? ""
            let key = try await h.json(.post, "/api/organizations/\(orgID)/api-keys", token: owner, ["name": "k"]).string("key")
            let planted = try await h.send(.post, "/api/organizations/\(orgID)/teams", headers: [.cookie: "machineauth_admin=\(key)", .contentType: "application/json"],
                                           body: #"{"name":"t"}"#)
            #expect(planted.status == .unauthorized, "an API key in the cookie is no session: \(planted.text)")
            let token = try await h.accessToken(try await h.createAgent(owner))
            let revoke = try await h.send(.post, "/oauth/revoke", headers: [.cookie: "machineauth_admin=\(owner)", .contentType: "application/x-www-form-urlencoded"],
                                          body: "token=\(token)")
            #expect(revoke.status == .unauthorized, "\(revoke.text)")
            #expect(try await h.isActive(token, admin: owner))
        }
    }

    @Test("switching organizations ends the session it replaces")
    func switchOrganization() async throws {
        try await Harness.with { h in
            let owner = try await h.adminToken()
            let organization = try await h.json(.post, "/api/organizations", token: owner, ["name": "A", "slug": "a"])
            let orgID = organization["organization"]?.objectValue?["id"]?.stringValue ?? ""
            let switched = try await h.json(.post, "/api/auth/switch-org", token: owner, ["organization_id": .string(orgID)])
            #expect(switched.status == .ok, "\(switched.text)")
            #expect(try await h.json(.get, "/api/auth/me", token: owner).status == .unauthorized)
            #expect(try await h.json(.get, "/api/auth/me", token: switched.string("token")).status == .ok)
        }
    }

    @Test("a refresh token presented by another client is invalid_grant and stays usable for its owner")
    func foreignRefreshToken() async throws {
        try await Harness.with { h in
            let owner = try await h.adminToken()
            let rightful = try await h.createAgent(owner, name: "rightful")
            let other = try await h.createAgent(owner, name: "other")
            let refreshToken = try await h.token(rightful).string("refresh_token")
            let stolen = try await h.form("/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", refreshToken)],
                                          headers: [.authorization: Harness.basic(other.clientID, other.secret)])
            #expect(stolen.string("error") == "invalid_grant")
            let used = try await h.form("/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", refreshToken)],
                                        headers: [.authorization: Harness.basic(rightful.clientID, rightful.secret)])
            #expect(used.status == .ok, "\(used.text)")
        }
    }

    @Test("a new password ends the account's sessions")
    func passwordReset() async throws {
        try await Harness.with { h in
            let owner = try await h.adminToken()
            let (session, userID) = try await AccountFixture.sessionAndID(h, owner: owner, role: "admin")
            #expect(try await h.json(.get, "/api/auth/me", token: session).status == .ok)
            #expect(try await h.json(.patch, "/api/users/\(userID)", token: owner, ["password": "a-brand-new-password"]).status == .ok)
            #expect(try await h.json(.get, "/api/auth/me", token: session).status == .unauthorized)
            #expect(try await h.json(.patch, "/api/users/\(userID)", token: owner, ["name": "renamed"]).status == .ok)
        }
    }

    @Test("cookie sessions need the CSRF token for changes, not for reads")
    func csrf() async throws {
        try await Harness.with { h in
            let login = try await h.json(.post, "/api/auth/login", ["email": "admin@example.com", "password": "correct-horse-battery"])
            let csrf = login.string("csrf_token")
            #expect(!csrf.isEmpty && login.headers[values: .setCookie].contains { $0.hasPrefix("machineauth_csrf=\(csrf)") })
            let cookie: HTTPFields = [.cookie: "machineauth_admin=\(login.string("token"))", .contentType: "application/json"]
            #expect(try await h.send(.get, "/api/agents", headers: cookie).status == .ok)
            let forged = try await h.send(.post, "/api/agents", headers: cookie, body: #"{"name":"x"}"#)
            #expect(forged.status == .forbidden && forged.string("error") == "csrf_token_invalid")
            var wrong = cookie
            wrong[.xCSRFTokenForTests] = "not-the-token"
            #expect(try await h.send(.post, "/api/agents", headers: wrong, body: #"{"name":"x"}"#).status == .forbidden)
            var good = cookie
            good[.xCSRFTokenForTests] = csrf
            #expect(try await h.send(.post, "/api/agents", headers: good, body: #"{"name":"x"}"#).status == .created)
        }
    }
}

extension HTTPField.Name {
    static let xCSRFTokenForTests = Self("X-CSRF-Token")!
}

/// Administrator accounts made through the API, signed in.
enum AccountFixture {
    static func sessionAndID(_ h: Harness, owner: String, role: String, organizations: [String] = []) async throws -> (String, String) {
        let email = "\(role)-\(RandomToken.hex(bytes: 4))@example.com"
        let created = try await h.json(.post, "/api/users", token: owner, [
            "email": .string(email), "password": "account-password-1", "role": .string(role),
            "organization_ids": .array(organizations.map(JSONValue.string)),
        ])
        #expect(created.status == .created, "\(created.text)")
        let login = try await h.json(.post, "/api/auth/login", ["email": .string(email), "password": "account-password-1"])
        #expect(login.status == .ok, "\(login.text)")
        return (login.string("token"), created["user"]?.objectValue?["id"]?.stringValue ?? "")
    }

}
