import Foundation
import Hummingbird
import HTTPTypes
import MachineAuthCore
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

/// Two organizations, each with a team, an agent, an API key and an organization admin.
struct TwoTenants: Sendable {
    struct Tenant: Sendable {
        var id: String
        var teamID: String
        var agent: Harness.Credentials
        var apiKeyID: String
        var apiKey: String
        var adminToken: String
        var viewerToken: String
    }

    var a: Tenant
    var b: Tenant

    static func make(_ h: Harness) async throws -> TwoTenants {
        let owner = try await h.adminToken()
        func tenant(_ slug: String) async throws -> Tenant {
            let org = try await h.json(.post, "/api/organizations", token: owner, ["name": .string(slug.uppercased()), "slug": .string(slug)])
            #expect(org.status == .created, "\(org.text)")
            let id = org["organization"]?.objectValue?["id"]?.stringValue ?? ""
            let team = try await h.json(.post, "/api/organizations/\(id)/teams", token: owner, ["name": "core"])
            let teamID = team["team"]?.objectValue?["id"]?.stringValue ?? ""
            let agent = try await h.createAgent(owner, name: "\(slug)-agent", extra: ["organization_id": .string(id), "team_id": .string(teamID)])
            let key = try await h.json(.post, "/api/organizations/\(id)/api-keys", token: owner, ["name": "ci", "expires_in": 3600])
            #expect(key.status == .created, "\(key.text)")
            var tokens: [String] = []
            for role in ["admin", "viewer"] {
                let email = "\(role)@\(slug).example.com"
                let user = try await h.json(.post, "/api/users", token: owner, [
                    "email": .string(email), "password": "long-enough-password", "role": .string(role), "organization_ids": [.string(id)],
                ])
                #expect(user.status == .created, "\(user.text)")
                tokens.append(try await h.json(.post, "/api/auth/login", ["email": .string(email), "password": "long-enough-password"]).string("token"))
            }
            return Tenant(id: id, teamID: teamID, agent: agent, apiKeyID: key["api_key"]?.objectValue?["id"]?.stringValue ?? "",
                          apiKey: key.string("key"), adminToken: tokens[0], viewerToken: tokens[1])
        }
        return TwoTenants(a: try await tenant("org-a"), b: try await tenant("org-b"))
    }
}

@Suite("Tenant isolation")
struct TenancyTests {
    /// Every by-id route of org B, as seen by a caller of org A.
    static func foreignRoutes(_ b: TwoTenants.Tenant) -> [(HTTPRequest.Method, String, JSONValue?)] {
        [
            (.get, "/api/organizations/\(b.id)", nil), (.put, "/api/organizations/\(b.id)", ["name": "x"]),
            (.delete, "/api/organizations/\(b.id)?cascade=true", nil),
            (.get, "/api/organizations/\(b.id)/teams", nil), (.post, "/api/organizations/\(b.id)/teams", ["name": "x"]),
            (.get, "/api/organizations/\(b.id)/teams/\(b.teamID)", nil), (.put, "/api/organizations/\(b.id)/teams/\(b.teamID)", ["name": "x"]),
            (.delete, "/api/organizations/\(b.id)/teams/\(b.teamID)", nil),
            (.get, "/api/organizations/\(b.id)/agents", nil), (.post, "/api/organizations/\(b.id)/agents", ["name": "x"]),
            (.get, "/api/organizations/\(b.id)/api-keys", nil), (.post, "/api/organizations/\(b.id)/api-keys", ["name": "x"]),
            (.delete, "/api/organizations/\(b.id)/api-keys/\(b.apiKeyID)", nil),
            (.get, "/api/agents/\(b.agent.id)", nil), (.patch, "/api/agents/\(b.agent.id)", ["name": "x"]),
            (.put, "/api/agents/\(b.agent.id)", ["name": "x"]), (.delete, "/api/agents/\(b.agent.id)", nil),
            (.post, "/api/agents/\(b.agent.id)/rotate", nil), (.post, "/api/agents/\(b.agent.id)/deactivate", nil),
            (.post, "/api/agents/\(b.agent.id)/reactivate", nil),
            (.post, "/api/agents", ["name": "x", "organization_id": .string(b.id)]),
            (.get, "/api/audit-logs?organization_id=\(b.id)", nil),
        ]
    }

