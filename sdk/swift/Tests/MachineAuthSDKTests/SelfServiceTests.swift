import NIOHTTP1
import MachineAuthClient
import Testing

extension AgentTests {
    /// What an agent does with its own token: profile, usage, userinfo, deactivation, deletion.
    @Suite struct SelfService {
        @Test func profileUsageAndUserinfo() async throws {
            let running = try Running.get(.standard)
            let agent = try await running.createAgent(allowedAudiences: [AgentTests.api])
            let client = running.client(of: agent)
            let me = try await client.agent.me()
            #expect(me.id == agent.id && me.clientID == agent.clientID && client.clientID == agent.clientID)
            #expect(me.status == "active" && me.isActive && me.deactivatedBy == nil)
            #expect(me.scopes == ["read", "write"] && me.allowedAudiences == [AgentTests.api])
            #expect(me.grantTypes.contains("client_credentials") && me.createdAt != nil)
            let usage = try await client.agent.usage()
            #expect(usage.agentID == agent.id && usage.clientID == agent.clientID)
            #expect(usage.tokenCount == 1 && usage.failedAuthCount == 0 && usage.lastTokenAt != nil)
            let info = try await client.agent.userinfo()
            #expect(info.subject == agent.clientID && info.clientID == agent.clientID && info.agentID == agent.id)
            #expect(info.name == me.name && info.status == "active" && Set(info.scopes) == ["read", "write"])
        }

        @Test func deactivatesAndReactivatesItself() async throws {
            let running = try Running.get(.standard)
            let agent = try await running.createAgent()
            let client = running.client(of: agent)
            let deactivated = try await client.agent.deactivate()
            #expect(deactivated.status == "inactive" && deactivated.deactivatedBy == "self" && !deactivated.isActive)
            let refused = try await caught(MachineAuthError.self) { try await client.agent.me() }
            #expect(refused.status == 401)
            #expect(try await client.agent.reactivate().status == "active")
            #expect(try await client.agent.me().isActive)
            try await running.deactivate(agent.id)
            let byAdministrator = try await caught(MachineAuthError.self) { try await client.agent.reactivate() }
            #expect(byAdministrator.status == 403 && byAdministrator.error == "access_denied")
        }

        @Test func deletesItself() async throws {
            let running = try Running.get(.standard)
            let agent = try await running.createAgent()
            let client = running.client(of: agent)
            #expect(try await client.agent.delete() == agent.id)
            #expect(try await caught(MachineAuthError.self) { try await client.agent.me() }.status == 401)
            #expect(try await running.admin(.GET, "/api/agents/\(agent.id)").status == 404)
        }
    }
}

extension AgentTests.SelfService {
    @Test func fromEnvironmentAuthenticatesTheAgent() async throws {
        let running = try Running.get(.standard)
        let agent = try await running.createAgent()
        let client = try MachineAuthClient.fromEnvironment([
            "MACHINEAUTH_URL": running.base, "MACHINEAUTH_CLIENT_ID": agent.clientID, "MACHINEAUTH_CLIENT_SECRET": agent.clientSecret,
        ])
        #expect(try await client.agent.me().id == agent.id)
    }
}
