import Foundation
import MachineAuthClient
import MachineAuthVerifier
import Testing

/// Local verification with jwt-kit against real servers, one per signing algorithm (and a
/// second RS256 one, whose keys share the first one's key id): what verifies and what is refused.
@Suite(.servers(.standard, .signing("RS256"), .signing("ES256"), .signing("EdDSA")))
struct VerificationTests {
    static let algorithms = ["RS256", "ES256", "EdDSA"]
    static let api = "https://api.example.com"

    @Test(arguments: algorithms)
    func tokensOfEveryAlgorithmVerify(_ algorithm: String) async throws {
        let running = try Running.get(.signing(algorithm))
        let agent = try await running.createAgent()
        let client = running.client(of: agent)
        let token = try await client.token(scope: ["read", "write"]).accessToken
        #expect(headerOf(token)["alg"]?.stringValue == algorithm)
        #expect(headerOf(token)["typ"]?.stringValue == "at+jwt")
        let verifier = try await client.verifier()
        #expect(verifier.issuer == running.base && verifier.audiences == [running.base])
        let claims = try await verifier.verify(token, scopes: ["read"])
        #expect(claims.clientID == agent.clientID && claims.agentID == agent.id && claims.subject == agent.clientID)
        #expect(claims.issuer == running.base && claims.audience == [running.base] && claims.scopes == ["read", "write"])
        #expect(claims.jti != nil && claims.hasScopes(["write", "read"]) && !claims.hasScopes(["admin"]))
        #expect(claims.expiresAt.timeIntervalSince(claims.issuedAt) == 3600)
        #expect(claims.claims["client_id"]?.stringValue == agent.clientID)
        let direct = TokenVerifier(issuer: running.base)
        #expect(try await direct.verify(token, scopes: ["write"]).agentID == agent.id)

        let changedHeader = try await caught(TokenVerificationError.self) { try await direct.verify(withHeader(token, ["x": .number(1)])) }
        #expect(changedHeader.errorDescription.contains("signature"))
        let changedClaims = try await caught(TokenVerificationError.self) {
            try await direct.verify(withClaims(token, ["scope": .string("read write admin")]))
        }
        #expect(changedClaims.errorDescription.contains("signature"))
    }

    @Test func wrongAudiencesAreRefused() async throws {
        let running = try Running.get(.standard)
        let client = running.client(of: try await running.createAgent(allowedAudiences: [Self.api]))
        let token = try await client.token(resource: [Self.api]).accessToken
        let verifier = TokenVerifier(issuer: running.base)  // accepts the issuer as audience
        let refused = try await caught(TokenVerificationError.self) { try await verifier.verify(token) }
        #expect(refused.code == .invalidToken && refused.status == 401 && refused.errorDescription.contains("audience"))
        #expect(try await verifier.verify(token, audiences: [Self.api]).audience == [Self.api])
        #expect(try await verifier.verify(token, audiences: ["https://other.example.com", Self.api]).audience == [Self.api])
        let forAPI = TokenVerifier(issuer: running.base, audiences: [Self.api])
        #expect(try await forAPI.verify(token).audience == [Self.api])
        let ownToken = try await client.token().accessToken
        #expect(try await caught(TokenVerificationError.self) { try await forAPI.verify(ownToken) }.errorDescription.contains("audience"))
    }

    @Test func missingScopesAreInsufficientScope() async throws {
        let running = try Running.get(.standard)
        let client = running.client(of: try await running.createAgent())
        let token = try await client.token(scope: ["read"]).accessToken
        let refused = try await caught(TokenVerificationError.self) {
            try await TokenVerifier(issuer: running.base).verify(token, scopes: ["read", "write"])
        }
        #expect(refused.code == .insufficientScope && refused.error == "insufficient_scope" && refused.status == 403)
        #expect(refused.requiredScopes == ["read", "write"])
        #expect(refused.wwwAuthenticate(realm: "api")
            == #"Bearer realm="api", error="insufficient_scope", error_description="the token lacks the scope write", scope="read write""#)
    }

