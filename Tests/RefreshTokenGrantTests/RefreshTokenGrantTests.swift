import Foundation
import MachineAuthCore
import MachineAuthTesting
import RefreshTokenGrant
import Testing

@Suite("refresh_token grant stage")
struct RefreshTokenGrantTests {
    /// Configurations load through this plugin's stage only.
    static let registry = ConfigFixtures.registry { $0.register(RefreshTokenGrantFactory.self) }

    func stage(_ environment: StageEnvironment, ttl: Int = 3600, requireClient: Bool = true) throws -> RefreshTokenGrant {
        RefreshTokenGrant(tokens: environment.storage, agents: environment.storage, hasher: environment.hasher, ttl: ttl,
                          requireClientAuthentication: requireClient, settings: try environment.settings(), now: environment.clock.source)
    }

    func request(_ token: String, client: Agent?, at time: Date) -> GrantRequest {
        GrantRequest(parameters: RequestParameters(["refresh_token": [token]]), client: client.map { AgentPrincipal(agent: $0, method: "test") }, time: time)
    }

    /// A refresh token issued the way the token service does after a client_credentials grant.
    func issued(_ stage: RefreshTokenGrant, for agent: Agent, environment: StageEnvironment) async throws -> String {
        var response = TokenResponse(accessToken: "at", tokenType: "Bearer", expiresIn: 60, scope: "read")
        let audience = [try environment.settings().server.issuer]
        let token = IssuedAccessToken(token: "at", jti: "j", scopes: ["read"], audience: audience, issuedAt: environment.clock.now,
                                      expiresAt: environment.clock.now.addingTimeInterval(60), claims: [:])
        try await stage.contribute(to: &response, for: Issuance(grantType: "client_credentials", grant: Grant(agent: agent, scopes: ["read"]), token: token))
        return try #require(response.refreshToken)
    }

    @Test("validates its ttl")
    func registry() {
        let problems = ConfigFixtures.problems("grants:\n  - type: refresh_token\n    ttl: 10s\n", registry: Self.registry)
        #expect(problems.map(\.message) == ["must be at least 60 seconds"])
    }

    @Test("tokens are stored hashed and work once; a replay revokes the family")
    func oneUse() async throws {
        try await StageEnvironment.with { environment in
            let agent = try await environment.agent(secret: "cs")
            let stage = try stage(environment)
            let token = try await issued(stage, for: agent, environment: environment)
            #expect(token.hasPrefix("rt_"))
            #expect(try await environment.storage.refreshToken(hash: environment.hasher.hash(token)) != nil)
            let stored = String(decoding: try JSONEncoder().encode(try await environment.storage.snapshot()), as: UTF8.self)
            #expect(stored.contains(environment.hasher.hash(token)) && !stored.contains(token), "only the hash is stored")
            let grant = try await stage.grant(request(token, client: agent, at: environment.clock.now))
            let issuer = try environment.settings().server.issuer
            #expect(grant.isRenewal && grant.agent.id == agent.id && grant.scopes == ["read"] && grant.audience == [issuer])
            await #expect(throws: OAuthError.self) { _ = try await stage.grant(request(token, client: agent, at: environment.clock.now)) }
        }
    }

    @Test("expired tokens and other clients are refused; the token service asks for client authentication")
    func refusals() async throws {
        try await StageEnvironment.with { environment in
            let agent = try await environment.agent(secret: "cs")
            let other = try await environment.agent(secret: "cs2")
            let stage = try stage(environment, ttl: 60)
            let expiring = try await issued(stage, for: agent, environment: environment)
            environment.clock.advance(61)
            await #expect(throws: OAuthError.invalidGrant("the refresh token has expired")) {
                _ = try await stage.grant(request(expiring, client: agent, at: environment.clock.now))
            }
            let stolen = try await issued(stage, for: agent, environment: environment)
            await #expect(throws: OAuthError.invalidGrant("the refresh token was issued to another client")) {
                _ = try await stage.grant(request(stolen, client: other, at: environment.clock.now))
            }
            #expect(try await stage.grant(request(stolen, client: agent, at: environment.clock.now)).agent.id == agent.id,
                    "refused for the other client, it still works for its own")
            #expect(stage.requiresClientAuthentication)
            #expect(try self.stage(environment, requireClient: false).requiresClientAuthentication == false)
        }
    }

    @Test("two racing uses of one token: exactly one wins")
    func race() async throws {
        try await StageEnvironment.with { environment in
            let agent = try await environment.agent(secret: "cs")
            let stage = try stage(environment)
            let token = try await issued(stage, for: agent, environment: environment)
            let time = environment.clock.now
            let wins = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 { group.addTask { (try? await stage.grant(request(token, client: agent, at: time))) != nil } }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
        }
    }
}
