import MachineAuthClient
import Testing

/// The token cache against the real server: fifty concurrent callers cause one token request
/// (the agent's `token_count`), a refused request is shared, tokens are cached per parameters.
extension AgentTests {
@Suite struct TokenCache {
    static let api = AgentTests.api
    static let billing = AgentTests.billing

    @Test func fiftyConcurrentCallersShareOneTokenRequest() async throws {
        let running = try Running.get(.standard)
        let agent = try await running.createAgent()
        let client = running.client(of: agent)
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<50 { group.addTask { try await client.token(scope: ["read"]).accessToken } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(tokens.count == 1)
        #expect(try await running.settled(agent.id) == 1)
    }

    @Test func aRefusedRequestIsSharedNotRepeated() async throws {
        let running = try Running.get(.standard)
        let agent = try await running.createAgent()
        let client = MachineAuthClient(baseURL: running.base, clientID: agent.clientID, clientSecret: "cs_wrong")
        let failures = await withTaskGroup(of: MachineAuthError?.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    do {
                        _ = try await client.token()
                        return nil
                    } catch {
                        return error as? MachineAuthError
                    }
                }
            }
            return await group.reduce(into: [MachineAuthError?]()) { $0.append($1) }
        }
        #expect(failures.count == 50)
        #expect(failures.allSatisfy { $0?.status == 401 && $0?.error == "invalid_client" })
        #expect(try await running.settled(agent.id, "failed_auth_count") == 1)
    }

    @Test func tokensAreCachedPerScopeResourceAndAudience() async throws {
        let running = try Running.get(.standard)
        let agent = try await running.createAgent(allowedAudiences: [Self.api, Self.billing])
        let client = running.client(of: agent)
        let read = try await client.token(scope: ["read"])
        #expect(read.scopes == ["read"])
        #expect(read.tokenType == "Bearer")
        #expect(read.expiresIn == 3600)
        #expect(try await client.token(scope: ["read"]).accessToken == read.accessToken)
        let both = try await client.token(scope: ["write read"])
        #expect(try await client.token(scope: ["read", "write"]).accessToken == both.accessToken)
        #expect(both.accessToken != read.accessToken)
        let all = try await client.token()
        #expect(Set(all.scopes) == ["read", "write"])
        #expect(claimsOf(all.accessToken)["aud"]?.stringList == [running.base])

        let api = try await client.token(resource: [Self.api])
        #expect(claimsOf(api.accessToken)["aud"]?.stringList == [Self.api])
        let billing = try await client.token(audience: Self.billing)
        #expect(claimsOf(billing.accessToken)["aud"]?.stringList == [Self.billing])
        let twoResources = try await client.token(resource: [Self.billing, Self.api])
        #expect(Set(claimsOf(twoResources.accessToken)["aud"]?.stringList ?? []) == [Self.api, Self.billing])
        #expect(try await client.token(resource: [Self.api, Self.billing]).accessToken == twoResources.accessToken)
        #expect(try await running.settled(agent.id) == 6)
    }

    @Test func requestTokenBypassesTheCacheAndInvalidateDropsIt() async throws {
        let running = try Running.get(.standard)
        let client = running.client(of: try await running.createAgent())
        let first = try await client.requestToken(scope: ["read"])
        let second = try await client.requestToken(scope: ["read"])
        #expect(first.accessToken != second.accessToken)
        let cached = try await client.token(scope: ["read"])
        #expect(![first.accessToken, second.accessToken].contains(cached.accessToken))
        await client.invalidateToken("some other token", scope: ["read"])
        #expect(try await client.token(scope: ["read"]).accessToken == cached.accessToken)
        await client.invalidateToken(cached.accessToken, scope: ["read"])
        #expect(try await client.token(scope: ["read"]).accessToken != cached.accessToken)
    }

    @Test func tokenErrorsCarryTheOAuthErrorAndStatus() async throws {
        let running = try Running.get(.standard)
        let agent = try await running.createAgent(scopes: ["read"])
        let client = running.client(of: agent)
        let scope = try await caught(MachineAuthError.self) { try await client.token(scope: ["admin"]) }
        #expect(scope.status == 400 && scope.error == "invalid_scope")
        #expect(scope.errorDescription.contains("admin"))
        let target = try await caught(MachineAuthError.self) { try await client.token(resource: ["https://elsewhere.example.com"]) }
        #expect(target.status == 400 && target.error == "invalid_target")
        let wrong = MachineAuthClient(baseURL: running.base, clientID: agent.clientID, clientSecret: "cs_wrong")
        let refused = try await caught(MachineAuthError.self) { try await wrong.token() }
        #expect(refused.status == 401 && refused.error == "invalid_client" && refused.isUnauthorized)
        #expect(refused.requestID?.isEmpty == false)
        #expect(refused.description.hasPrefix("401 invalid_client"))
        let noCredentials = try await caught(MachineAuthError.self) { try await running.adminClient.token() }
        #expect(noCredentials.error == "configuration_error" && noCredentials.status == nil)
    }
}
}
