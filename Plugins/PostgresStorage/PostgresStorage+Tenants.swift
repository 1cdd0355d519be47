import Foundation
import Logging
public import MachineAuthCore
import PostgresNIO

extension PostgresStorage {
    func records<T: Decodable>(_ type: T.Type, _ query: PostgresQuery, on connection: PostgresConnection? = nil) async throws -> [T] {
        let rows: PostgresRowSequence
        if let connection {
            rows = try await connection.query(query, logger: logger)
        } else {
            rows = try await client.query(query, logger: logger)
        }
        var values: [T] = []
        for try await record in rows.decode(String.self) { values.append(try RecordCoding.decode(T.self, from: record)) }
        return values
    }

    // MARK: Organizations

    public func insertOrganization(_ organization: Organization) async throws {
        try await mapped { [self] in
            try await client.query(
                "INSERT INTO organizations (id, slug, name, record) VALUES (\(organization.id), \(organization.slug), \(organization.name), \(try RecordCoding.encode(organization))::jsonb)",
                logger: logger)
        }
    }

    public func organization(id: String) async throws -> Organization? {
        if let cached = cache.organization(id) { return cached }
        let found = try await mapped { [self] in try await records(Organization.self, "SELECT record::text FROM organizations WHERE id = \(id)").first }
        if let found { cache.store(organization: found) }
        return found
    }

    public func organization(slug: String) async throws -> Organization? {
        try await mapped { [self] in try await records(Organization.self, "SELECT record::text FROM organizations WHERE slug = \(slug)").first }
    }