    @Test func forgedAndForeignTokensAreRefused() async throws {
        let running = try Running.get(.standard)
        let client = running.client(of: try await running.createAgent())
        let token = try await client.token().accessToken
        let verifier = TokenVerifier(issuer: running.base)
        let parts = token.split(separator: ".").map(String.init)
        func refusal(_ candidate: String, audiences: [String]? = nil) async throws -> String {
            try await caught(TokenVerificationError.self) { try await verifier.verify(candidate, audiences: audiences) }.errorDescription
        }
        let kid = headerOf(token)["kid"] ?? .null
        #expect(try await refusal("\(parts[0]).\(parts[1]).\(parts[2].dropLast(4))AAAA").contains("signature"))
        let unsigned = encodeSegment(["alg": "none", "kid": kid, "typ": "at+jwt"]) + ".\(parts[1])."
        #expect(try await refusal(unsigned).contains("algorithm"))
        let hmac = encodeSegment(["alg": "HS256", "kid": kid, "typ": "at+jwt"]) + ".\(parts[1]).\(parts[2])"
        #expect(try await refusal(hmac).contains("algorithm"))
        let pss = encodeSegment(["alg": "PS256", "kid": kid, "typ": "at+jwt"]) + ".\(parts[1]).\(parts[2])"
        #expect(try await refusal(pss).contains("algorithm"))
        #expect(try await refusal(withHeader(token, ["typ": "JWT"])).contains("not an access token"))
        #expect(try await refusal(withHeader(token, ["crit": ["exp"]])).contains("critical header"))
        #expect(try await refusal("not-a-token").contains("not a JWT"))
        let session = running.adminToken
        #expect(headerOf(session)["typ"]?.stringValue == "admin+jwt")
        #expect(try await refusal(session).contains("not an access token"))

        let es256 = try Running.get(.signing("ES256"))
        let foreignES = try await es256.client(of: try await es256.createAgent()).token().accessToken
        #expect(headerOf(foreignES)["kid"] == kid)  // the same key id, another algorithm
        #expect(try await refusal(foreignES, audiences: [es256.base]).contains("is for RS256, the token says ES256"))
        let rs256 = try Running.get(.signing("RS256"))
        let foreignRS = try await rs256.client(of: try await rs256.createAgent()).token().accessToken
        #expect(headerOf(foreignRS)["kid"] == kid)  // the same key id, another key
        #expect(try await refusal(foreignRS, audiences: [rs256.base]).contains("signature"))
        let otherIssuer = TokenVerifier(issuer: rs256.base, jwksURL: running.base + "/.well-known/jwks.json")
        let issuerRefusal = try await caught(TokenVerificationError.self) { try await otherIssuer.verify(token, audiences: [running.base]) }
        #expect(issuerRefusal.errorDescription.contains("another issuer"))
    }

    @Test func revokedTokensAreRefusedInIntrospectionMode() async throws {
        let running = try Running.get(.standard)
        let agent = try await running.createAgent()
        let client = running.client(of: agent)
        let resourceServer = try await running.adminClient.verifier()
        let token = try await client.requestToken().accessToken
        #expect(try await resourceServer.verify(token, introspect: true).agentID == agent.id)
        try await client.revoke(token)
        #expect(try await resourceServer.verify(token).agentID == agent.id)  // the signature still holds locally
        let refused = try await caught(TokenVerificationError.self) { try await resourceServer.verify(token, introspect: true) }
        #expect(refused.code == .invalidToken && refused.errorDescription.contains("not active"))
        let own = try await client.verifier()
        #expect(try await caught(TokenVerificationError.self) { try await own.verify(token, introspect: true) }.errorDescription.contains("not active"))

        let other = try await client.requestToken().accessToken
        #expect(try await resourceServer.verify(other, introspect: true).agentID == agent.id)
        try await running.deactivate(agent.id)
        #expect(try await caught(TokenVerificationError.self) { try await resourceServer.verify(other, introspect: true) }
            .errorDescription.contains("not active"))
        let noIntrospector = try await caught(MachineAuthError.self) { try await TokenVerifier(issuer: running.base).verify(other, introspect: true) }
        #expect(noIntrospector.error == "configuration_error")
    }
}
