import Foundation
import Logging
public import MachineAuthCore
import PostgresNIO

extension PostgresStorage {
    /// Longest a snapshot or a load may take: they move the whole store, not one row.
    static let bulkTimeout = 3600

    /// Every table read in one repeatable-read transaction, so the copy is of one moment.
    public func snapshot() async throws -> StoreSnapshot {
        try await mapped(timeout: Self.bulkTimeout) { [self] in
            try await client.withConnection { connection in
                try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
                do {
                    let snapshot = try await snapshot(on: connection)
                    try await connection.query("COMMIT", logger: logger)
                    return snapshot
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        }
    }

    private func snapshot(on connection: PostgresConnection) async throws -> StoreSnapshot {
        var snapshot = StoreSnapshot(createdAt: Date())
        for try await (name, value) in try await connection.query("SELECT name, value FROM settings", logger: logger).decode((String, String).self) {
            snapshot.settings[name] = value
        }
        snapshot.signingKeys = try await signingKeys(on: connection)
        snapshot.organizations = try await records(Organization.self, "SELECT record::text FROM organizations ORDER BY id", on: connection)
        snapshot.teams = try await records(Team.self, "SELECT record::text FROM teams ORDER BY id", on: connection)
        snapshot.agents = try await agents(from: try await connection.query("SELECT \(unescaped: Self.agentColumns) ORDER BY a.id", logger: logger))
        snapshot.apiKeys = try await records(APIKey.self, "SELECT record::text FROM api_keys ORDER BY id", on: connection)
        snapshot.users = try await records(AdminUser.self, "SELECT record::text FROM admin_users ORDER BY id", on: connection)
        snapshot.webhooks = try await records(Webhook.self, "SELECT record::text FROM webhooks ORDER BY id", on: connection)
        snapshot.deliveries = try await records(WebhookDelivery.self, "SELECT record::text FROM webhook_deliveries ORDER BY id", on: connection)
        snapshot.trustedIssuers = try await records(
            TrustedIssuer.self, "SELECT record::text FROM trusted_issuers ORDER BY created_at NULLS FIRST, id", on: connection)
        snapshot.refreshTokens = try await refreshTokens(from: try await connection.query(
            "SELECT \(unescaped: Self.refreshColumns) FROM refresh_tokens ORDER BY hash", logger: logger))
        let revoked = try await connection.query("SELECT jti, expires_at, agent_id FROM revoked_access_tokens ORDER BY jti", logger: logger)
        for try await (jti, expires, agent) in revoked.decode((String, Date, String?).self) {
            snapshot.revokedAccessTokens.append(RevokedAccessToken(jti: jti, expiresAt: expires, agentID: agent))
        }
        snapshot.auditRecords = try await records(AuditRecord.self, "SELECT record::text FROM audit_records ORDER BY time, id", on: connection)
        return snapshot
    }

    /// Every object in one transaction; a duplicate key rolls all of it back (a conflict).
    public func load(_ snapshot: StoreSnapshot, replacingKeysAndSettings: Bool) async throws {
        try await mapped(timeout: Self.bulkTimeout) { [self] in
            try await client.withTransaction(logger: logger) { connection in
                if replacingKeysAndSettings {
                    try await connection.query("DELETE FROM settings", logger: logger)
                    try await connection.query("DELETE FROM signing_keys", logger: logger)
                }
                try await insert(snapshot, on: connection)
                try await notify("resync", on: connection)
            }
        }
    }

    private func insert(_ snapshot: StoreSnapshot, on connection: PostgresConnection) async throws {
        for (name, value) in snapshot.settings {
            try await connection.query("INSERT INTO settings (name, value) VALUES (\(name), \(value))", logger: logger)
        }
        for key in snapshot.signingKeys {
            try await connection.query(
                """
                INSERT INTO signing_keys (kid, algorithm, private_key, created_at, retired_at, publish_until)
                VALUES (\(key.kid), \(key.algorithm.rawValue), \(key.privateKey), \(key.createdAt), \(key.retiredAt), \(key.publishUntil))
                """, logger: logger)
        }
        for organization in snapshot.organizations {
            try await connection.query(
                "INSERT INTO organizations (id, slug, name, record) VALUES (\(organization.id), \(organization.slug), \(organization.name), \(try RecordCoding.encode(organization))::jsonb)",
                logger: logger)
        }
        for team in snapshot.teams {
            try await connection.query(
                "INSERT INTO teams (id, organization_id, name, record) VALUES (\(team.id), \(team.organizationID), \(team.name), \(try RecordCoding.encode(team))::jsonb)",
                logger: logger)
        }
        for agent in snapshot.agents {
            try await write(agent, on: connection, insert: true)
            let usage = agent.usage
            try await connection.query(
                """
                UPDATE agent_usage SET token_count = \(usage.tokenCount), refresh_count = \(usage.refreshCount), failed_auth_count = \(usage.failedAuthCount),
                    last_token_at = \(usage.lastTokenAt), last_activity_at = \(usage.lastActivityAt)
                WHERE agent_id = \(agent.id)
                """, logger: logger)
        }
        for key in snapshot.apiKeys {
            try await connection.query(
                "INSERT INTO api_keys (id, hash, organization_id, created_at, record) VALUES (\(key.id), \(key.hash), \(key.organizationID), \(key.createdAt), \(try RecordCoding.encode(key))::jsonb)",
                logger: logger)
        }
        for user in snapshot.users {
            try await connection.query(
                "INSERT INTO admin_users (id, email, record) VALUES (\(user.id), \(user.email), \(try RecordCoding.encode(user))::jsonb)", logger: logger)
        }
        for webhook in snapshot.webhooks {
            try await connection.query(
                "INSERT INTO webhooks (id, organization_id, created_at, record) VALUES (\(webhook.id), \(webhook.organizationID), \(webhook.createdAt), \(try RecordCoding.encode(webhook))::jsonb)",
                logger: logger)
        }
        for delivery in snapshot.deliveries {
            try await connection.query(
                """
                INSERT INTO webhook_deliveries (id, webhook_id, status, next_attempt_at, lease_owner, lease_until, created_at, record)
                VALUES (\(delivery.id), \(delivery.webhookID), \(delivery.status.rawValue), \(delivery.nextAttemptAt), \(delivery.leaseOwner),
                        \(delivery.leaseUntil), \(delivery.createdAt), \(try RecordCoding.encode(delivery))::jsonb)
                """, logger: logger)
        }
        for issuer in snapshot.trustedIssuers {
            try await connection.query(
                "INSERT INTO trusted_issuers (id, issuer, created_at, record) VALUES (\(issuer.id), \(issuer.issuer), \(issuer.createdAt), \(try RecordCoding.encode(issuer))::jsonb)",
                logger: logger)
        }
        for record in snapshot.refreshTokens {
            try await connection.query(
                """
                INSERT INTO refresh_tokens (\(unescaped: Self.refreshColumns))
                VALUES (\(record.hash), \(record.familyID), \(record.agentID), \(record.clientID), \(record.scopes), \(record.audience),
                        \(record.createdAt), \(record.expiresAt), \(record.usedAt), \(record.revokedAt))
                """, logger: logger)
        }
        for token in snapshot.revokedAccessTokens {
            try await connection.query(
                "INSERT INTO revoked_access_tokens (jti, expires_at, agent_id) VALUES (\(token.jti), \(token.expiresAt), \(token.agentID))", logger: logger)
        }
        for batch in stride(from: 0, to: snapshot.auditRecords.count, by: 1000) {
            let records = Array(snapshot.auditRecords[batch..<min(batch + 1000, snapshot.auditRecords.count)])
            try await connection.query(
                """
                INSERT INTO audit_records (id, time, action, actor_id, agent_id, target_id, organization_id, record)
                SELECT id, time, action, NULLIF(actor, ''), NULLIF(agent, ''), NULLIF(target, ''), NULLIF(organization, ''), body::jsonb
                FROM unnest(\(records.map(\.id))::text[], \(records.map(\.time))::timestamptz[], \(records.map(\.action))::text[],
                            \(records.map { $0.actorID ?? "" })::text[], \(records.map { $0.agentID ?? "" })::text[],
                            \(records.map { $0.targetID ?? "" })::text[], \(records.map { $0.organizationID ?? "" })::text[],
                            \(records.map(\.jsonLine))::text[])
                     AS batch(id, time, action, actor, agent, target, organization, body)
                """, logger: logger)
        }
    }
}
