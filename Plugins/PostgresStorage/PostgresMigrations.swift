import Logging
import PostgresNIO

/// Versioned schema migrations, applied in one transaction under an advisory lock so that
/// instances starting together do not race; each applied version is recorded.
enum PostgresMigrations {
    /// Advisory lock key for migrations ("machineauth" hashed to an int).
    static let lockKey: Int64 = 0x6d61_6368_6175_7468

    static let steps: [(version: Int, name: String, sql: [String])] = [
        (1, "initial schema", [
            """
            CREATE TABLE agents (
                id TEXT PRIMARY KEY,
                client_id TEXT NOT NULL UNIQUE,
                organization_id TEXT,
                team_id TEXT,
                name TEXT NOT NULL,
                scopes TEXT[] NOT NULL DEFAULT '{}',
                is_active BOOLEAN NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                expires_at TIMESTAMPTZ,
                record JSONB NOT NULL
            )
            """,
            "CREATE INDEX agents_organization ON agents (organization_id, created_at DESC)",
            "CREATE INDEX agents_created ON agents (created_at DESC, id DESC)",
            """
            CREATE TABLE agent_usage (
                agent_id TEXT PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
                token_count BIGINT NOT NULL DEFAULT 0,
                refresh_count BIGINT NOT NULL DEFAULT 0,
                failed_auth_count BIGINT NOT NULL DEFAULT 0,
                last_token_at TIMESTAMPTZ,
                last_activity_at TIMESTAMPTZ
            )
            """,
            """
            CREATE TABLE refresh_tokens (
                hash TEXT PRIMARY KEY,
                family_id TEXT NOT NULL,
                agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
                client_id TEXT NOT NULL,
                scopes TEXT[] NOT NULL,
                audience TEXT[] NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                expires_at TIMESTAMPTZ NOT NULL,
                used_at TIMESTAMPTZ,
                revoked_at TIMESTAMPTZ
            )
            """,
            "CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)",
            "CREATE INDEX refresh_tokens_agent ON refresh_tokens (agent_id)",
            "CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at)",
            "CREATE TABLE revoked_access_tokens (jti TEXT PRIMARY KEY, expires_at TIMESTAMPTZ NOT NULL, agent_id TEXT)",
            """
            CREATE TABLE signing_keys (
                kid TEXT PRIMARY KEY,
                algorithm TEXT NOT NULL,
                private_key TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                retired_at TIMESTAMPTZ,
                publish_until TIMESTAMPTZ
            )
            """,
            """
            CREATE TABLE audit_records (
                id TEXT PRIMARY KEY,
                time TIMESTAMPTZ NOT NULL,
                action TEXT NOT NULL,
                actor_id TEXT,
                agent_id TEXT,
                target_id TEXT,
                organization_id TEXT,
                record JSONB NOT NULL
            )
            """,
            "CREATE INDEX audit_records_time ON audit_records (time DESC)",
            "CREATE INDEX audit_records_agent ON audit_records (agent_id, time DESC)",
            "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "CREATE TABLE organizations (id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL, record JSONB NOT NULL)",
            """
            CREATE TABLE teams (
                id TEXT PRIMARY KEY,
                organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                record JSONB NOT NULL
            )
            """,
            """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                hash TEXT NOT NULL UNIQUE,
                organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
                created_at TIMESTAMPTZ NOT NULL,
                record JSONB NOT NULL
            )
            """,
            "CREATE TABLE admin_users (id TEXT PRIMARY KEY, email TEXT NOT NULL, record JSONB NOT NULL)",
            "CREATE UNIQUE INDEX admin_users_email ON admin_users (lower(email))",
        ]),
        (2, "webhooks and delivery outbox", [
            """
            CREATE TABLE webhooks (
                id TEXT PRIMARY KEY,
                organization_id TEXT REFERENCES organizations(id) ON DELETE CASCADE,
                created_at TIMESTAMPTZ NOT NULL,
                record JSONB NOT NULL
            )
            """,
            """
            CREATE TABLE webhook_deliveries (
                id TEXT PRIMARY KEY,
                webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
                status TEXT NOT NULL,
                next_attempt_at TIMESTAMPTZ NOT NULL,
                lease_owner TEXT,
                lease_until TIMESTAMPTZ,
                created_at TIMESTAMPTZ NOT NULL,
                record JSONB NOT NULL
            )
            """,
            "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status IN ('pending', 'retrying')",
            "CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at DESC)",
        ]),
        (3, "identifiers used once (client assertion jti)", [
            "CREATE TABLE used_identifiers (key TEXT PRIMARY KEY, expires_at TIMESTAMPTZ NOT NULL)",
            "CREATE INDEX used_identifiers_expiry ON used_identifiers (expires_at)",
        ]),
        (4, "trusted issuers (workload identity federation)", [
            """
            CREATE TABLE trusted_issuers (
                id TEXT PRIMARY KEY,
                issuer TEXT NOT NULL UNIQUE,
                created_at TIMESTAMPTZ,
                record JSONB NOT NULL
            )
            """,
        ]),
    ]

    /// Applies the migrations not yet recorded; returns the versions applied.
    @discardableResult
    static func apply(_ client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """, logger: logger)
            var applied = Set<Int>()
            for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger).decode(Int.self) {
                applied.insert(version)
            }
            var done: [Int] = []
            for step in steps where !applied.contains(step.version) {
                for statement in step.sql {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO schema_migrations (version, name) VALUES (\(step.version), \(step.name))", logger: logger)
                done.append(step.version)
            }
            return done
        }
    }
}
