import Foundation
import Logging
public import MachineAuthCore
import PostgresNIO

extension PostgresStorage {
    static let agentColumns = """
        a.record::text, u.token_count, u.refresh_count, u.failed_auth_count, u.last_token_at, u.last_activity_at
        FROM agents a LEFT JOIN agent_usage u ON u.agent_id = a.id
        """

    func agents(from rows: PostgresRowSequence) async throws -> [Agent] {
        var agents: [Agent] = []
        for try await (record, tokens, refreshes, failures, lastToken, lastActivity)
            in rows.decode((String, Int?, Int?, Int?, Date?, Date?).self)
        {
            var agent = try RecordCoding.decode(Agent.self, from: record)
            agent.usage = AgentUsage(
                tokenCount: tokens ?? 0, refreshCount: refreshes ?? 0, failedAuthCount: failures ?? 0,
                lastTokenAt: lastToken, lastActivityAt: lastActivity)
            agents.append(agent)
        }
        return agents
    }

    func write(_ agent: Agent, on connection: PostgresConnection, insert: Bool) async throws {
        var stored = agent
        stored.usage = AgentUsage()
        let record = try RecordCoding.encode(stored)
        if insert {
            try await connection.query(
                """
                INSERT INTO agents (id, client_id, organization_id, team_id, name, scopes, is_active, created_at, expires_at, record)
                VALUES (\(agent.id), \(agent.clientID), \(agent.organizationID), \(agent.teamID), \(agent.name), \(agent.scopes),
                        \(agent.isActive), \(agent.createdAt), \(agent.expiresAt), \(record)::jsonb)
                """, logger: logger)
            try await connection.query("INSERT INTO agent_usage (agent_id) VALUES (\(agent.id))", logger: logger)
        } else {
            try await connection.query(
                """
                UPDATE agents SET client_id = \(agent.clientID), organization_id = \(agent.organizationID), team_id = \(agent.teamID),
                    name = \(agent.name), scopes = \(agent.scopes), is_active = \(agent.isActive), expires_at = \(agent.expiresAt),
                    record = \(record)::jsonb
                WHERE id = \(agent.id)
                """, logger: logger)
            try await notify("agent:\(agent.id)", on: connection)
        }
    }

