import Foundation
import HTTPTypes
import Hummingbird
import MachineAuthCore
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

/// DPoP (RFC 9449) through the HTTP layer: binding at the token endpoint, introspection, the
/// metadata, and bound tokens at `/api/verify`, `/gateway/check` and the API.
@Suite("DPoP in-process")
struct DPoPTests {
    static let yaml = RuntimeFixture.yaml(extra: """
        dpop:
          type: dpop
        gateway:
          rules:
            - match: { path: "/public/**" }
              allow_anonymous: true
            - match: { path: "/v1/**" }
              require_scopes: [read]
        """)
    static let issuer = "http://issuer.test"
    static let dpop = HTTPField.Name("DPoP")!
    static let nonce = HTTPField.Name("DPoP-Nonce")!

    func boundToken(_ h: Harness, _ key: DPoPTestKey, extra: [String: JSONValue] = [:]) async throws -> (String, Harness.Credentials) {
        let agent = try await h.createAgent(try await h.adminToken(), extra: extra)
        let reply = try await h.token(agent, proof: key.proof("POST", Self.issuer + "/oauth/token", at: Date()))
        #expect(reply.status == .ok, "\(reply.text)")
        return (reply.string("access_token"), agent)
    }

    @Test("a proof binds the token (token_type DPoP, cnf.jkt); introspection and the metadata say so")
    func binding() async throws {
        try await Harness.with(Self.yaml) { h in
            let key = DPoPTestKey(.ed25519)
            let (token, _) = try await boundToken(h, key)
            let admin = try await h.adminToken()
            let described = try await h.introspect(token, admin: admin)
            #expect(described["token_type"] == "DPoP")
            #expect(described["cnf"] == .object(["jkt": .string(key.thumbprint)]))
            let metadata = try await h.send(.get, "/.well-known/oauth-authorization-server")
            #expect(metadata["dpop_signing_alg_values_supported"] == ["ES256", "EdDSA", "PS256", "RS256"])
            let bearer = try await h.accessToken(try await h.createAgent(admin, name: "plain"))
            #expect(try await h.introspect(bearer, admin: admin)["token_type"] == "Bearer")
        }
    }

