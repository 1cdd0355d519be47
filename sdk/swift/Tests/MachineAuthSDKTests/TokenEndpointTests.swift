import Foundation
import MachineAuthClient
import Testing

extension AgentTests {
    /// Introspection, revocation and metadata.
    @Suite struct TokenEndpoints {
        @Test func introspectionWithClientAndAdminCredentials() async throws {
            let running = try Running.get(.standard)
            let agent = try await running.createAgent()
            let client = running.client(of: agent)
            let stranger = running.client(of: try await running.createAgent())
            let token = try await client.requestToken(scope: ["read"])
            let own = try await client.introspect(token.accessToken)
            #expect(own.active)
            #expect(own.clientID == agent.clientID && own.agentID == agent.id && own.subject == agent.clientID)
            #expect(own.scopes == ["read"] && own.audience == [running.base] && own.issuer == running.base)
            #expect(own.tokenType == "Bearer" && own.jti != nil)
            #expect((own.expiresAt?.timeIntervalSince(own.issuedAt ?? .distantFuture) ?? 0) == 3600)
            #expect(try await stranger.introspect(token.accessToken).active == false)
            #expect(try await running.adminClient.introspect(token.accessToken, tokenTypeHint: "access_token").active)
            #expect(try await running.adminClient.introspect("not-a-token").active == false)
        }

        @Test func revokedTokensAreNoLongerActive() async throws {
            let running = try Running.get(.standard)
            let client = running.client(of: try await running.createAgent())
            let token = try await client.requestToken()
            try await client.revoke(token.accessToken)
            #expect(try await client.introspect(token.accessToken).active == false)
            let other = try await client.requestToken()
            try await running.adminClient.revoke(other.accessToken, tokenTypeHint: "access_token")
            #expect(try await client.introspect(other.accessToken).active == false)
            try await client.revoke("whatever")  // unknown tokens are accepted (RFC 7009 §2.2)
            let bogus = try await caught(MachineAuthError.self) {
                try await MachineAuthClient(baseURL: running.base, adminToken: "sk_not-a-key").introspect(token.accessToken)
            }
            #expect(bogus.status == 401)
        }

        @Test func metadataNamesTheIssuerAndKeys() async throws {
            let running = try Running.get(.standard)
            let metadata = try await running.adminClient.metadata()
            #expect(metadata.issuer == running.base)
            #expect(metadata.jwksURI == running.base + "/.well-known/jwks.json")
            #expect(metadata.tokenEndpoint == running.base + "/oauth/token")
            #expect(metadata.grantTypesSupported.contains("client_credentials"))
            #expect(metadata.signingAlgorithms == ["RS256"])
        }
    }
}
