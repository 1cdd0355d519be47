import MachineAuthCore
import Foundation

/// Everything the JSON driver holds, in memory, with the indexes lookups need.
struct JSONStoreState: Sendable {
    var agents = BoxedDictionary<Agent>()
    var agentIDByClientID: [String: String] = [:]
    var refreshTokens: [String: RefreshTokenRecord] = [:]
    var revokedTokens: [String: RevokedAccessToken] = [:]
    var signingKeys: [SigningKeyRecord] = []
    var settings: [String: String] = [:]
    var organizations: [String: Organization] = [:]
    var teams: [String: Team] = [:]
    var apiKeys: [String: APIKey] = [:]
    var apiKeyIDByHash: [String: String] = [:]
    var users: [String: AdminUser] = [:]
    var webhooks: [String: Webhook] = [:]
    var deliveries: [String: WebhookDelivery] = [:]
    /// Bumped by every change; the writer persists up to a version.
    var version = 0
    /// The last usage-journal entry applied (see ``UsageJournal``).
    var usageSequence = 0

    init() {}

    init(document: JSONStoreDocument) {
        var interner = ValueInterner()
        agents = BoxedDictionary(minimumCapacity: document.agents.count)
        agentIDByClientID.reserveCapacity(document.agents.count)
        for agent in document.agents {
            agents[agent.id] = interner.share(agent)
            agentIDByClientID[agent.clientID] = agent.id
        }
        refreshTokens = Dictionary(document.refreshTokens.map { ($0.hash, $0) }, uniquingKeysWith: { $1 })
        revokedTokens = Dictionary(document.revokedAccessTokens.map { ($0.jti, $0) }, uniquingKeysWith: { $1 })
        signingKeys = document.signingKeys
        settings = document.settings
        organizations = Dictionary(document.organizations.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        teams = Dictionary(document.teams.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        apiKeys = Dictionary(document.apiKeys.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        apiKeyIDByHash = Dictionary(document.apiKeys.map { ($0.hash, $0.id) }, uniquingKeysWith: { $1 })
        users = Dictionary(document.users.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        webhooks = Dictionary(document.webhooks.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        deliveries = Dictionary(document.deliveries.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        usageSequence = document.usageSequence
    }

    /// Adds one usage-journal entry's counters (agents that no longer exist are skipped).
    mutating func apply(_ entry: UsageJournal.Entry) {
        for (id, delta) in entry.deltas { agents[id]?.usage.apply(delta.usage) }
        usageSequence = entry.sequence
    }

    var document: JSONStoreDocument {
        JSONStoreDocument(
            agents: agents.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) },
            refreshTokens: refreshTokens.values.sorted { ($0.createdAt, $0.hash) < ($1.createdAt, $1.hash) },
            revokedAccessTokens: revokedTokens.values.sorted { $0.jti < $1.jti },
            signingKeys: signingKeys, settings: settings,
            organizations: organizations.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) },
            teams: teams.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) },
            apiKeys: apiKeys.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) },
            users: users.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) },
            webhooks: webhooks.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) },
            deliveries: deliveries.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) },
            usageSequence: usageSequence)
    }
}

/// The file format: one versioned JSON document.
struct JSONStoreDocument: Codable, Sendable {
    static let format = "machineauth-store"
    static let schemaVersion = 1

    var format = JSONStoreDocument.format
    var schemaVersion = JSONStoreDocument.schemaVersion
    var agents: [Agent]
    var refreshTokens: [RefreshTokenRecord]
    var revokedAccessTokens: [RevokedAccessToken]
    var signingKeys: [SigningKeyRecord]
    var settings: [String: String]
    var organizations: [Organization]
    var teams: [Team]
    var apiKeys: [APIKey]
    var users: [AdminUser]
    var webhooks: [Webhook]
    var deliveries: [WebhookDelivery]
    /// The last usage-journal entry these agents' counters include.
    var usageSequence: Int

    init(
        agents: [Agent], refreshTokens: [RefreshTokenRecord], revokedAccessTokens: [RevokedAccessToken],
        signingKeys: [SigningKeyRecord], settings: [String: String],
        organizations: [Organization], teams: [Team], apiKeys: [APIKey], users: [AdminUser], webhooks: [Webhook],
        deliveries: [WebhookDelivery], usageSequence: Int = 0
    ) {
        self.usageSequence = usageSequence
        self.webhooks = webhooks
        self.deliveries = deliveries
        self.organizations = organizations
        self.teams = teams
        self.apiKeys = apiKeys
        self.users = users
        self.agents = agents
        self.refreshTokens = refreshTokens
        self.revokedAccessTokens = revokedAccessTokens
        self.signingKeys = signingKeys
        self.settings = settings
    }

    enum CodingKeys: String, CodingKey {
        case format, agents, settings
        case schemaVersion = "schema_version", refreshTokens = "refresh_tokens"
        case revokedAccessTokens = "revoked_access_tokens", signingKeys = "signing_keys"
        case organizations, teams, apiKeys = "api_keys", users, webhooks, deliveries = "webhook_deliveries"
        case usageSequence = "usage_sequence"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(String.self, forKey: .format)
        guard format == Self.format else {
            throw DecodingError.dataCorruptedError(forKey: .format, in: container, debugDescription: "not a MachineAuth store (format \"\(format)\")")
        }
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        guard schemaVersion <= Self.schemaVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .schemaVersion, in: container,
                debugDescription: "written by a newer MachineAuth (schema \(schemaVersion), this build reads up to \(Self.schemaVersion))")
        }
        agents = try container.decodeIfPresent([Agent].self, forKey: .agents) ?? []
        refreshTokens = try container.decodeIfPresent([RefreshTokenRecord].self, forKey: .refreshTokens) ?? []
        revokedAccessTokens = try container.decodeIfPresent([RevokedAccessToken].self, forKey: .revokedAccessTokens) ?? []
        signingKeys = try container.decodeIfPresent([SigningKeyRecord].self, forKey: .signingKeys) ?? []
        settings = try container.decodeIfPresent([String: String].self, forKey: .settings) ?? [:]
        organizations = try container.decodeIfPresent([Organization].self, forKey: .organizations) ?? []
        teams = try container.decodeIfPresent([Team].self, forKey: .teams) ?? []
        apiKeys = try container.decodeIfPresent([APIKey].self, forKey: .apiKeys) ?? []
        users = try container.decodeIfPresent([AdminUser].self, forKey: .users) ?? []
        webhooks = try container.decodeIfPresent([Webhook].self, forKey: .webhooks) ?? []
        deliveries = try container.decodeIfPresent([WebhookDelivery].self, forKey: .deliveries) ?? []
        usageSequence = try container.decodeIfPresent(Int.self, forKey: .usageSequence) ?? 0
    }
}