    public func insertAgent(_ agent: Agent) async throws {
        try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection in try await write(agent, on: connection, insert: true) }
        }
    }

    /// Served from the cache when fresh: validation paths must not wait on the database.
    public func agent(id: String) async throws -> Agent? {
        if let cached = cache.agent(id) { return cached }
        let found = try await mapped { [self] in
            try await agents(from: try await client.query("SELECT \(unescaped: Self.agentColumns) WHERE a.id = \(id)", logger: logger)).first
        }
        if let found { cache.store(agent: found) }
        return found
    }

    /// Always read from the database: credential checks must see a rotation at once.
    public func agent(clientID: String) async throws -> Agent? {
        try await mapped { [self] in
            try await agents(from: try await client.query("SELECT \(unescaped: Self.agentColumns) WHERE a.client_id = \(clientID)", logger: logger)).first
        }
    }

    public func updateAgent(id: String, _ change: @escaping @Sendable (inout Agent) throws -> Void) async throws -> Agent? {
        let updated = try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection -> Agent? in
                let rows = try await connection.query(
                    "SELECT \(unescaped: Self.agentColumns) WHERE a.id = \(id) FOR UPDATE OF a", logger: logger)
                guard var agent = try await agents(from: rows).first else { return nil }
                try change(&agent)
                try await write(agent, on: connection, insert: false)
                return agent
            }
        }
        cache.dropAgent(id)
        return updated
    }

    public func deleteAgent(id: String) async throws -> Agent? {
        let deleted = try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection -> Agent? in
                let rows = try await connection.query("SELECT \(unescaped: Self.agentColumns) WHERE a.id = \(id) FOR UPDATE OF a", logger: logger)
                guard let agent = try await agents(from: rows).first else { return nil }
                try await connection.query("DELETE FROM agents WHERE id = \(id)", logger: logger)
                try await notify("agent:\(id)", on: connection)
                return agent
            }
        }
        cache.dropAgent(id)
        return deleted
    }

    public func listAgents(_ query: AgentQuery) async throws -> Page<Agent> {
        var filter = SQLFilter()
        if let search = query.search, !search.isEmpty {
            filter.add("a.name ILIKE '%' || $ || '%' ESCAPE '\\'", search.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_"))
        }
        switch query.status {
        case .active?: filter.add("a.is_active AND (a.expires_at IS NULL OR a.expires_at > now())")
        case .inactive?: filter.add("NOT a.is_active")
        case .expired?: filter.add("a.is_active AND a.expires_at <= now()")
        case nil: break
        }
        if let organization = query.organizationID { filter.add("a.organization_id = $", organization) }
        if let team = query.teamID { filter.add("a.team_id = $", team) }
        if let scope = query.scope { filter.add("$ = ANY(a.scopes)", scope) }
        let frozen = filter
        return try await mapped { [self] in
            let total = try await count(frozen.query("SELECT count(*)::bigint FROM agents a"))
            let rows = try await client.query(frozen.query(
                "SELECT \(Self.agentColumns)", suffix: "ORDER BY a.created_at DESC, a.id DESC LIMIT \(query.page.limit) OFFSET \(query.page.offset)"),
                logger: logger)
            return Page(items: try await agents(from: rows), total: total, request: query.page)
        }
    }

    func count(_ query: PostgresQuery) async throws -> Int {
        for try await value in try await client.query(query, logger: logger).decode(Int.self) { return value }
        return 0
    }

    public func agentStatistics() async throws -> AgentStatistics {
        try await mapped { [self] in
            let rows = try await client.query(
                """
                SELECT count(*)::bigint,
                       (count(*) FILTER (WHERE a.is_active AND (a.expires_at IS NULL OR a.expires_at > now())))::bigint,
                       (count(*) FILTER (WHERE NOT a.is_active))::bigint,
                       (count(*) FILTER (WHERE a.is_active AND a.expires_at <= now()))::bigint,
                       coalesce(sum(u.token_count), 0)::bigint, coalesce(sum(u.refresh_count), 0)::bigint,
                       coalesce(sum(u.failed_auth_count), 0)::bigint
                FROM agents a LEFT JOIN agent_usage u ON u.agent_id = a.id
                """, logger: logger)
            var statistics = AgentStatistics()
            for try await (total, active, inactive, expired, tokens, refreshes, failures) in rows.decode((Int, Int, Int, Int, Int, Int, Int).self) {
                statistics.total = total
                statistics.active = active
                statistics.inactive = inactive
                statistics.expired = expired
                statistics.usage = AgentUsage(tokenCount: tokens, refreshCount: refreshes, failedAuthCount: failures)
            }
            return statistics
        }
    }

    public func knownScopes() async throws -> [String] {
        try await mapped { [self] in
            var scopes: [String] = []
            for try await scope in try await client.query("SELECT DISTINCT unnest(scopes) FROM agents ORDER BY 1", logger: logger).decode(String.self) {
                scopes.append(scope)
            }
            return scopes
        }
    }

    /// Adds a batch of usage counters in one statement, atomically with respect to other instances.
    public func applyUsage(_ deltas: [String: UsageDelta]) async throws {
        guard !deltas.isEmpty else { return }
        let entries = Array(deltas)
        let epoch = Date(timeIntervalSince1970: 0)
        let ids = entries.map(\.key)
        let tokens = entries.map(\.value.tokens)
        let refreshes = entries.map(\.value.refreshes)
        let failures = entries.map(\.value.failures)
        let lastTokens = entries.map { $0.value.lastTokenAt ?? epoch }
        let lastActivities = entries.map { $0.value.lastActivityAt ?? epoch }
        try await mapped { [self] in
            try await client.query(
                """
                UPDATE agent_usage u SET
                    token_count = u.token_count + d.tokens, refresh_count = u.refresh_count + d.refreshes,
                    failed_auth_count = u.failed_auth_count + d.failures,
                    last_token_at = GREATEST(u.last_token_at, NULLIF(d.last_token, 'epoch')),
                    last_activity_at = GREATEST(u.last_activity_at, NULLIF(d.last_activity, 'epoch'))
                FROM unnest(\(ids)::text[], \(tokens)::bigint[], \(refreshes)::bigint[], \(failures)::bigint[],
                            \(lastTokens)::timestamptz[], \(lastActivities)::timestamptz[])
                     AS d(agent_id, tokens, refreshes, failures, last_token, last_activity)
                WHERE u.agent_id = d.agent_id
                """, logger: logger)
        }
        for id in ids { cache.dropAgent(id) }
    }
}

/// Builds `WHERE` clauses whose `$` placeholders are numbered as values are added.
struct SQLFilter {
    private var clauses: [String] = []
    private var values: [String] = []

    mutating func add(_ clause: String, _ value: String? = nil) {
        guard let value else {
            clauses.append(clause)
            return
        }
        values.append(value)
        clauses.append(clause.replacingOccurrences(of: "$", with: "$\(values.count)"))
    }

    func query(_ head: String, suffix: String = "") -> PostgresQuery {
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        let condition = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        return PostgresQuery(unsafeSQL: head + condition + (suffix.isEmpty ? "" : " " + suffix), binds: bindings)
    }
}
