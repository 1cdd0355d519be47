import Foundation
import HTTPTypes
import Hummingbird
import MachineAuthCore
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

@Suite("Gateway endpoints in-process")
struct GatewayTests {
    static let yaml = RuntimeFixture.yaml(extra: """
        gateway:
          rules:
            - match: { path: "/public/**" }
              allow_anonymous: true
            - match: { host: api.example.com, path: "/v1/reports/**", methods: [GET] }
              require_scopes: [read]
            - match: { path: "/v1/admin/**" }
              require_scopes: [admin]
            - match: { path: "/v1/org/**" }
              allowed_orgs: [acme]
            - match: { path: "/v1/status" }
              allow_api_keys: true
          identity_headers:
            X-Client-Id: client_id
            X-Tier: "metadata:tier"
          protected_resources:
            - resource: https://api.example.com/v1
              scopes_supported: [read, admin]
        """)

    static func header(_ name: String) -> HTTPField.Name { HTTPField.Name(name)! }

    @Test("Traefik and Caddy headers (X-Forwarded-Method/-Uri/-Host) decide the request")
    func traefikDialect() async throws {
        try await Harness.with(Self.yaml, live: true) { h in
            let agent = try await h.createAgent(try await h.adminToken(), extra: ["metadata": ["tier": "gold"]])
            let token = try await h.accessToken(agent)
            let headers: HTTPFields = [
                .authorization: "Bearer \(token)", Self.header("X-Forwarded-Method"): "GET", Self.header("X-Forwarded-Uri"): "/v1/reports/q?x=1",
                Self.header("X-Forwarded-Host"): "api.example.com", Self.header("X-Forwarded-Proto"): "https",
            ]
            let allowed = try await h.send(.get, "/gateway/check", headers: headers)
            #expect(allowed.status == .ok)
            #expect(allowed.headers[Self.header("X-Client-Id")] == agent.clientID)
            #expect(allowed.headers[Self.header("X-Tier")] == "gold")
            var post = headers
            post[Self.header("X-Forwarded-Method")] = "POST"
            #expect(try await h.send(.get, "/gateway/check", headers: post).status == .forbidden)
        }
    }

    @Test("Envoy ext_authz: original method and path behind the prefix, Host kept")
    func envoyDialect() async throws {
        try await Harness.with(Self.yaml) { h in
            let token = try await h.accessToken(try await h.createAgent(try await h.adminToken(), scopes: ["admin"]))
            let allowed = try await h.send(.delete, "/gateway/check/v1/admin/users/7", headers: [.authorization: "Bearer \(token)"])
            #expect(allowed.status == .ok)
            let denied = try await h.send(.get, "/gateway/check/v1/admin/users", headers: [:])
            #expect(denied.status == .unauthorized)
            #expect(denied.headers[.wwwAuthenticate]?.contains(#"resource_metadata="https://api.example.com/.well-known/oauth-protected-resource/v1""#) == true)
        }
    }

    @Test("nginx headers; scope, org and API-key rules; never a redirect")
    func rules() async throws {
        try await Harness.with(Self.yaml, live: true) { h in
            let owner = try await h.adminToken()
            let organization = try await h.json(.post, "/api/organizations", token: owner, ["name": "Acme", "slug": "acme"])
            let orgID = organization["organization"]?.objectValue?["id"]?.stringValue ?? ""
            let member = try await h.accessToken(try await h.createAgent(owner, name: "m", extra: ["organization_id": .string(orgID)]))
            let outsider = try await h.accessToken(try await h.createAgent(owner, name: "o"))
            func check(_ uri: String, _ credential: String?) async throws -> Harness.Reply {
                var headers: HTTPFields = [Self.header("X-Original-URI"): uri, Self.header("X-Original-Method"): "GET", Self.header("X-Forwarded-Host"): "api.example.com"]
                if let credential { headers[.authorization] = "Bearer \(credential)" }
                return try await h.send(.get, "/gateway/check", headers: headers)
            }
            #expect(try await check("/v1/org/data", member).status == .ok)
            let foreign = try await check("/v1/org/data", outsider)
            #expect(foreign.status == .forbidden && foreign.string("error") == "access_denied")
            let scope = try await check("/v1/admin/x", member)
            #expect(scope.status == .forbidden && scope.headers[.wwwAuthenticate]?.contains(#"scope="admin""#) == true)
            #expect(try await check("/public/x", nil).status == .ok)
            #expect(try await check("/nothing", member).status == .forbidden)
            let key = try await h.json(.post, "/api/organizations/\(orgID)/api-keys", token: owner, ["name": "probe"]).string("key")
            #expect(try await check("/v1/status", key).status == .ok)
            #expect(try await check("/v1/org/data", key).status == .forbidden, "API keys only where a rule allows them")
            #expect(try await check("/v1/status", "sk_unknown").status == .unauthorized)
        }
    }

    @Test("/api/verify describes tokens and API keys, or answers 401")
    func verify() async throws {
        try await Harness.with(Self.yaml) { h in
            let owner = try await h.adminToken()
            let agent = try await h.createAgent(owner)
            let token = try await h.accessToken(agent)
            let reply = try await h.json(.get, "/api/verify", token: token)
            #expect(reply["valid"] == true && reply.string("client_id") == agent.clientID && reply["scopes"] == ["read", "write"])
            let posted = try await h.form("/api/verify", [("token", token)])
            #expect(posted["valid"] == true)
            let organization = try await h.json(.post, "/api/organizations", token: owner, ["name": "Acme", "slug": "acme"])
            let orgID = organization["organization"]?.objectValue?["id"]?.stringValue ?? ""
            let key = try await h.json(.post, "/api/organizations/\(orgID)/api-keys", token: owner, ["name": "k"]).string("key")
            let keyReply = try await h.json(.post, "/api/verify", token: key)
            #expect(keyReply.string("token_type") == "api_key" && keyReply.string("organization_id") == orgID)
            let bad = try await h.json(.get, "/api/verify", token: "garbage")
            #expect(bad.status == .unauthorized && bad.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
            #expect(try await h.json(.get, "/api/verify").status == .unauthorized)
        }
    }

    @Test("RFC 9728 protected resource metadata")
    func protectedResource() async throws {
        try await Harness.with(Self.yaml) { h in
            let reply = try await h.send(.get, "/.well-known/oauth-protected-resource/v1", headers: [Self.header("X-Forwarded-Host"): "api.example.com"])
            #expect(reply.string("resource") == "https://api.example.com/v1")
            #expect(reply["authorization_servers"] == ["http://issuer.test"])
            #expect(reply["scopes_supported"] == ["read", "admin"])
        }
    }
}