    @Test("a refused proof is 400 invalid_dpop_proof and spends nothing; an agent with dpop_bound_access_tokens needs a proof")
    func refusals() async throws {
        try await Harness.with(Self.yaml) { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin, extra: ["dpop_bound_access_tokens": true])
            #expect(try await h.json(.get, "/api/agents/\(agent.id)", token: admin)["agent"]?.objectValue?["dpop_bound_access_tokens"] == .bool(true))
            let without = try await h.token(agent)
            #expect(without.status == .badRequest && without.string("error") == "invalid_dpop_proof")
            let wrong = try await h.token(agent, proof: DPoPTestKey().proof("POST", "http://elsewhere.test/oauth/token", at: Date()))
            #expect(wrong.status == .badRequest && wrong.string("error") == "invalid_dpop_proof")
            #expect(try await h.token(agent, proof: DPoPTestKey().proof("POST", Self.issuer + "/oauth/token", at: Date())).string("token_type") == "DPoP")
            let bad = try await h.json(.patch, "/api/agents/\(agent.id)", token: admin, ["dpop_bound_access_tokens": "yes"])
            #expect(bad.status == .badRequest)
        }
    }

    @Test("nonce: true answers use_dpop_nonce with a DPoP-Nonce; the retry with it is served")
    func nonces() async throws {
        try await Harness.with(Self.yaml.replacingOccurrences(of: "  type: dpop\n", with: "  type: dpop\n  nonce: true\n")) { h in
            let agent = try await h.createAgent(try await h.adminToken())
            let key = DPoPTestKey()
            let first = try await h.token(agent, proof: key.proof("POST", Self.issuer + "/oauth/token", at: Date()))
            #expect(first.status == .badRequest && first.string("error") == "use_dpop_nonce")
            let nonce = try #require(first.headers[Self.nonce])
            let retried = try await h.token(agent, proof: key.proof("POST", Self.issuer + "/oauth/token", at: Date(), nonce: nonce))
            #expect(retried.status == .ok && retried.string("token_type") == "DPoP")
            #expect(retried.headers[Self.nonce] != nil)
        }
    }

    @Test("/api/verify and the API refuse a bound token as Bearer or without its proof (401, DPoP challenge) and accept it with one")
    func resources() async throws {
        try await Harness.with(Self.yaml) { h in
            let key = DPoPTestKey()
            let (token, _) = try await boundToken(h, key)
            let asBearer = try await h.send(.get, "/api/verify", headers: [.authorization: "Bearer \(token)"])
            #expect(asBearer.status == .unauthorized)
            #expect(asBearer.headers[.wwwAuthenticate]?.hasPrefix(#"DPoP error="invalid_token""#) == true)
            #expect(asBearer.headers[.wwwAuthenticate]?.contains(#"algs="ES256 EdDSA PS256 RS256""#) == true)
            let noProof = try await h.send(.get, "/api/verify", headers: [.authorization: "DPoP \(token)"])
            #expect(noProof.status == .unauthorized && noProof.headers[.wwwAuthenticate]?.contains(#"error="invalid_dpop_proof""#) == true)
            let proof = key.proof("GET", Self.issuer + "/api/verify", at: Date(), accessToken: token)
            let verified = try await h.send(.get, "/api/verify", headers: [.authorization: "DPoP \(token)", Self.dpop: proof])
            #expect(verified.status == .ok, "\(verified.text)")
            #expect(try await h.send(.get, "/api/verify", headers: [.authorization: "DPoP \(token)", Self.dpop: proof]).status == .unauthorized)
            let otherKey = DPoPTestKey().proof("GET", Self.issuer + "/api/verify", at: Date(), accessToken: token)
            #expect(try await h.send(.get, "/api/verify", headers: [.authorization: "DPoP \(token)", Self.dpop: otherKey]).status == .unauthorized)

            #expect(try await h.send(.get, "/api/agents/me", headers: [.authorization: "Bearer \(token)"]).status == .unauthorized)
            let me = key.proof("GET", Self.issuer + "/api/agents/me", at: Date(), accessToken: token)
            #expect(try await h.send(.get, "/api/agents/me", headers: [.authorization: "DPoP \(token)", Self.dpop: me]).status == .ok)
        }
    }

    @Test("/gateway/check checks the proof against the original request; a bound token without it gets no identity even where anonymous is allowed")
    func gateway() async throws {
        try await Harness.with(Self.yaml, live: true) { h in
            let key = DPoPTestKey()
            let (token, agent) = try await boundToken(h, key)
            let url = "https://api.example.com/v1/reports/7"
            func check(_ uri: String, _ headers: HTTPFields) async throws -> Harness.Reply {
                var headers = headers
                headers[HTTPField.Name("X-Forwarded-Method")!] = "GET"
                headers[HTTPField.Name("X-Forwarded-Uri")!] = uri
                headers[HTTPField.Name("X-Forwarded-Host")!] = "api.example.com"
                headers[HTTPField.Name("X-Forwarded-Proto")!] = "https"
                return try await h.send(.get, "/gateway/check", headers: headers)
            }
            let asBearer = try await check("/v1/reports/7", [.authorization: "Bearer \(token)"])
            #expect(asBearer.status == .unauthorized && asBearer.headers[.wwwAuthenticate]?.hasPrefix("DPoP ") == true)
            let wrongURL = key.proof("GET", "https://api.example.com/v1/reports/8", at: Date(), accessToken: token)
            #expect(try await check("/v1/reports/7", [.authorization: "DPoP \(token)", Self.dpop: wrongURL]).status == .unauthorized)
            let good = key.proof("GET", url, at: Date(), accessToken: token)
            let allowed = try await check("/v1/reports/7?page=2", [.authorization: "DPoP \(token)", Self.dpop: good])
            #expect(allowed.status == .ok, "\(allowed.text)")
            #expect(allowed.headers[HTTPField.Name("X-Client-Id")!] == agent.clientID)
            let anonymous = try await check("/public/x", [.authorization: "Bearer \(token)"])
            #expect(anonymous.status == .ok && (anonymous.headers[HTTPField.Name("X-Client-Id")!] ?? "") == "")
        }
    }

    @Test("a proof sent with bad client credentials is not recorded (the same proof then works with good ones); admin sessions refuse the DPoP scheme; htu with user information is refused")
    func reviewFixes() async throws {
        try await Harness.with(Self.yaml) { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let key = DPoPTestKey()
            let proof = key.proof("POST", Self.issuer + "/oauth/token", at: Date())
            var wrong = agent
            wrong.secret = "not-the-secret"
            #expect(try await h.token(wrong, proof: proof).status == .unauthorized)
            #expect(try await h.token(agent, proof: proof).string("token_type") == "DPoP", "an unauthenticated request wrote no replay record")
            #expect(try await h.token(agent, proof: proof).string("error") == "invalid_dpop_proof", "the proof is used once")
            let asDPoP = try await h.send(.get, "/api/agents", headers: [.authorization: "DPoP \(admin)"])
            #expect(asDPoP.status == .unauthorized)
            let userinfo = key.proof("POST", "http://user@issuer.test/oauth/token", at: Date())
            #expect(try await h.token(agent, proof: userinfo).string("error") == "invalid_dpop_proof")
        }
    }

    @Test("without the dpop stage, DPoP headers are ignored: bearer tokens, no metadata entry")
    func disabled() async throws {
        try await Harness.with(RuntimeFixture.yaml()) { h in
            let agent = try await h.createAgent(try await h.adminToken())
            let reply = try await h.token(agent, proof: DPoPTestKey().proof("POST", Self.issuer + "/oauth/token", at: Date()))
            #expect(reply.status == .ok && reply.string("token_type") == "Bearer")
            #expect(try await h.send(.get, "/.well-known/oauth-authorization-server")["dpop_signing_alg_values_supported"] == nil)
        }
    }
}

extension Harness {
    /// A client-credentials token request with a DPoP proof.
    func token(_ agent: Credentials, proof: String) async throws -> Reply {
        try await form("/oauth/token", [("grant_type", "client_credentials")], headers: [
            .authorization: Self.basic(agent.clientID, agent.secret), HTTPField.Name("DPoP")!: proof,
        ])
    }
}
