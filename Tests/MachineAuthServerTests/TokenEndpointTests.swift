import Foundation
import Hummingbird
import MachineAuthCore
import MachineAuthServer
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

@Suite("Token endpoint")
struct TokenEndpointTests {
    @Test("client credentials with Basic and with post authentication", arguments: [true, false])
    func clientCredentials(basic: Bool) async throws {
        try await Harness.with { h in
            let agent = try await h.createAgent(try await h.adminToken())
            let reply = try await h.token(agent, basic: basic)
            #expect(reply.status == .ok)
            #expect(reply.headers[.cacheControl] == "no-store")
            #expect(reply.string("token_type") == "Bearer")
            #expect(reply["expires_in"] == .int(600))
            #expect(reply.string("scope") == "read write")
            #expect(reply.string("refresh_token").hasPrefix("rt_"))
        }
    }

    @Test("a JSON body works too, and secrets with reserved characters survive Basic encoding")
    func jsonBody() async throws {
        try await Harness.with { h in
            let agent = try await h.createAgent(try await h.adminToken())
            let reply = try await h.json(.post, "/oauth/token", [
                "grant_type": "client_credentials", "client_id": .string(agent.clientID), "client_secret": .string(agent.secret),
            ])
            #expect(reply.status == .ok)
        }
    }

