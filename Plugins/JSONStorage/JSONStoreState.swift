import MachineAuthCore
import Foundation

/// Everything the JSON driver holds, in memory, with the indexes lookups need. Changes made
/// through its tables are collected by ``takeChanges()`` for the journal; ``apply(_:)`` replays
/// them on start.
struct JSONStoreState: Sendable {
    private(set) var agents = JournalTable<Agent>()
    private(set) var agentIDByClientID: [String: String] = [:]
    var refreshTokens = JournalTable<RefreshTokenRecord>()
    var revokedTokens = JournalTable<RevokedAccessToken>()
    /// Identifiers used once (``ReplayStore``), until they expire.
    var usedIdentifiers = JournalTable<UsedIdentifier>()
    var signingKeys: [SigningKeyRecord] = [] {
        didSet { signingKeysChanged = true }
    }
    var settings = JournalTable<String>()
    var organizations = JournalTable<Organization>()
    var teams = JournalTable<Team>()
    private(set) var apiKeys = JournalTable<APIKey>()
    private(set) var apiKeyIDByHash: [String: String] = [:]
    var users = JournalTable<AdminUser>()
    var webhooks = JournalTable<Webhook>()
    /// Marks the deliveries still to send (pending or retrying), for claiming without a scan of the history.
    var deliveries = JournalTable<WebhookDelivery>(marking: { $0.status == .pending || $0.status == .retrying })
    /// Trusted issuers made through the API (workload identity federation).
    var trustedIssuers = JournalTable<TrustedIssuer>()
    /// The last journal record this state includes.
    var sequence = 0
    /// Shares the strings and lists rows repeat (see ``ValueInterner``).
    private(set) var interner = ValueInterner()
    private var signingKeysChanged = false
    private var usageAdded: [String: UsageDelta] = [:]

    init() {}

    /// Stores `agent`, keeping the client-id index in step.
    mutating func setAgent(_ agent: Agent) {
        if let old = agents[agent.id], old.clientID != agent.clientID { agentIDByClientID[old.clientID] = nil }
        agents[agent.id] = agent
        agentIDByClientID[agent.clientID] = agent.id
    }

    @discardableResult
    mutating func removeAgent(id: String) -> Agent? {
        guard let agent = agents.removeValue(forKey: id) else { return nil }
        agentIDByClientID[agent.clientID] = nil
        return agent
    }

    /// Stores a new refresh token, its repeated values shared with other rows.
    mutating func insertRefreshToken(_ token: RefreshTokenRecord) {
        refreshTokens[token.hash] = interner.share(token)
    }

    /// Stores `agent` (loading a store), its lists and maps shared with other agents.
    mutating func loadAgent(_ agent: Agent) {
        setAgent(interner.share(agent))
    }

    /// Stores `key`, keeping the hash index in step.
    mutating func setAPIKey(_ key: APIKey) {
        if let old = apiKeys[key.id], old.hash != key.hash { apiKeyIDByHash[old.hash] = nil }
        apiKeys[key.id] = key
        apiKeyIDByHash[key.hash] = key.id
    }

    mutating func removeAPIKey(id: String) {
        guard let key = apiKeys.removeValue(forKey: id) else { return }
        apiKeyIDByHash[key.hash] = nil
    }

    /// Adds usage counters to existing agents; they are journaled as counters, not as agents.
    mutating func addUsage(_ deltas: [String: UsageDelta]) {
        for (id, delta) in deltas {
            guard var agent = agents[id] else { continue }
            agent.usage.apply(delta)
            agents.restore(id, agent)
            usageAdded[id, default: UsageDelta()].merge(delta)
        }
    }

    /// What changed since the last call, or `nil` when nothing did.
    mutating func takeChanges() -> StoreChanges? {
        var changes = StoreChanges()
        changes.agents = .init(agents.takeChanges())
        changes.refreshTokens = .init(refreshTokens.takeChanges())
        changes.revokedTokens = .init(revokedTokens.takeChanges())
        changes.usedIdentifiers = .init(usedIdentifiers.takeChanges())
        changes.organizations = .init(organizations.takeChanges())
        changes.teams = .init(teams.takeChanges())
        changes.apiKeys = .init(apiKeys.takeChanges())
        changes.users = .init(users.takeChanges())
        changes.webhooks = .init(webhooks.takeChanges())
        changes.deliveries = .init(deliveries.takeChanges())
        changes.trustedIssuers = .init(trustedIssuers.takeChanges())
        for (key, value) in settings.takeChanges() { changes.settings[key] = value }
        if signingKeysChanged { changes.signingKeys = signingKeys }
        changes.usage = usageAdded
        signingKeysChanged = false
        usageAdded = [:]
        return changes.isEmpty ? nil : changes
    }

    /// Forgets what was touched without journaling it (a change that threw having changed
    /// nothing, a replayed record, a loaded snapshot).
    mutating func discardChanges() {
        agents.discardChanges()
        refreshTokens.discardChanges()
        revokedTokens.discardChanges()
        usedIdentifiers.discardChanges()
        settings.discardChanges()
        organizations.discardChanges()
        teams.discardChanges()
        apiKeys.discardChanges()
        users.discardChanges()
        webhooks.discardChanges()
        deliveries.discardChanges()
        trustedIssuers.discardChanges()
        signingKeysChanged = false
        usageAdded = [:]
    }

    /// Room for `count` agents, so loading a large store does not grow the table step by step.
    mutating func reserveAgents(_ count: Int) {
        agents.reserveCapacity(count)
        agentIDByClientID.reserveCapacity(count)
    }

    /// Replays one journal record.
    mutating func apply(_ changes: StoreChanges) {
        for agent in changes.agents.put { loadAgent(agent) }
        for id in changes.agents.delete { removeAgent(id: id) }
        for key in changes.apiKeys.put { setAPIKey(key) }
        for id in changes.apiKeys.delete { removeAPIKey(id: id) }
        for token in changes.refreshTokens.put { insertRefreshToken(token) }
        for hash in changes.refreshTokens.delete { refreshTokens.removeValue(forKey: hash) }
        Self.apply(changes.revokedTokens, to: &revokedTokens, key: \.jti)
        Self.apply(changes.usedIdentifiers, to: &usedIdentifiers, key: \.key)
        Self.apply(changes.organizations, to: &organizations, key: \.id)
        Self.apply(changes.teams, to: &teams, key: \.id)
        Self.apply(changes.users, to: &users, key: \.id)
        Self.apply(changes.webhooks, to: &webhooks, key: \.id)
        Self.apply(changes.deliveries, to: &deliveries, key: \.id)
        Self.apply(changes.trustedIssuers, to: &trustedIssuers, key: \.id)
        for (key, value) in changes.settings { settings[key] = value }
        if let ring = changes.signingKeys { signingKeys = ring }
        addUsage(changes.usage)
        discardChanges()
    }

    private static func apply<Value>(_ changes: StoreChanges.Table<Value>, to table: inout JournalTable<Value>, key: KeyPath<Value, String>) {
        for value in changes.put { table[value[keyPath: key]] = value }
        for removed in changes.delete { table.removeValue(forKey: removed) }
    }
}
