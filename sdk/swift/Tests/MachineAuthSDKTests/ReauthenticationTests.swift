import MachineAuthClient
import Synchronization
import Testing

extension AgentTests {
    /// A 401 makes the client re-authenticate once: after a secret rotation it picks up the new
    /// secret from its secret source; with no new secret the refusal is thrown, not looped on.
    @Suite struct Reauthentication {
        @Test func aRotationElsewhereIsPickedUpFromTheSecretSource() async throws {
            let running = try Running.get(.standard)
            let agent = try await running.createAgent()
            let vault = Mutex(agent.clientSecret)
            let client = MachineAuthClient(baseURL: running.base, clientID: agent.clientID) { vault.withLock { $0 } }
            let before = try await client.token()
            _ = try await client.agent.me()
            let rotated = try await running.rotateSecret(agent.id, gracePeriodSeconds: 0)
            vault.withLock { $0 = rotated }
            #expect(try await client.introspect(before.accessToken).active == false)
            let results = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<10 { group.addTask { try await client.agent.me().id } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(results == Array(repeating: agent.id, count: 10))
            #expect(try await client.token().accessToken != before.accessToken)
            #expect(try await running.settled(agent.id) == 2)  // ten refused calls, one re-authentication
        }

        @Test func withoutANewSecretTheRefusalIsThrownAfterOneAttempt() async throws {
            let running = try Running.get(.standard)
            let agent = try await running.createAgent()
            let client = running.client(of: agent)
            _ = try await client.agent.me()
            _ = try await running.rotateSecret(agent.id, gracePeriodSeconds: 0)
            let refused = try await caught(MachineAuthError.self) { try await client.agent.me() }
            #expect(refused.status == 401 && refused.error == "invalid_client")
            #expect(try await running.settled(agent.id, "failed_auth_count") == 1)
        }

        @Test func aSelfRotationSwitchesTheClientToTheNewSecret() async throws {
            let running = try Running.get(.standard)
            let agent = try await running.createAgent()
            let client = running.client(of: agent)
            let old = try await client.token()
            let rotated = try await client.agent.rotate()
            #expect(rotated.clientSecret != agent.clientSecret && !rotated.clientSecret.isEmpty)
            #expect(rotated.gracePeriodSeconds == 0 && rotated.previousSecretExpiresAt == nil && rotated.agent.id == agent.id)
            let new = try await client.token()
            #expect(new.accessToken != old.accessToken)
            #expect(try await client.agent.me().id == agent.id)
            let stale = try await caught(MachineAuthError.self) { try await running.client(of: agent).token() }
            #expect(stale.error == "invalid_client")
        }

        @Test func aGracePeriodKeepsTheOldSecretWorking() async throws {
            let running = try Running.get(.standard)
            let agent = try await running.createAgent()
            let rotated = try await running.client(of: agent).agent.rotate(gracePeriodSeconds: 60)
            #expect(rotated.gracePeriodSeconds == 60 && rotated.previousSecretExpiresAt != nil)
            #expect(try await running.client(of: agent).token().accessToken.isEmpty == false)
        }
    }
}
