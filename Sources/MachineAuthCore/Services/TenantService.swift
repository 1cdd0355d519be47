public import Foundation

/// Creates and changes organizations, teams and API keys: validation, cascades, events.
public struct TenantService: Sendable {
    let storage: any Storage
    let hasher: SecretHasher
    let events: EventBus
    let now: @Sendable () -> Date

    public init(storage: any Storage, hasher: SecretHasher, events: EventBus, now: @escaping @Sendable () -> Date) {
        self.storage = storage
        self.hasher = hasher
        self.events = events
        self.now = now
    }

    public func createOrganization(name: String, slug: String, ownerEmail: String?, managedBy: String? = nil, by attribution: Attribution) async throws -> Organization {
        let organization = Organization(
            id: RandomToken.uuid(), name: try FieldRules.name(name), slug: try FieldRules.slug(slug),
            ownerEmail: try ownerEmail.map { try FieldRules.email($0, field: "owner_email") }, createdAt: now(), managedBy: managedBy)
        try await storage.insertOrganization(organization)
        await publish("organization.created", organization.id, organization.id, nil, attribution, ["slug": .string(organization.slug)])
        return organization
    }

    public func updateOrganization(id: String, name: String?, slug: String?, ownerEmail: String??, by attribution: Attribution) async throws -> Organization? {
        let name = try name.map { try FieldRules.name($0) }
        let slug = try slug.map { try FieldRules.slug($0) }
        let owner: String?? = try ownerEmail.map { try $0.map { try FieldRules.email($0, field: "owner_email") } }
        let time = now()
        guard let organization = try await storage.updateOrganization(id: id, { organization in
            if let name { organization.name = name }
            if let slug { organization.slug = slug }
            if let owner { organization.ownerEmail = owner }
            organization.updatedAt = time
        }) else { return nil }
        await publish("organization.updated", organization.id, organization.id, nil, attribution)
        return organization
    }

    /// Deletes an organization; one that still has agents needs `cascade`, which also removes
    /// its teams, agents (whose tokens stop working at once) and API keys.
    public func deleteOrganization(id: String, cascade: Bool, by attribution: Attribution) async throws -> [Agent]? {
        if !cascade {
            let agents = try await storage.listAgents(AgentQuery(organizationID: id, page: PageRequest(page: 1, limit: 1)))
            guard agents.total == 0 else {
                throw StorageError.conflict("the organization still has \(agents.total) agent(s); delete them first or pass ?cascade=true")
            }
        }
        guard let removed = try await storage.deleteOrganization(id: id) else { return nil }
        let time = now()
        let agentEvents = removed.map { agent in
            DomainEvent(type: "agent.deleted", time: time, actor: attribution.actor, target: .agent(agent.id),
                        organizationID: id, teamID: agent.teamID, data: ["cascade": true], origin: attribution.origin)
        }
        await events.publish(agentEvents + [organizationEvent("organization.deleted", id, id, nil, attribution, ["agents_deleted": .int(removed.count)])])
        return removed
    }

    public func createTeam(organizationID: String, name: String, description: String, managedBy: String? = nil, by attribution: Attribution) async throws -> Team {
        let team = Team(id: RandomToken.uuid(), organizationID: organizationID, name: try FieldRules.name(name),
                        description: try FieldRules.description(description), createdAt: now(), managedBy: managedBy)
        try await storage.insertTeam(team)
        await publish("team.created", team.id, organizationID, team.id, attribution, ["name": .string(team.name)], kind: "team")
        return team
    }

    public func updateTeam(id: String, name: String?, description: String?, by attribution: Attribution) async throws -> Team? {
        let name = try name.map { try FieldRules.name($0) }
        let description = try description.map { try FieldRules.description($0) }
        let time = now()
        guard let team = try await storage.updateTeam(id: id, { team in
            if let name { team.name = name }
            if let description { team.description = description }
            team.updatedAt = time
        }) else { return nil }
        await publish("team.updated", team.id, team.organizationID, team.id, attribution, kind: "team")
        return team
    }

    public func deleteTeam(id: String, by attribution: Attribution) async throws -> Team? {
        guard let team = try await storage.deleteTeam(id: id) else { return nil }
        await publish("team.deleted", team.id, team.organizationID, team.id, attribution, kind: "team")
        return team
    }

    /// Creates an API key; the `sk_…` value is returned this once and only its hash is stored.
    public func createAPIKey(
        organizationID: String, name: String, expiresIn: Int?, expiresAt: Date? = nil, secret given: String? = nil, managedBy: String? = nil,
        by attribution: Attribution
    ) async throws -> (APIKey, String) {
        if let expiresIn, expiresIn <= 0 { throw ValidationError("expires_in", "must be a positive number of seconds") }
        let secret = given ?? RandomToken.make(prefix: APIKey.secretPrefix, bytes: 32)
        let time = now()
        let key = APIKey(
            id: RandomToken.uuid(), organizationID: organizationID, name: try FieldRules.name(name), prefix: String(secret.prefix(10)),
            hash: hasher.hash(secret), createdAt: time, expiresAt: expiresAt ?? expiresIn.map { time.addingTimeInterval(TimeInterval($0)) },
            managedBy: managedBy)
        try await storage.insertAPIKey(key)
        await publish("api_key.created", key.id, organizationID, nil, attribution, ["name": .string(key.name)], kind: "api_key")
        return (key, secret)
    }

    public func revokeAPIKey(id: String, by attribution: Attribution) async throws -> APIKey? {
        let time = now()
        guard let key = try await storage.updateAPIKey(id: id, { key in key.revokedAt = key.revokedAt ?? time }) else { return nil }
        await publish("api_key.revoked", key.id, key.organizationID, nil, attribution, kind: "api_key")
        return key
    }

    private func publish(
        _ type: String, _ id: String, _ organizationID: String?, _ teamID: String?, _ attribution: Attribution,
        _ data: [String: JSONValue] = [:], kind: String = "organization"
    ) async {
        await events.publish(organizationEvent(type, id, organizationID, teamID, attribution, data, kind: kind))
    }

    private func organizationEvent(
        _ type: String, _ id: String, _ organizationID: String?, _ teamID: String?, _ attribution: Attribution,
        _ data: [String: JSONValue] = [:], kind: String = "organization"
    ) -> DomainEvent {
        DomainEvent(type: type, time: now(), actor: attribution.actor, target: EventTarget(kind: kind, id: id), organizationID: organizationID,
                    teamID: teamID, data: data, origin: attribution.origin)
    }
}
