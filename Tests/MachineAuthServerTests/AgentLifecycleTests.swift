import Foundation
import Hummingbird
import MachineAuthCore
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

@Suite("Agents API")
struct AgentLifecycleTests {
    @Test("create returns the secret once; the record never contains secret hashes")
    func create() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let reply = try await h.json(.post, "/api/agents", token: admin, [
                "name": "reporter", "description": "makes reports", "tags": ["ops"], "scopes": ["read"],
                "metadata": ["team": "data"], "expires_in": 3600,
            ])
            #expect(reply.status == .created)
            #expect(reply.string("client_secret").hasPrefix("cs_"))
            #expect(reply.string("message").contains("will not be shown again"))
            let agent = try #require(reply["agent"]?.objectValue)
            for field in ["id", "name", "description", "tags", "metadata", "client_id", "scopes", "status", "is_active", "organization_id",
                          "team_id", "created_at", "updated_at", "expires_at", "token_count", "refresh_count", "last_activity_at"] {
                #expect(agent[field] != nil, "missing \(field)")
            }
            #expect(agent["status"] == "active")
            let id = agent["id"]!.stringValue!
            let fetched = try await h.json(.get, "/api/agents/\(id)", token: admin)
            #expect(!fetched.text.contains("hmac-sha256") && !fetched.text.contains("\"secrets\"") && !fetched.text.contains("client_secret\""))
            #expect(fetched["agent"]?.objectValue?["token_endpoint_auth_method"] == "client_secret_basic" && fetched["agent"]?.objectValue?["jwks"] == .null)
            #expect(fetched["agent"]?.objectValue?["metadata"] == ["team": "data"])
        }
    }

    @Test("invalid input is a 400 naming the field", arguments: [
        (#"{"scopes":["read"]}"#, "name"), (#"{"name":""}"#, "name"), (#"{"name":"a","scopes":"bad\"scope"}"#, "scopes"),
        (#"{"name":"a","scopes":[1]}"#, "scopes"), (#"{"name":"a","expires_in":-5}"#, "expires_in"),
        (#"{"name":"a","expires_at":"yesterday"}"#, "expires_at"), (#"{"name":"a","metadata":{"k":{"x":1}}}"#, "metadata"),
        (#"{"name":"a","grant_types":["password"]}"#, "grant_types"), (#"{"name":"a","expires_at":"2001-01-01T00:00:00Z"}"#, "expires_at"),
    ])
    func validation(body: String, field: String) async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let reply = try await h.send(.post, "/api/agents", headers: [.authorization: "Bearer \(admin)", .contentType: "application/json"], body: body)
            #expect(reply.status == .badRequest, "\(reply.text)")
            #expect(reply.string("field") == field, "\(reply.text)")
        }
    }

    @Test("list paginates, searches and filters")
    func list() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            for index in 0..<5 { _ = try await h.createAgent(admin, name: "bot-\(index)", scopes: index.isMultiple(of: 2) ? ["read"] : ["write"]) }
            let off = try await h.createAgent(admin, name: "sleeper")
            _ = try await h.json(.post, "/api/agents/\(off.id)/deactivate", token: admin)
            let page = try await h.json(.get, "/api/agents?page=2&limit=2", token: admin)
            #expect(page["agents"]?.arrayValue?.count == 2)
            #expect(page["pagination"] == ["total": 6, "page": 2, "limit": 2, "total_pages": 3])
            #expect(try await h.json(.get, "/api/agents?q=BOT", token: admin)["pagination"]?.objectValue?["total"] == 5)
            #expect(try await h.json(.get, "/api/agents?scope=write", token: admin)["pagination"]?.objectValue?["total"] == 3)
            #expect(try await h.json(.get, "/api/agents?status=inactive", token: admin)["pagination"]?.objectValue?["total"] == 1)
            #expect(try await h.json(.get, "/api/agents?status=zombie", token: admin).string("field") == "status")
            #expect(try await h.json(.get, "/api/agents?limit=0", token: admin).string("field") == "limit")
        }
    }

    @Test("update changes name, scopes, metadata and expiry; unknown ids are 404")
    func update() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let patched = try await h.json(.patch, "/api/agents/\(agent.id)", token: admin, [
                "name": "renamed", "scopes": ["read"], "metadata": ["a": "b"], "expires_at": "2031-01-01T00:00:00Z",
            ])
            let view = try #require(patched["agent"]?.objectValue)
            #expect(view["name"] == "renamed" && view["scopes"] == ["read"] && view["expires_at"] == "2031-01-01T00:00:00Z")
            let cleared = try await h.json(.put, "/api/agents/\(agent.id)", token: admin, ["expires_at": .null])
            #expect(cleared["agent"]?.objectValue?["expires_at"] == .null)
            #expect(try await h.token(agent, [("scope", "write")]).string("error") == "invalid_scope", "scope removal applies to new tokens")
            #expect(try await h.json(.patch, "/api/agents/missing", token: admin, ["name": "x"]).status == .notFound)
            #expect(try await h.json(.get, "/api/agents/missing", token: admin).status == .notFound)
        }
    }

    @Test("rotation: the old secret and old tokens stop working at once")
    func rotateImmediately() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let oldToken = try await h.accessToken(agent)
            let rotated = try await h.json(.post, "/api/agents/\(agent.id)/rotate", token: admin)
            let secret = rotated.string("client_secret")
            #expect(secret.hasPrefix("cs_") && secret != agent.secret)
            #expect(try await h.token(agent).string("error") == "invalid_client")
            #expect(try await h.isActive(oldToken, admin: admin) == false)
            let fresh = Harness.Credentials(id: agent.id, clientID: agent.clientID, secret: secret)
            let newToken = try await h.accessToken(fresh)
            #expect(try await h.isActive(newToken, admin: admin), "a token issued right after rotation works")
        }
    }

    @Test("rotation with a grace period: the old secret works until it ends, then not")
    func rotateWithGrace() async throws {
        let clock = ManualClock()
        try await Harness.with(now: clock.source) { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let oldToken = try await h.accessToken(agent)
            let rotated = try await h.json(.post, "/api/agents/\(agent.id)/rotate", token: admin, ["grace_period_seconds": 60])
            #expect(rotated["previous_secret_expires_at"] != nil)
            let fresh = Harness.Credentials(id: agent.id, clientID: agent.clientID, secret: rotated.string("client_secret"))
            clock.advance(30)
            #expect(try await h.token(agent).status == .ok, "old secret inside the grace period")
            #expect(try await h.token(fresh).status == .ok)
            #expect(try await h.isActive(oldToken, admin: admin))
            clock.advance(31)
            #expect(try await h.token(agent).string("error") == "invalid_client", "old secret after the grace period")
            #expect(try await h.isActive(oldToken, admin: admin) == false)
            #expect(try await h.token(fresh).status == .ok)
            #expect(try await h.json(.post, "/api/agents/\(agent.id)/rotate", token: admin, ["grace_period_seconds": -1]).string("field") == "grace_period_seconds")
        }
    }

    @Test("deactivation kills tokens, also after reactivation; new tokens work again")
    func deactivateReactivate() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let token = try await h.accessToken(agent)
            let refresh = try await h.token(agent).string("refresh_token")
            let off = try await h.json(.post, "/api/agents/\(agent.id)/deactivate", token: admin)
            #expect(off["agent"]?.objectValue?["status"] == "inactive")
            #expect(try await h.isActive(token, admin: admin) == false)
            let on = try await h.json(.post, "/api/agents/\(agent.id)/reactivate", token: admin)
            #expect(on["agent"]?.objectValue?["is_active"] == true)
            #expect(try await h.isActive(token, admin: admin) == false, "old tokens stay dead")
            let reuse = try await h.form("/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", refresh)],
                                         headers: [.authorization: Harness.basic(agent.clientID, agent.secret)])
            #expect(reuse.string("error") == "invalid_grant")
            #expect(try await h.isActive(try await h.accessToken(agent), admin: admin))
        }
    }

    @Test("deleting an agent makes its tokens inactive at once")
    func delete() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let token = try await h.accessToken(agent)
            #expect(try await h.json(.delete, "/api/agents/\(agent.id)", token: admin).status == .ok)
            #expect(try await h.isActive(token, admin: admin) == false)
            #expect(try await h.json(.delete, "/api/agents/\(agent.id)", token: admin).status == .notFound)
        }
    }
}
