import Foundation
import MachineAuthCore
import MachineAuthStages
import MachineAuthTesting
import RefreshTokenAuthenticator
import Testing

@Suite("refresh_token stage")
struct RefreshTokenAuthenticatorTests {
    func stage(_ environment: StageEnvironment, ttl: Int = 3600, requireClient: Bool = true) -> RefreshTokenAuthenticator {
        RefreshTokenAuthenticator(storage: environment.storage, hasher: environment.hasher, ttl: ttl,
                                  requireClientAuthentication: requireClient, now: environment.clock.source)
    }

    func present(_ token: String, client: Agent?) -> CredentialPresentation {
        var presentation = CredentialPresentation(purpose: .refreshGrant, authorization: nil, parameters: ["refresh_token": token])
        presentation.authenticatedClient = client
        return presentation
    }

    @Test("is registered and validates its ttl")
    func registry() {
        #expect(StageRegistry.standard.authenticators["refresh_token"] != nil)
        let problems = ConfigFixtures.problems("authenticators:\n  - type: refresh_token\n    ttl: 10s\n", registry: .standard)
        #expect(problems.map(\.message) == ["must be at least 60 seconds"])
    }

    @Test("tokens are stored hashed and work once; a replay revokes the family")
    func oneUse() async throws {
        let environment = try await StageEnvironment.make()
        defer { Task { await environment.close() } }
        let agent = try await environment.agent(secret: "cs")
        let stage = stage(environment)
        let token = try await stage.issueRefreshToken(for: agent, scopes: ["read"], audience: ["a"], familyID: nil)
        #expect(token.hasPrefix("rt_"))
        #expect(try await environment.storage.refreshToken(hash: environment.hasher.hash(token)) != nil)
        let files = try FileManager.default.contentsOfDirectory(atPath: environment.directory.path).filter { $0.hasPrefix("store.json") }
        let stored = try files.map { try String(contentsOfFile: environment.directory.file($0), encoding: .utf8) }.joined()
        #expect(stored.contains(environment.hasher.hash(token)) && !stored.contains(token), "only the hash is stored (store file and journal)")
        guard case .agent(let principal) = try await stage.authenticate(present(token, client: agent)) else {
            Issue.record("refresh failed"); return
        }
        let family = try #require(principal.refreshGrant?.familyID)
        let next = try await stage.issueRefreshToken(for: agent, scopes: ["read"], audience: ["a"], familyID: family)
        await #expect(throws: OAuthError.self) { _ = try await stage.authenticate(present(token, client: agent)) }
        await #expect(throws: OAuthError.self) { _ = try await stage.authenticate(present(next, client: agent)) }
    }

    @Test("expired tokens, other clients and missing client authentication are refused")
    func refusals() async throws {
        let environment = try await StageEnvironment.make()
        defer { Task { await environment.close() } }
        let agent = try await environment.agent(secret: "cs")
        let other = try await environment.agent(secret: "cs2")
        let stage = stage(environment, ttl: 60)
        let expiring = try await stage.issueRefreshToken(for: agent, scopes: [], audience: [], familyID: nil)
        environment.clock.advance(61)
        await #expect(throws: OAuthError.invalidGrant("the refresh token has expired")) { _ = try await stage.authenticate(present(expiring, client: agent)) }
        let stolen = try await stage.issueRefreshToken(for: agent, scopes: [], audience: [], familyID: nil)
        await #expect(throws: OAuthError.invalidGrant("the refresh token was issued to another client")) {
            _ = try await stage.authenticate(present(stolen, client: other))
        }
        let anonymous = try await stage.issueRefreshToken(for: agent, scopes: [], audience: [], familyID: nil)
        await #expect(throws: OAuthError.self) { _ = try await stage.authenticate(present(anonymous, client: nil)) }
        let relaxed = self.stage(environment, requireClient: false)
        #expect(try await relaxed.authenticate(present(anonymous, client: nil)) != nil)
    }

    @Test("two racing uses of one token: exactly one wins")
    func race() async throws {
        let environment = try await StageEnvironment.make()
        defer { Task { await environment.close() } }
        let agent = try await environment.agent(secret: "cs")
        let stage = stage(environment)
        let token = try await stage.issueRefreshToken(for: agent, scopes: [], audience: [], familyID: nil)
        let wins = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 { group.addTask { (try? await stage.authenticate(present(token, client: agent))) != nil } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 1)
    }
}
