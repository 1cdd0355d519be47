import MachineAuthCore
import Foundation

extension JSONStorage {
    public func insertAgent(_ agent: Agent) async throws {
        try await commit { state in
            guard state.agents[agent.id] == nil else { throw StorageError.conflict("an agent with id \(agent.id) exists") }
            guard state.agentIDByClientID[agent.clientID] == nil else {
                throw StorageError.conflict("an agent with client_id \(agent.clientID) exists")
            }
            state.agents[agent.id] = agent
            state.agentIDByClientID[agent.clientID] = agent.id
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
            if agent.clientID != oldClientID {
                guard state.agentIDByClientID[agent.clientID] == nil else {
                    throw StorageError.conflict("an agent with client_id \(agent.clientID) exists")
                }
                state.agentIDByClientID[oldClientID] = nil
                state.agentIDByClientID[agent.clientID] = id
            }
            state.agents[id] = agent
            return agent
        }
    }

    public func deleteAgent(id: String) async throws -> Agent? {
        try await commit { state -> Agent? in
            guard let agent = state.agents.removeValue(forKey: id) else { return nil }
            state.agentIDByClientID[agent.clientID] = nil
            state.refreshTokens = state.refreshTokens.filter { $0.value.agentID != id }
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

    /// Appends the counters to the usage journal — a small fsynced append instead of a rewrite of
    /// the whole store — and folds the journal into a snapshot once it outgrows the store.
    public func applyUsage(_ deltas: [String: UsageDelta]) async throws {
        guard !deltas.isEmpty else { return }
        try await usageWriter.run { [self] in
            let entry = UsageJournal.Entry(sequence: read { $0.usageSequence } + 1, deltas: deltas.mapValues(UsageJournal.Delta.init))
            try await Self.offload { [usageJournal] in try usageJournal.append(entry) }
            cell.state.withLock { $0.apply(entry) }
            guard usageJournal.size >= max(Self.journalFloor, AppendOnlyFile.size(of: path)) else { return }
            do {
                try await foldUsageJournal()
            } catch {
                // The counters are durable in the journal already; the next flush tries the fold again.
                logger.warning("folding the usage journal into the store failed: \(error)")
            }
        }
    }

    /// Writes a snapshot holding every journal entry, then empties the journal. Runs on
    /// `usageWriter`, so no entry is appended in between.
    func foldUsageJournal() async throws {
        try await commit { $0.version += 1 }
        try await Self.offload { [usageJournal] in try usageJournal.truncate() }
    }

    /// The journal is folded only past this size, however small the store.
    static let journalFloor = 1 << 20
}
