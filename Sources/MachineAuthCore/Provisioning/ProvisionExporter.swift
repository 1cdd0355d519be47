import Foundation

/// Writes the current organizations, teams, agents, API keys (without keys) and webhooks
/// (without secrets) as a provision file that `apply` accepts unchanged.
public struct ProvisionExporter: Sendable {
    let storage: any Storage

    public init(storage: any Storage) {
        self.storage = storage
    }

    public func export() async throws -> String {
        let here = SourceLocation(file: "export", line: 1, column: 1)
        func scalar(_ text: String) -> ConfigNode { ConfigNode(.scalar(text, quoted: true), at: here) }
        func list(_ items: [ConfigNode]) -> ConfigNode { ConfigNode(.sequence(items), at: here) }
        func map(_ pairs: [(String, ConfigNode?)]) -> ConfigNode {
            ConfigNode(.mapping(pairs.compactMap { key, value in value.map { ConfigNode.Entry(key: key, keyLocation: here, value: $0) } }), at: here)
        }
        func strings(_ values: [String]) -> ConfigNode { list(values.map(scalar)) }
        func json(_ value: JSONValue) -> ConfigNode { ConfigNodeDecoder.node(value, at: here) }
        func date(_ value: Date?) -> ConfigNode? { value.map { scalar(TimestampFormat.string($0, milliseconds: false)) } }

        let organizations = try await Self.everyPage { try await storage.listOrganizations(ids: nil, page: $0) }
        let slugs = Dictionary(organizations.map { ($0.id, $0.slug) }, uniquingKeysWith: { $1 })
        var teams: [Team] = []
        var keys: [APIKey] = []
        var agents: [Agent] = []
        for organization in organizations {
            teams += try await storage.listTeams(organizationID: organization.id)
            keys += try await storage.listAPIKeys(organizationID: organization.id).filter { $0.revokedAt == nil }
        }
        agents = try await Self.everyPage { try await storage.listAgents(AgentQuery(page: $0)) }
        let teamNames = Dictionary(teams.map { ($0.id, $0.name) }, uniquingKeysWith: { $1 })
        let webhooks = try await storage.listWebhooks(organizationIDs: nil)

        let document = map([
            ("organizations", list(organizations.map { organization in
                map([("slug", scalar(organization.slug)), ("name", scalar(organization.name)), ("owner_email", organization.ownerEmail.map(scalar))])
            })),
            ("teams", list(teams.map { team in
                map([("organization", scalar(slugs[team.organizationID] ?? team.organizationID)), ("name", scalar(team.name)),
                     ("description", team.description.isEmpty ? nil : scalar(team.description))])
            })),
            ("agents", list(agents.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }.map { agent in
                map([
                    ("name", scalar(agent.name)), ("organization", agent.organizationID.flatMap { slugs[$0] }.map(scalar)),
                    ("team", agent.teamID.flatMap { teamNames[$0] }.map(scalar)), ("client_id", scalar(agent.clientID)),
                    ("description", agent.description.isEmpty ? nil : scalar(agent.description)), ("tags", agent.tags.isEmpty ? nil : strings(agent.tags)),
                    ("scopes", strings(agent.scopes)),
                    ("metadata", agent.metadata.isEmpty ? nil : map(agent.metadata.sorted { $0.key < $1.key }.map { ($0.key, scalar($0.value)) })),
                    ("grant_types", agent.grantTypes == Agent.defaultGrantTypes ? nil : strings(agent.grantTypes)),
                    ("allowed_audiences", agent.allowedAudiences.isEmpty ? nil : strings(agent.allowedAudiences)),
                    ("expires_at", date(agent.expiresAt)), ("active", agent.isActive ? nil : ConfigNode(.scalar("false", quoted: false), at: here)),
                    ("token_endpoint_auth_method", agent.tokenEndpointAuthMethod == Agent.defaultAuthMethod ? nil : scalar(agent.tokenEndpointAuthMethod)),
                    ("jwks", agent.jwks.map(json)),
                    ("jwks_uri", agent.jwksURI.map(scalar)),
                    ("dpop_bound_access_tokens", agent.dpopBoundAccessTokens ? ConfigNode(.scalar("true", quoted: false), at: here) : nil),
                    ("tls_client_certificate_bound_access_tokens",
                     agent.tlsClientCertificateBoundAccessTokens ? ConfigNode(.scalar("true", quoted: false), at: here) : nil),
                ] + (agent.tlsClientAuthSubject.map { [($0.kind.metadataName, scalar($0.value) as ConfigNode?)] } ?? []))
            })),
            ("api_keys", list(keys.map { key in
                map([("organization", scalar(slugs[key.organizationID] ?? key.organizationID)), ("name", scalar(key.name)), ("expires_at", date(key.expiresAt))])
            })),
            ("webhooks", list(webhooks.map { webhook in
                map([
                    ("name", scalar(webhook.name)), ("organization", webhook.organizationID.flatMap { slugs[$0] }.map(scalar)),
                    ("team", webhook.teamID.flatMap { teamNames[$0] }.map(scalar)), ("url", scalar(webhook.url)), ("events", strings(webhook.events)),
                    ("max_retries", ConfigNode(.scalar(String(webhook.maxRetries), quoted: false), at: here)),
                    ("retry_backoff_base", ConfigNode(.scalar(String(webhook.retryBackoffBase), quoted: false), at: here)),
                    ("active", webhook.isActive ? nil : ConfigNode(.scalar("false", quoted: false), at: here)),
                ])
            })),
        ])
        return "# MachineAuth provision file, exported \(TimestampFormat.string(Date(), milliseconds: false)). Secrets are not exported:\n"
            + "# add client_secret_env / key_env / secret_env entries to set them from this file.\n"
            + ConfigRenderer.render(document, masking: false)
    }

    /// Every item of a paged list, read 500 at a time.
    private static func everyPage<Item>(_ read: (PageRequest) async throws -> Page<Item>) async throws -> [Item] {
        var items: [Item] = []
        for number in InputLimits.page {
            let page = try await read(PageRequest(page: number, limit: 500))
            items += page.items
            if page.items.count < 500 { break }
        }
        return items
    }
}