    @Test("access tokens follow RFC 9068")
    func claims() async throws {
        try await Harness.with { h in
            let agent = try await h.createAgent(try await h.adminToken(), extra: ["allowed_audiences": ["https://api.example.com/"]])
            let token = try await h.token(agent, [("scope", "read"), ("resource", "https://api.example.com/")]).string("access_token")
            let parsed = try JWS.parse(token)
            #expect(parsed.header["typ"] == "at+jwt")
            #expect(parsed.header["kid"]?.stringValue == "key-1")
            #expect(parsed.header["alg"] == "RS256")
            let claims = parsed.claims
            #expect(claims["iss"] == "http://issuer.test")
            #expect(claims["sub"]?.stringValue == agent.clientID)
            #expect(claims["client_id"]?.stringValue == agent.clientID)
            #expect(claims["agent_id"]?.stringValue == agent.id)
            #expect(claims["aud"] == "https://api.example.com/")
            #expect(claims["scope"] == "read")
            for name in ["exp", "iat", "nbf", "jti"] { #expect(claims[name] != nil, "missing \(name)") }
            #expect(claims["exp"]!.intValue! - claims["iat"]!.intValue! == 600)
        }
    }

    @Test("every error code in its case")
    func errors() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            func expect(_ reply: Harness.Reply, _ status: HTTPResponse.Status, _ code: String) {
                #expect(reply.status == status, "\(reply.text)")
                #expect(reply.string("error") == code, "\(reply.text)")
                #expect(reply["error_description"]?.stringValue?.isEmpty == false)
            }
            expect(try await h.form("/oauth/token", []), .badRequest, "invalid_request")
            expect(try await h.form("/oauth/token", [("grant_type", "password")]), .badRequest, "unsupported_grant_type")
            expect(try await h.token(agent, [("scope", "admin")]), .badRequest, "invalid_scope")
            expect(try await h.token(agent, [("resource", "not a uri")]), .badRequest, "invalid_target")
            expect(try await h.token(agent, [("resource", "https://a.example/#frag")]), .badRequest, "invalid_target")
            expect(try await h.form("/oauth/token", [("grant_type", "client_credentials"), ("grant_type", "client_credentials")]), .badRequest, "invalid_request")
            let both = try await h.form("/oauth/token", [("grant_type", "client_credentials"), ("client_secret", agent.secret)],
                                        headers: [.authorization: Harness.basic(agent.clientID, agent.secret)])
            expect(both, .badRequest, "invalid_request")
            let wrongBasic = try await h.token(Harness.Credentials(id: "", clientID: agent.clientID, secret: "cs_wrong"))
            expect(wrongBasic, .unauthorized, "invalid_client")
            #expect(wrongBasic.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
            let wrongPost = try await h.token(Harness.Credentials(id: "", clientID: agent.clientID, secret: "cs_wrong"), basic: false)
            expect(wrongPost, .unauthorized, "invalid_client")
            expect(try await h.form("/oauth/token", [("grant_type", "client_credentials")]), .unauthorized, "invalid_client")
            expect(try await h.form("/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", "rt_nope")],
                                    headers: [.authorization: Harness.basic(agent.clientID, agent.secret)]), .badRequest, "invalid_grant")
            let restricted = try await h.createAgent(admin, name: "cc-only", extra: ["grant_types": ["refresh_token"]])
            expect(try await h.token(restricted), .badRequest, "unauthorized_client")
        }
    }

    @Test("inactive, expired and deleted agents get invalid_client")
    func inactiveClients() async throws {
        let clock = ManualClock()
        try await Harness.with(now: clock.source) { h in
            let admin = try await h.adminToken()
            let deactivated = try await h.createAgent(admin, name: "off")
            _ = try await h.json(.post, "/api/agents/\(deactivated.id)/deactivate", token: admin)
            let off = try await h.token(deactivated)
            #expect(off.status == .unauthorized && off.string("error") == "invalid_client")
            let expiring = try await h.createAgent(admin, name: "soon", extra: ["expires_in": 60])
            #expect(try await h.token(expiring).status == .ok)
            clock.advance(61)
            #expect(try await h.token(expiring).string("error") == "invalid_client")
            let deleted = try await h.createAgent(try await h.adminToken(), name: "gone")
            _ = try await h.json(.delete, "/api/agents/\(deleted.id)", token: try await h.adminToken())
            #expect(try await h.token(deleted).string("error") == "invalid_client")
        }
    }

    @Test("repeated failed client authentication is rate limited with Retry-After")
    func rateLimit() async throws {
        try await Harness.with(now: ManualClock().source) { h in
            let agent = try await h.createAgent(try await h.adminToken())
            let wrong = Harness.Credentials(id: "", clientID: agent.clientID, secret: "cs_wrong")
            for _ in 0..<5 { #expect(try await h.token(wrong).status == .unauthorized) }
            let limited = try await h.token(wrong)
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(try await h.token(agent).status == .tooManyRequests, "the limit holds for the client, even with the right secret")
        }
    }

    @Test("tokens verify with each algorithm", arguments: ["RS256", "ES256", "EdDSA"])
    func algorithms(algorithm: String) async throws {
        try await Harness.with(RuntimeFixture.yaml(algorithm: algorithm)) { h in
            let admin = try await h.adminToken()
            let token = try await h.accessToken(try await h.createAgent(admin))
            #expect(try JWS.parse(token).header["alg"]?.stringValue == algorithm)
            #expect(try await h.isActive(token, admin: admin))
            let jwks = try await h.send(.get, "/.well-known/jwks.json")
            #expect(jwks.json.objectValue?["keys"]?.arrayValue?.first?.objectValue?["alg"]?.stringValue == algorithm)
        }
    }

    @Test("usage counters follow token issuance and refreshes")
    func usage() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let first = try await h.token(agent)
            _ = try await h.token(agent)
            _ = try await h.form("/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", first.string("refresh_token"))],
                                 headers: [.authorization: Harness.basic(agent.clientID, agent.secret)])
            _ = try await h.token(Harness.Credentials(id: "", clientID: agent.clientID, secret: "cs_bad"))
            let view = try await h.json(.get, "/api/agents/\(agent.id)", token: admin)["agent"]?.objectValue ?? [:]
            #expect(view["token_count"] == .int(2))
            #expect(view["refresh_count"] == .int(1))
            #expect(view["failed_auth_count"] == .int(1))
            #expect(view["last_token_at"] != .null)
            try await h.runtime.services.usage.flush()
            #expect(try await h.runtime.storage.agent(id: agent.id)?.usage.tokenCount == 2)
        }
    }
}
