import Foundation
public import MachineAuthCore

extension JSONStorage {
    public func insertOrganization(_ organization: Organization) async throws {
        try await commit { state in
            guard !state.organizations.contains(where: { $0.slug == organization.slug }) else {
                throw StorageError.conflict("the slug \"\(organization.slug)\" is taken")
            }
            guard state.organizations[organization.id] == nil else { throw StorageError.conflict("organization exists") }
            state.organizations[organization.id] = organization
        }
    }

    public func organization(id: String) async throws -> Organization? {
        read { $0.organizations[id] }
    }

    public func organization(slug: String) async throws -> Organization? {
        read { state in state.organizations.first { $0.slug == slug } }
    }

    public func updateOrganization(id: String, _ change: @escaping @Sendable (inout Organization) throws -> Void) async throws -> Organization? {
        try await commit { state -> Organization? in
            guard var organization = state.organizations[id] else { return nil }
            try change(&organization)
            if state.organizations.contains(where: { $0.id != id && $0.slug == organization.slug }) {
                throw StorageError.conflict("the slug \"\(organization.slug)\" is taken")
            }
            state.organizations[id] = organization
            return organization
        }
    }

    public func listOrganizations(ids: Set<String>?, page: PageRequest) async throws -> Page<Organization> {
        let all = read { state in state.organizations.filter { ids?.contains($0.id) ?? true } }
        return Page.slice(all.sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }, page)
    }

    public func deleteOrganization(id: String) async throws -> [Agent]? {
        try await commit { state -> [Agent]? in
            guard state.organizations.removeValue(forKey: id) != nil else { return nil }
            let agents = state.agents.filter { $0.organizationID == id }
            for agent in agents { state.removeAgent(id: agent.id) }
            let agentIDs = Set(agents.map(\.id))
            state.refreshTokens.removeAll { agentIDs.contains($0.agentID) }
            state.teams.removeAll { $0.organizationID == id }
            for key in state.apiKeys.filter({ $0.organizationID == id }) { state.removeAPIKey(id: key.id) }
            let webhookIDs = Set(state.webhooks.filter { $0.organizationID == id }.map(\.id))
            state.webhooks.removeAll { webhookIDs.contains($0.id) }
            state.deliveries.removeAll { webhookIDs.contains($0.webhookID) }
            for var user in state.users.filter({ $0.organizationIDs.contains(id) }) {
                user.organizationIDs.removeAll { $0 == id }
                state.users[user.id] = user
            }
            return agents
        }
    }

    public func insertTeam(_ team: Team) async throws {
        try await commit { state in
            guard state.organizations[team.organizationID] != nil else { throw StorageError(.notFound, "organization not found") }
            guard state.teams[team.id] == nil else { throw StorageError.conflict("team exists") }
            state.teams[team.id] = team
        }
    }

    public func team(id: String) async throws -> Team? {
        read { $0.teams[id] }
    }

    public func updateTeam(id: String, _ change: @escaping @Sendable (inout Team) throws -> Void) async throws -> Team? {
        try await commit { state -> Team? in
            guard var team = state.teams[id] else { return nil }
            try change(&team)
            state.teams[id] = team
            return team
        }
    }

    public func listTeams(organizationID: String) async throws -> [Team] {
        read { state in state.teams.filter { $0.organizationID == organizationID }.sorted { ($0.name, $0.id) < ($1.name, $1.id) } }
    }

    public func deleteTeam(id: String) async throws -> Team? {
        try await commit { state -> Team? in
            guard let team = state.teams.removeValue(forKey: id) else { return nil }
            for var agent in state.agents.filter({ $0.teamID == id }) {
                agent.teamID = nil
                state.setAgent(agent)
            }
            return team
        }
    }

    public func insertAPIKey(_ key: APIKey) async throws {
        try await commit { state in
            guard state.organizations[key.organizationID] != nil else { throw StorageError(.notFound, "organization not found") }
            guard state.apiKeys[key.id] == nil, state.apiKeyIDByHash[key.hash] == nil else { throw StorageError.conflict("API key exists") }
            state.setAPIKey(key)
        }
    }

    public func apiKey(hash: String) async throws -> APIKey? {
        read { state in state.apiKeyIDByHash[hash].flatMap { state.apiKeys[$0] } }
    }

    public func listAPIKeys(organizationID: String) async throws -> [APIKey] {
        read { state in state.apiKeys.filter { $0.organizationID == organizationID }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) } }
    }

    public func updateAPIKey(id: String, _ change: @escaping @Sendable (inout APIKey) throws -> Void) async throws -> APIKey? {
        try await commit { state -> APIKey? in
            guard var key = state.apiKeys[id] else { return nil }
            let hash = key.hash
            try change(&key)
            key.hash = hash
            state.setAPIKey(key)
            return key
        }
    }

    public func insertUser(_ user: AdminUser) async throws {
        try await commit { state in
            guard !state.users.contains(where: { $0.email.lowercased() == user.email.lowercased() }) else {
                throw StorageError.conflict("a user with e-mail \(user.email) exists")
            }
            state.users[user.id] = user
        }
    }

    public func user(id: String) async throws -> AdminUser? {
        read { $0.users[id] }
    }

    public func user(email: String) async throws -> AdminUser? {
        read { state in state.users.first { $0.email.lowercased() == email.lowercased() } }
    }

    public func updateUser(id: String, _ change: @escaping @Sendable (inout AdminUser) throws -> Void) async throws -> AdminUser? {
        try await commit { state -> AdminUser? in
            guard var user = state.users[id] else { return nil }
            try change(&user)
            if state.users.contains(where: { $0.id != id && $0.email.lowercased() == user.email.lowercased() }) {
                throw StorageError.conflict("a user with e-mail \(user.email) exists")
            }
            state.users[id] = user
            return user
        }
    }

    public func deleteUser(id: String) async throws -> AdminUser? {
        try await commit { state in state.users.removeValue(forKey: id) }
    }

    public func listUsers() async throws -> [AdminUser] {
        read { state in state.users.sorted { ($0.email, $0.id) < ($1.email, $1.id) } }
    }
}