    @Test("an org-A admin and an org-A API key cannot read, change, delete or list anything of org B")
    func isolation() async throws {
        try await Harness.with { h in
            let tenants = try await TwoTenants.make(h)
            for credential in [tenants.a.adminToken, tenants.a.apiKey] {
                for (method, path, body) in Self.foreignRoutes(tenants.b) {
                    let reply = try await h.json(method, path, token: credential, body)
                    // API keys never reach the administrators' routes at all (403 before any lookup).
                    let adminOnly = path.contains("/api-keys") || path.contains("/audit-logs")
                        || (path.hasSuffix(tenants.b.id) || path.contains("?cascade")) && [.put, .delete].contains(method)
                    let expected: HTTPResponse.Status = credential == tenants.a.apiKey && adminOnly ? .forbidden : .notFound
                    #expect(reply.status == expected, "\(method) \(path) → \(reply.status) \(reply.text)")
                }
                let organizations = try await h.json(.get, "/api/organizations", token: credential)
                #expect(organizations["organizations"]?.arrayValue?.compactMap { $0.objectValue?["id"]?.stringValue } == [tenants.a.id])
                let agents = try await h.json(.get, "/api/agents", token: credential)
                #expect(agents["agents"]?.arrayValue?.compactMap { $0.objectValue?["id"]?.stringValue } == [tenants.a.agent.id])
                let foreignList = try await h.json(.get, "/api/agents?organization_id=\(tenants.b.id)", token: credential)
                #expect(foreignList["agents"]?.arrayValue?.isEmpty == true)
                let introspect = try await h.form("/oauth/introspect", [("token", try await h.accessToken(tenants.b.agent))],
                                                  headers: [.authorization: "Bearer \(credential)"])
                #expect(introspect.text == "{\"active\":false}")
                let own = try await h.form("/oauth/introspect", [("token", try await h.accessToken(tenants.a.agent))],
                                           headers: [.authorization: "Bearer \(credential)"])
                #expect(own["active"] == true)
            }
            let owner = try await h.adminToken()
            #expect(try await h.json(.get, "/api/agents/\(tenants.b.agent.id)", token: owner).status == .ok, "org B is intact")
            #expect(try await h.token(tenants.b.agent).status == .ok)
        }
    }

    @Test("an org admin manages its own organization; a viewer changes nothing; API keys cannot mint keys")
    func roles() async throws {
        try await Harness.with { h in
            let tenants = try await TwoTenants.make(h)
            let admin = tenants.a.adminToken
            #expect(try await h.json(.post, "/api/organizations/\(tenants.a.id)/teams", token: admin, ["name": "ops"]).status == .created)
            let created = try await h.json(.post, "/api/organizations/\(tenants.a.id)/agents", token: admin, ["name": "mine"])
            #expect(created.status == .created)
            #expect(created["agent"]?.objectValue?["organization_id"]?.stringValue == tenants.a.id)
            let viewer = tenants.a.viewerToken
            #expect(try await h.json(.get, "/api/agents/\(tenants.a.agent.id)", token: viewer).status == .ok)
            for (method, path, body) in [
                (HTTPRequest.Method.post, "/api/organizations/\(tenants.a.id)/teams", JSONValue.object(["name": "x"])),
                (.patch, "/api/agents/\(tenants.a.agent.id)", ["name": "x"]), (.delete, "/api/agents/\(tenants.a.agent.id)", nil),
                (.post, "/api/agents", ["name": "x", "organization_id": .string(tenants.a.id)]),
            ] {
                #expect(try await h.json(method, path, token: viewer, body).status == .forbidden, "viewer \(method) \(path)")
            }
            let keyByKey = try await h.json(.post, "/api/organizations/\(tenants.a.id)/api-keys", token: tenants.a.apiKey, ["name": "x"])
            #expect(keyByKey.status == .forbidden)
            let agentByKey = try await h.json(.post, "/api/agents", token: tenants.a.apiKey, ["name": "via-key"])
            #expect(agentByKey.status == .created)
            #expect(agentByKey["agent"]?.objectValue?["organization_id"]?.stringValue == tenants.a.id)
            for path in ["/api/users", "/api/keys/rotate"] {
                #expect(try await h.json(.post, path, token: admin, ["email": "x@y.z"]).status == .forbidden, "\(path)")
            }
        }
    }

    @Test("tokens carry the right org and team claims")
    func claims() async throws {
        try await Harness.with { h in
            let tenants = try await TwoTenants.make(h)
            for tenant in [tenants.a, tenants.b] {
                let claims = try JWS.parse(try await h.accessToken(tenant.agent)).claims
                #expect(claims["org_id"]?.stringValue == tenant.id)
                #expect(claims["team_id"]?.stringValue == tenant.teamID)
                #expect(claims["org_slug"]?.stringValue?.hasPrefix("org-") == true)
            }
            let loose = try await h.createAgent(try await h.adminToken(), name: "no-org")
            #expect(try JWS.parse(try await h.accessToken(loose)).claims["org_id"] == nil)
        }
    }

    @Test("expired and revoked API keys get 401; listing shows prefix, last use and expiry, never the key")
    func apiKeys() async throws {
        let clock = ManualClock()
        try await Harness.with(now: clock.source) { h in
            let tenants = try await TwoTenants.make(h)
            let owner = try await h.adminToken()
            #expect(try await h.json(.get, "/api/agents", token: tenants.a.apiKey).status == .ok)
            let list = try await h.json(.get, "/api/organizations/\(tenants.a.id)/api-keys", token: owner)
            let entry = try #require(list["api_keys"]?.arrayValue?.first?.objectValue)
            #expect(entry["prefix"]?.stringValue.map { tenants.a.apiKey.hasPrefix($0) } == true)
            #expect(entry["last_used_at"] != .null && entry["expires_at"] != .null)
            #expect(!list.text.contains(tenants.a.apiKey) && !list.text.contains("hmac"))
            let revoked = try await h.json(.delete, "/api/organizations/\(tenants.a.id)/api-keys/\(tenants.a.apiKeyID)", token: owner)
            #expect(revoked.status == .ok)
            let afterRevoke = try await h.send(.get, "/api/agents", headers: [HTTPField.Name("X-API-Key")!: tenants.a.apiKey])
            #expect(afterRevoke.status == .unauthorized)
            #expect(try await h.json(.get, "/api/agents", token: tenants.b.apiKey).status == .ok)
            clock.advance(3601)
            #expect(try await h.json(.get, "/api/agents", token: tenants.b.apiKey).status == .unauthorized, "expired")
            #expect(try await h.json(.get, "/api/agents", token: "sk_never_issued").status == .unauthorized)
        }
    }

