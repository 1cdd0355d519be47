public import MachineAuthCore
import Foundation

extension JSONStorage {
    public func insertAgent(_ agent: Agent) async throws {
        try await commit { state in
            guard state.agents[agent.id] == nil else { throw StorageError.conflict("an agent with id \(agent.id) exists") }
            guard state.agentIDByClientID[agent.clientID] == nil else {
                throw StorageError.conflict("an agent with client_id \(agent.clientID) exists")
            }
            state.setAgent(agent)
        }
    }

    public func agent(id: String) async throws -> Agent? {
        read { $0.agents[id] }
    }

    public func agent(clientID: String) async throws -> Agent? {
        read { state in state.agentIDByClientID[clientID].flatMap { state.agents[$0] } }
    }

    public func updateAgent(id: String, _ change: @escaping @Sendable (inout Agent) throws -> Void) async throws -> Agent? {
        try await commit { state -> Agent? in
            guard var agent = state.agents[id] else { return nil }
            let oldClientID = agent.clientID
            try change(&agent)
            if agent.clientID != oldClientID, state.agentIDByClientID[agent.clientID] != nil {
                throw StorageError.conflict("an agent with client_id \(agent.clientID) exists")
            }
            state.setAgent(agent)
            return agent
        }
    }

    public func deleteAgent(id: String) async throws -> Agent? {
        try await commit { state -> Agent? in
            guard let agent = state.removeAgent(id: id) else { return nil }
            state.refreshTokens.removeAll { $0.agentID == id }
            return agent
        }
    }

    public func listAgents(_ query: AgentQuery) async throws -> Page<Agent> {
        let now = Date()
        let matching = read { state in state.agents.filter { query.matches($0, at: now) } }
        let ordered = matching.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        return Page.slice(ordered, query.page)
    }

    public func agentStatistics() async throws -> AgentStatistics {
        let now = Date()
        return read { state in
            var statistics = AgentStatistics()
            for agent in state.agents { statistics.count(agent, at: now) }
            return statistics
        }
    }

    public func knownScopes() async throws -> [String] {
        read { state in Set(state.agents.flatMap(\.scopes)).sorted() }
    }

    /// Adds the counters in one journal record (of counters, not of whole agents).
    public func applyUsage(_ deltas: [String: UsageDelta]) async throws {
        guard !deltas.isEmpty else { return }
        try await commit { $0.addUsage(deltas) }
    }
}
