import Foundation
import Hummingbird
import MachineAuthCore
import MachineAuthServer
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

@Suite("Introspection and revocation")
struct IntrospectionRevocationTests {
    @Test("introspection requires caller authentication")
    func requiresAuthentication() async throws {
        try await Harness.with { h in
            let agent = try await h.createAgent(try await h.adminToken())
            let token = try await h.accessToken(agent)
            let anonymous = try await h.form("/oauth/introspect", [("token", token)])
            #expect(anonymous.status == .unauthorized && anonymous.string("error") == "invalid_client")
            let missing = try await h.form("/oauth/introspect", [], headers: [.authorization: Harness.basic(agent.clientID, agent.secret)])
            #expect(missing.string("error") == "invalid_request")
        }
    }

    @Test("a client sees its own tokens and only active:false for foreign, invalid and garbage tokens")
    func ownAndForeign() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let mine = try await h.createAgent(admin, name: "mine")
            let other = try await h.createAgent(admin, name: "other")
            let auth: HTTPFields = [.authorization: Harness.basic(mine.clientID, mine.secret)]
            let own = try await h.form("/oauth/introspect", [("token", try await h.accessToken(mine))], headers: auth)
            #expect(own["active"] == true)
            #expect(own.string("client_id") == mine.clientID)
            #expect(own.string("token_type") == "Bearer")
            #expect(own["exp"] != nil && own["scope"] == "read write")
            for token in [try await h.accessToken(other), "garbage", "a.b.c"] {
                let reply = try await h.form("/oauth/introspect", [("token", token)], headers: auth)
                #expect(reply.text == "{\"active\":false}", "\(token.prefix(10))")
            }
        }
    }

    @Test("self-introspection with the token itself is off by default and works when enabled")
    func selfIntrospection() async throws {
        try await Harness.with { h in
            let token = try await h.accessToken(try await h.createAgent(try await h.adminToken()))
            let refused = try await h.form("/oauth/introspect", [("token", token)], headers: [.authorization: "Bearer \(token)"])
            #expect(refused.status == .unauthorized)
        }
        let yaml = RuntimeFixture.yaml().replacingOccurrences(of: "  access_token_ttl: 600", with: "  access_token_ttl: 600\n  allow_self_introspection: true")
        try await Harness.with(yaml) { h in
            let token = try await h.accessToken(try await h.createAgent(try await h.adminToken()))
            let allowed = try await h.form("/oauth/introspect", [("token", token)], headers: [.authorization: "Bearer \(token)"])
            #expect(allowed["active"] == true)
        }
    }

    @Test("a revoked access token is inactive everywhere at once")
    func revokeAccessToken() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let token = try await h.accessToken(agent)
            #expect(try await h.json(.get, "/api/agents/me", token: token).status == .ok)
            let revoked = try await h.form("/oauth/revoke", [("token", token), ("token_type_hint", "access_token")],
                                           headers: [.authorization: Harness.basic(agent.clientID, agent.secret)])
            #expect(revoked.status == .ok)
            #expect(try await h.isActive(token, admin: admin) == false)
            let me = try await h.json(.get, "/api/agents/me", token: token)
            #expect(me.status == .unauthorized)
            #expect(me.headers[.wwwAuthenticate]?.contains("error=\"invalid_token\"") == true)
            #expect(try await h.runtime.storage.revokedAccessTokens().contains { $0.agentID == agent.id }, "persisted for restarts")
        }
    }

    @Test("revoking a refresh token ends its grant; unknown tokens get 200; a foreign client cannot revoke")
    func revokeRefreshToken() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let other = try await h.createAgent(admin, name: "other")
            let auth: HTTPFields = [.authorization: Harness.basic(agent.clientID, agent.secret)]
            let refresh = try await h.token(agent).string("refresh_token")
            let foreignAccess = try await h.accessToken(other)
            #expect(try await h.form("/oauth/revoke", [("token", foreignAccess)], headers: auth).status == .ok)
            #expect(try await h.isActive(foreignAccess, admin: admin), "another client's token stays valid")
            #expect(try await h.form("/oauth/revoke", [("token", refresh)], headers: auth).status == .ok)
            let use = try await h.form("/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", refresh)], headers: auth)
            #expect(use.string("error") == "invalid_grant")
            #expect(try await h.form("/oauth/revoke", [("token", "never-issued")], headers: auth).status == .ok)
            #expect(try await h.form("/oauth/revoke", [("token", refresh)]).status == .unauthorized)
        }
    }

    @Test("refresh tokens introspect as refresh tokens")
    func introspectRefresh() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let refresh = try await h.token(try await h.createAgent(admin)).string("refresh_token")
            let reply = try await h.introspect(refresh, admin: admin)
            #expect(reply["active"] == true)
            #expect(reply.string("token_type") == "refresh_token")
        }
    }
}

@Suite("Discovery and key rotation")
struct DiscoveryTests {
    @Test("metadata documents agree and name every endpoint")
    func metadata() async throws {
        try await Harness.with { h in
            let oauth = try await h.send(.get, "/.well-known/oauth-authorization-server")
            let openid = try await h.send(.get, "/.well-known/openid-configuration")
            #expect(oauth.string("issuer") == "http://issuer.test")
            #expect(oauth.string("token_endpoint") == "http://issuer.test/oauth/token")
            #expect(oauth.string("jwks_uri") == "http://issuer.test/.well-known/jwks.json")
            #expect(oauth["token_endpoint_auth_methods_supported"] == ["client_secret_basic", "client_secret_post"])
            #expect(oauth["grant_types_supported"] == ["client_credentials", "refresh_token"])
            #expect(openid.string("issuer") == oauth.string("issuer"))
            #expect(openid["subject_types_supported"] == ["public"])
        }
    }

    @Test("JWKS has caching headers and answers If-None-Match with 304")
    func jwksCaching() async throws {
        try await Harness.with { h in
            let first = try await h.send(.get, "/.well-known/jwks.json")
            let etag = try #require(first.headers[.eTag])
            #expect(first.headers[.cacheControl]?.contains("max-age") == true)
            #expect(try await h.send(.get, "/.well-known/jwks.json", headers: [.ifNoneMatch: etag]).status == .notModified)
        }
    }

    @Test("after rotation old tokens still verify, new tokens carry the new kid")
    func rotation() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let before = try await h.accessToken(agent)
            let rotated = try await h.json(.post, "/api/keys/rotate", token: admin)
            #expect(rotated.status == .ok, "\(rotated.text)")
            let newKid = rotated.string("active_kid")
            #expect(newKid != "key-1")
            let after = try await h.accessToken(agent)
            #expect(try JWS.parse(after).header["kid"]?.stringValue == newKid)
            #expect(try await h.isActive(before, admin: admin))
            #expect(try await h.isActive(after, admin: admin))
            let kids = try await h.send(.get, "/.well-known/jwks.json")["keys"]?.arrayValue?.compactMap { $0.objectValue?["kid"]?.stringValue }
            #expect(Set(kids ?? []) == ["key-1", newKid])
        }
    }
}