    @Test("organizations: slug rules, uniqueness, cascade deletion ends the tenant's tokens")
    func organizations() async throws {
        try await Harness.with { h in
            let owner = try await h.adminToken()
            for slug in ["Upper", "-lead", "trail-", "has space", "", String(repeating: "a", count: 64)] {
                let reply = try await h.json(.post, "/api/organizations", token: owner, ["name": "x", "slug": .string(slug)])
                #expect(reply.status == .badRequest && reply.string("field") == "slug", "slug \(slug)")
            }
            let tenants = try await TwoTenants.make(h)
            #expect(try await h.json(.post, "/api/organizations", token: owner, ["name": "dup", "slug": "org-a"]).status == .conflict)
            let token = try await h.accessToken(tenants.a.agent)
            let refused = try await h.json(.delete, "/api/organizations/\(tenants.a.id)", token: owner)
            #expect(refused.status == .conflict)
            let deleted = try await h.json(.delete, "/api/organizations/\(tenants.a.id)?cascade=true", token: owner)
            #expect(deleted["agents_deleted"] == .int(1))
            #expect(try await h.isActive(token, admin: owner) == false)
            #expect(try await h.token(tenants.a.agent).string("error") == "invalid_client")
            #expect(try await h.json(.get, "/api/agents", token: tenants.a.apiKey).status == .unauthorized)
            #expect(try await h.json(.get, "/api/organizations/\(tenants.a.id)/teams", token: owner).status == .notFound)
        }
    }

    @Test("me, switch-org and users; sign-up is off unless enabled")
    func accounts() async throws {
        try await Harness.with { h in
            let tenants = try await TwoTenants.make(h)
            let owner = try await h.adminToken()
            let users = try await h.json(.get, "/api/users", token: owner)
            #expect(users["users"]?.arrayValue?.count == 4)
            #expect(!users.text.contains("pbkdf2"))
            let userID = users["users"]?.arrayValue?.first { $0.objectValue?["email"] == "admin@org-a.example.com" }?.objectValue?["id"]?.stringValue ?? ""
            #expect(try await h.json(.patch, "/api/users/\(userID)", token: owner, ["organization_ids": [.string(tenants.a.id), .string(tenants.b.id)]]).status == .ok)
            let me = try await h.json(.get, "/api/auth/me", token: tenants.a.adminToken)
            #expect(me["organizations"]?.arrayValue?.count == 2)
            let switched = try await h.json(.post, "/api/auth/switch-org", token: tenants.a.adminToken, ["organization_id": .string(tenants.b.id)])
            #expect(switched.string("current_organization_id") == tenants.b.id)
            let listed = try await h.json(.get, "/api/agents", token: switched.string("token"))
            #expect(listed["agents"]?.arrayValue?.compactMap { $0.objectValue?["id"]?.stringValue } == [tenants.b.agent.id])
            #expect(try await h.json(.post, "/api/auth/switch-org", token: tenants.b.viewerToken, ["organization_id": .string(tenants.a.id)]).status == .notFound)
            #expect(try await h.json(.delete, "/api/users/\(userID)", token: owner).status == .ok)
            #expect(try await h.json(.get, "/api/agents", token: tenants.a.adminToken).status == .unauthorized, "deleted accounts lose access at once")
            let signup = try await h.json(.post, "/api/auth/signup", ["email": "new@x.example.com", "password": "long-enough-password", "organization_name": "New Co"])
            #expect(signup.status == .forbidden && signup.string("error") == "signup_disabled")
        }
        let yaml = RuntimeFixture.yaml().replacingOccurrences(of: "  max_failed_logins: 3", with: "  max_failed_logins: 3\n  allow_signup: true")
        try await Harness.with(yaml) { h in
            let signup = try await h.json(.post, "/api/auth/signup", ["email": "new@x.example.com", "password": "long-enough-password", "organization_name": "New Co"])
            #expect(signup.status == .created, "\(signup.text)")
            let token = signup.string("token")
            let organizations = try await h.json(.get, "/api/organizations", token: token)
            #expect(organizations["organizations"]?.arrayValue?.first?.objectValue?["slug"] == "new-co")
            #expect(try await h.json(.post, "/api/auth/signup", ["email": "new@x.example.com", "password": "long-enough-password", "organization_name": "Other"]).status == .conflict)
        }
    }
}