    public func updateOrganization(id: String, _ change: @escaping @Sendable (inout Organization) throws -> Void) async throws -> Organization? {
        let updated = try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection -> Organization? in
                guard var organization = try await records(Organization.self, "SELECT record::text FROM organizations WHERE id = \(id) FOR UPDATE", on: connection).first else {
                    return nil
                }
                try change(&organization)
                try await connection.query(
                    "UPDATE organizations SET slug = \(organization.slug), name = \(organization.name), record = \(try RecordCoding.encode(organization))::jsonb WHERE id = \(id)",
                    logger: logger)
                try await notify("org:\(id)", on: connection)
                return organization
            }
        }
        cache.dropOrganization(id)
        return updated
    }

    public func listOrganizations(ids: Set<String>?, page: PageRequest) async throws -> Page<Organization> {
        try await mapped { [self] in
            let allowed = ids.map { Array($0) }
            let total = try await count("SELECT count(*)::bigint FROM organizations WHERE \(allowed == nil) OR id = ANY(\(allowed ?? []))")
            let items = try await records(Organization.self, """
                SELECT record::text FROM organizations WHERE \(allowed == nil) OR id = ANY(\(allowed ?? []))
                ORDER BY lower(name), id LIMIT \(page.limit) OFFSET \(page.offset)
                """)
            return Page(items: items, total: total, request: page)
        }
    }

    /// Removes the organization, its agents (usage and refresh tokens cascade), teams and API keys,
    /// and its memberships, in one transaction.
    public func deleteOrganization(id: String) async throws -> [Agent]? {
        let removed = try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection -> [Agent]? in
                let exists = try await connection.query("SELECT 1 FROM organizations WHERE id = \(id) FOR UPDATE", logger: logger)
                var found = false
                for try await _ in exists.decode(Int.self) { found = true }
                guard found else { return nil }
                let agents = try await agents(from: try await connection.query(
                    "SELECT \(unescaped: Self.agentColumns) WHERE a.organization_id = \(id) FOR UPDATE OF a", logger: logger))
                try await connection.query("DELETE FROM agents WHERE organization_id = \(id)", logger: logger)
                try await connection.query("DELETE FROM organizations WHERE id = \(id)", logger: logger)
                let members = try await records(AdminUser.self, "SELECT record::text FROM admin_users WHERE record->'organization_ids' ? \(id) FOR UPDATE", on: connection)
                for var user in members {
                    user.organizationIDs.removeAll { $0 == id }
                    try await connection.query("UPDATE admin_users SET record = \(try RecordCoding.encode(user))::jsonb WHERE id = \(user.id)", logger: logger)
                }
                for agent in agents { try await notify("agent:\(agent.id)", on: connection) }
                try await notify("org:\(id)", on: connection)
                try await notify("apikeys", on: connection)
                return agents
            }
        }
        for agent in removed ?? [] { cache.dropAgent(agent.id) }
        cache.dropOrganization(id)
        cache.dropAPIKeys()
        return removed
    }

    // MARK: Teams

    public func insertTeam(_ team: Team) async throws {
        try await mapped { [self] in
            try await client.query(
                "INSERT INTO teams (id, organization_id, name, record) VALUES (\(team.id), \(team.organizationID), \(team.name), \(try RecordCoding.encode(team))::jsonb)",
                logger: logger)
        }
    }

    public func team(id: String) async throws -> Team? {
        try await mapped { [self] in try await records(Team.self, "SELECT record::text FROM teams WHERE id = \(id)").first }
    }

    public func updateTeam(id: String, _ change: @escaping @Sendable (inout Team) throws -> Void) async throws -> Team? {
        try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection -> Team? in
                guard var team = try await records(Team.self, "SELECT record::text FROM teams WHERE id = \(id) FOR UPDATE", on: connection).first else { return nil }
                try change(&team)
                try await connection.query("UPDATE teams SET name = \(team.name), record = \(try RecordCoding.encode(team))::jsonb WHERE id = \(id)", logger: logger)
                return team
            }
        }
    }

    public func listTeams(organizationID: String) async throws -> [Team] {
        try await mapped { [self] in try await records(Team.self, "SELECT record::text FROM teams WHERE organization_id = \(organizationID) ORDER BY name, id") }
    }

    /// Deletes the team and takes its agents out of it, in one transaction.
    public func deleteTeam(id: String) async throws -> Team? {
        let (team, agentIDs) = try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection -> (Team?, [String]) in
                guard let team = try await records(Team.self, "SELECT record::text FROM teams WHERE id = \(id) FOR UPDATE", on: connection).first else {
                    return (nil, [])
                }
                let members = try await agents(from: try await connection.query(
                    "SELECT \(unescaped: Self.agentColumns) WHERE a.team_id = \(id) FOR UPDATE OF a", logger: logger))
                for var agent in members {
                    agent.teamID = nil
                    try await write(agent, on: connection, insert: false)
                }
                try await connection.query("DELETE FROM teams WHERE id = \(id)", logger: logger)
                return (team, members.map(\.id))
            }
        }
        for agentID in agentIDs { cache.dropAgent(agentID) }
        return team
    }

    // MARK: API keys

    public func insertAPIKey(_ key: APIKey) async throws {
        try await mapped { [self] in
            try await client.query(
                "INSERT INTO api_keys (id, hash, organization_id, created_at, record) VALUES (\(key.id), \(key.hash), \(key.organizationID), \(key.createdAt), \(try RecordCoding.encode(key))::jsonb)",
                logger: logger)
        }
    }

    /// Served from the cache when fresh; revocations are announced to every instance.
    public func apiKey(hash: String) async throws -> APIKey? {
        if let cached = cache.apiKey(hash: hash) { return cached }
        let found = try await mapped { [self] in try await records(APIKey.self, "SELECT record::text FROM api_keys WHERE hash = \(hash)").first }
        if let found { cache.store(apiKey: found) }
        return found
    }

    public func listAPIKeys(organizationID: String) async throws -> [APIKey] {
        try await mapped { [self] in try await records(APIKey.self, "SELECT record::text FROM api_keys WHERE organization_id = \(organizationID) ORDER BY created_at, id") }
    }

    public func updateAPIKey(id: String, _ change: @escaping @Sendable (inout APIKey) throws -> Void) async throws -> APIKey? {
        let updated = try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection -> APIKey? in
                guard var key = try await records(APIKey.self, "SELECT record::text FROM api_keys WHERE id = \(id) FOR UPDATE", on: connection).first else { return nil }
                let hash = key.hash
                try change(&key)
                key.hash = hash
                try await connection.query("UPDATE api_keys SET record = \(try RecordCoding.encode(key))::jsonb WHERE id = \(id)", logger: logger)
                try await notify("apikeys", on: connection)
                return key
            }
        }
        cache.dropAPIKeys()
        return updated
    }

    // MARK: Administrators

    public func insertUser(_ user: AdminUser) async throws {
        try await mapped { [self] in
            try await client.query(
                "INSERT INTO admin_users (id, email, record) VALUES (\(user.id), \(user.email), \(try RecordCoding.encode(user))::jsonb)", logger: logger)
        }
    }

    public func user(id: String) async throws -> AdminUser? {
        try await mapped { [self] in try await records(AdminUser.self, "SELECT record::text FROM admin_users WHERE id = \(id)").first }
    }

    public func user(email: String) async throws -> AdminUser? {
        try await mapped { [self] in try await records(AdminUser.self, "SELECT record::text FROM admin_users WHERE lower(email) = lower(\(email))").first }
    }

    public func updateUser(id: String, _ change: @escaping @Sendable (inout AdminUser) throws -> Void) async throws -> AdminUser? {
        try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection -> AdminUser? in
                guard var user = try await records(AdminUser.self, "SELECT record::text FROM admin_users WHERE id = \(id) FOR UPDATE", on: connection).first else { return nil }
                try change(&user)
                try await connection.query(
                    "UPDATE admin_users SET email = \(user.email), record = \(try RecordCoding.encode(user))::jsonb WHERE id = \(id)", logger: logger)
                return user
            }
        }
    }

    public func deleteUser(id: String) async throws -> AdminUser? {
        try await mapped { [self] in try await records(AdminUser.self, "DELETE FROM admin_users WHERE id = \(id) RETURNING record::text").first }
    }

    public func listUsers() async throws -> [AdminUser] {
        try await mapped { [self] in try await records(AdminUser.self, "SELECT record::text FROM admin_users ORDER BY lower(email), id") }
    }
}
