import Foundation
import MachineAuthCore
import Synchronization

/// In-memory copies of records read on hot paths (agents by id, organizations, API keys),
/// dropped when a change notification names them, on reconnect, or after `ttl` as a backstop.
final class RecordCache: Sendable {
    struct Entry<Value: Sendable>: Sendable {
        var value: Value
        var stored: Date
    }

    struct State: Sendable {
        var agents: [String: Entry<Agent>] = [:]
        var organizations: [String: Entry<Organization>] = [:]
        var apiKeys: [String: Entry<APIKey>] = [:]
        /// By client id; checked against the row version on every use, so no time limit applies.
        var credentialHolders: [String: CredentialHolder] = [:]
    }

    /// An agent as decoded for credential checks, with the row version it was read at.
    struct CredentialHolder: Sendable {
        var version: String
        var agent: Agent
    }

    /// Most credential holders kept; past it the map starts over (each entry costs one decode to refill).
    static let credentialHolderLimit = 10_000

    let ttl: TimeInterval
    private let state = Mutex(State())

    init(ttl: TimeInterval = 30) {
        self.ttl = ttl
    }

    private func fresh<Value>(_ entry: Entry<Value>?) -> Value? {
        guard let entry, Date().timeIntervalSince(entry.stored) < ttl else { return nil }
        return entry.value
    }

    func agent(_ id: String) -> Agent? { fresh(state.withLock { $0.agents[id] }) }
    func store(agent: Agent) { state.withLock { $0.agents[agent.id] = Entry(value: agent, stored: Date()) } }
    func dropAgent(_ id: String) { state.withLock { $0.agents[id] = nil } }

    func organization(_ id: String) -> Organization? { fresh(state.withLock { $0.organizations[id] }) }
    func store(organization: Organization) { state.withLock { $0.organizations[organization.id] = Entry(value: organization, stored: Date()) } }
    func dropOrganization(_ id: String) { state.withLock { $0.organizations[id] = nil } }

    func apiKey(hash: String) -> APIKey? { fresh(state.withLock { $0.apiKeys[hash] }) }
    func store(apiKey: APIKey) { state.withLock { $0.apiKeys[apiKey.hash] = Entry(value: apiKey, stored: Date()) } }
    func dropAPIKeys() { state.withLock { $0.apiKeys = [:] } }

    func credentialHolder(_ clientID: String) -> CredentialHolder? { state.withLock { $0.credentialHolders[clientID] } }
    func store(credentialHolder agent: Agent, version: String) {
        state.withLock {
            if $0.credentialHolders.count >= Self.credentialHolderLimit { $0.credentialHolders = [:] }
            $0.credentialHolders[agent.clientID] = CredentialHolder(version: version, agent: agent)
        }
    }
    func dropCredentialHolder(_ clientID: String) { state.withLock { $0.credentialHolders[clientID] = nil } }

    func clear() { state.withLock { $0 = State() } }
}
