import Foundation
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("Storage conformance: agents")
struct AgentStoreConformance {
    @Test("insert, read by id and client id, conflicts", arguments: TestDatabases.drivers)
    func insertAndRead(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let agent = Fixture.agent("alpha")
            try await store.insertAgent(agent)
            let byID = try #require(try await store.agent(id: agent.id))
            #expect(byID.name == "alpha" && byID.metadata == ["k": "v"] && byID.secrets.map(\.hash) == ["hmac-sha256:x"])
            #expect(try await store.agent(clientID: agent.clientID)?.id == agent.id)
            #expect(try await store.agent(id: "missing") == nil)
            var duplicate = Fixture.agent("beta")
            duplicate.clientID = agent.clientID
            await #expect(throws: StorageError.self) { try await store.insertAgent(duplicate) }
            #expect(try await store.listAgents(AgentQuery()).total == 1, "a failed insert changes nothing")
        }
    }

    @Test("update is atomic read-modify-write; a throwing change writes nothing", arguments: TestDatabases.drivers)
    func update(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let agent = Fixture.agent()
            try await store.insertAgent(agent)
            let updated = try await store.updateAgent(id: agent.id) { $0.name = "renamed"; $0.scopes = ["a", "b"]; $0.isActive = false }
            #expect(updated?.name == "renamed")
            #expect(try await store.agent(id: agent.id)?.isActive == false)
            await #expect(throws: ValidationError.self) {
                _ = try await store.updateAgent(id: agent.id) { _ in throw ValidationError("x", "no") }
            }
            #expect(try await store.agent(clientID: agent.clientID)?.name == "renamed")
            #expect(try await store.updateAgent(id: "missing") { $0.name = "x" } == nil)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 { group.addTask { _ = try await store.updateAgent(id: agent.id) { $0.tags.append("x") } } }
                try await group.waitForAll()
            }
            #expect(try await store.agent(clientID: agent.clientID)?.tags.count == 21, "concurrent updates never lose a change")
        }
    }

    @Test("credential lookups see every committed change at once, from this or another instance", arguments: TestDatabases.drivers)
    func credentialLookup(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            // PostgreSQL: a second instance on the same database makes the changes; JSON has one writer.
            let writer = driver == "postgres" ? try await handle.reopen() : store
            let agent = Fixture.agent()
            try await writer.insertAgent(agent)
            #expect(try await store.agentForAuthentication(clientID: agent.clientID)?.secrets.map(\.hash) == ["hmac-sha256:x"])
            #expect(try await store.agentForAuthentication(clientID: agent.clientID)?.name == agent.name, "an unchanged agent reads the same twice")
            for round in 1...3 {
                _ = try await writer.updateAgent(id: agent.id) { $0.secrets = [ClientSecretHash(hash: "hmac-sha256:\(round)", createdAt: Date())] }
                #expect(try await store.agentForAuthentication(clientID: agent.clientID)?.secrets.map(\.hash) == ["hmac-sha256:\(round)"],
                        "rotation \(round) counts with no wait for a notification")
            }
            _ = try await writer.updateAgent(id: agent.id) { $0.isActive = false }
            #expect(try await store.agentForAuthentication(clientID: agent.clientID)?.isActive == false)
            _ = try await writer.updateAgent(id: agent.id) { $0.clientID = "cid_renamed_" + RandomToken.hex(bytes: 4) }
            #expect(try await store.agentForAuthentication(clientID: agent.clientID) == nil, "the old client id no longer authenticates")
            _ = try await writer.deleteAgent(id: agent.id)
            #expect(try await store.agentForAuthentication(clientID: agent.clientID) == nil)
            if driver == "postgres" { try await writer.close() }
        }
    }

    @Test("delete removes the agent and its refresh tokens", arguments: TestDatabases.drivers)
    func delete(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let agent = Fixture.agent()
            try await store.insertAgent(agent)
            let token = Fixture.refresh(agent: agent)
            try await store.insertRefreshToken(token)
            #expect(try await store.deleteAgent(id: agent.id)?.id == agent.id)
            #expect(try await store.agent(id: agent.id) == nil)
            #expect(try await store.agent(clientID: agent.clientID) == nil)
            #expect(try await store.refreshToken(hash: token.hash) == nil)
            #expect(try await store.deleteAgent(id: agent.id) == nil)
        }
    }

    @Test("list filters, searches, orders newest first and paginates", arguments: TestDatabases.drivers)
    func list(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let base = Date(timeIntervalSince1970: 1_800_000_000)
            for index in 0..<7 {
                try await store.insertAgent(Fixture.agent("Bot_\(index)", organization: index < 3 ? "o1" : "o2", team: index == 0 ? "t1" : nil,
                                                          scopes: index.isMultiple(of: 2) ? ["read"] : ["write"], active: index != 6,
                                                          expiresAt: index == 5 ? Date().addingTimeInterval(-10) : nil,
                                                          created: base.addingTimeInterval(Double(index))))
            }
            let page = try await store.listAgents(AgentQuery(page: PageRequest(page: 2, limit: 3)))
            #expect(page.total == 7 && page.items.map(\.name) == ["Bot_3", "Bot_2", "Bot_1"])
            #expect(try await store.listAgents(AgentQuery(search: "bot_1")).items.map(\.name) == ["Bot_1"])
            #expect(try await store.listAgents(AgentQuery(search: "%")).total == 0, "search text is literal")
            #expect(try await store.listAgents(AgentQuery(status: .inactive)).items.map(\.name) == ["Bot_6"])
            #expect(try await store.listAgents(AgentQuery(status: .expired)).items.map(\.name) == ["Bot_5"])
            #expect(try await store.listAgents(AgentQuery(status: .active)).total == 5)
            #expect(try await store.listAgents(AgentQuery(organizationID: "o1")).total == 3)
            #expect(try await store.listAgents(AgentQuery(teamID: "t1")).total == 1)
            #expect(try await store.listAgents(AgentQuery(scope: "write")).total == 3)
            #expect(try await store.knownScopes() == ["read", "write"])
            let statistics = try await store.agentStatistics()
            #expect(statistics.total == 7 && statistics.active == 5 && statistics.inactive == 1 && statistics.expired == 1)
            #expect(try await store.checkHealth() == AgentCounts(total: 7, active: 5))
        }
    }

    @Test("usage batches add up, keep the latest times, skip unknown agents", arguments: TestDatabases.drivers)
    func usage(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let agent = Fixture.agent()
            try await store.insertAgent(agent)
            let early = Date(timeIntervalSince1970: 1_800_000_000)
            let late = early.addingTimeInterval(60)
            try await store.applyUsage([agent.id: UsageDelta(tokens: 2, refreshes: 1, lastTokenAt: late, lastActivityAt: late), "ghost": UsageDelta(tokens: 5)])
            try await store.applyUsage([agent.id: UsageDelta(tokens: 1, failures: 3, lastTokenAt: early)])
            let usage = try #require(try await store.agent(clientID: agent.clientID)).usage
            #expect(usage.tokenCount == 3 && usage.refreshCount == 1 && usage.failedAuthCount == 3)
            #expect(abs((usage.lastTokenAt ?? early).timeIntervalSince(late)) < 0.01)
            #expect(try await store.agentStatistics().usage.tokenCount == 3)
        }
    }

    @Test("everything written is there after reopening", arguments: TestDatabases.drivers)
    func reopen(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let agent = Fixture.agent()
            try await handle.storage.insertAgent(agent)
            _ = try await handle.storage.insertSettingIfAbsent("k", value: "v")
            try await handle.storage.close()
            let again = try await handle.reopen()
            #expect(try await again.agent(clientID: agent.clientID)?.name == agent.name)
            #expect(try await again.setting("k") == "v")
            try await again.close()
        }
    }
}
