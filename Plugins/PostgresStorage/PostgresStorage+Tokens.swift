public import Foundation
import Logging
public import MachineAuthCore
import PostgresNIO

extension PostgresStorage {
    static let refreshColumns = "hash, family_id, agent_id, client_id, scopes, audience, created_at, expires_at, used_at, revoked_at"

    func refreshTokens(from rows: PostgresRowSequence) async throws -> [RefreshTokenRecord] {
        var records: [RefreshTokenRecord] = []
        for try await (hash, family, agent, client, scopes, audience, created, expires, used, revoked)
            in rows.decode((String, String, String, String, [String], [String], Date, Date, Date?, Date?).self)
        {
            records.append(RefreshTokenRecord(
                hash: hash, familyID: family, agentID: agent, clientID: client, scopes: scopes, audience: audience,
                createdAt: created, expiresAt: expires, usedAt: used, revokedAt: revoked))
        }
        return records
    }

    public func insertRefreshToken(_ record: RefreshTokenRecord) async throws {
        try await mapped { [self] in
            try await client.query(
                """
                INSERT INTO refresh_tokens (\(unescaped: Self.refreshColumns))
                VALUES (\(record.hash), \(record.familyID), \(record.agentID), \(record.clientID), \(record.scopes), \(record.audience),
                        \(record.createdAt), \(record.expiresAt), \(record.usedAt), \(record.revokedAt))
                """, logger: logger)
        }
    }

    /// One statement marks the token used only if it is still fresh, so racing uses cannot both win.
    public func useRefreshToken(hash: String, at time: Date) async throws -> RefreshTokenUse {
        try await mapped { [self] in
            let claimed = try await refreshTokens(from: try await client.query(
                """
                UPDATE refresh_tokens SET used_at = \(time)
                WHERE hash = \(hash) AND used_at IS NULL AND revoked_at IS NULL
                RETURNING \(unescaped: Self.refreshColumns)
                """, logger: logger))
            if let fresh = claimed.first { return .fresh(fresh) }
            guard let existing = try await refreshToken(hash: hash) else { return .unknown }
            return .replayed(existing)
        }
    }

    public func refreshToken(hash: String) async throws -> RefreshTokenRecord? {
        try await mapped { [self] in
            try await refreshTokens(from: try await client.query(
                "SELECT \(unescaped: Self.refreshColumns) FROM refresh_tokens WHERE hash = \(hash)", logger: logger)).first
        }
    }

    public func revokeRefreshFamily(_ familyID: String, at time: Date) async throws -> Int {
        try await mapped { [self] in
            try await count("WITH revoked AS (UPDATE refresh_tokens SET revoked_at = \(time) WHERE family_id = \(familyID) AND revoked_at IS NULL RETURNING 1) SELECT count(*)::bigint FROM revoked")
        }
    }

    public func revokeRefreshTokens(agentID: String, at time: Date) async throws -> Int {
        try await mapped { [self] in
            try await count("WITH revoked AS (UPDATE refresh_tokens SET revoked_at = \(time) WHERE agent_id = \(agentID) AND revoked_at IS NULL RETURNING 1) SELECT count(*)::bigint FROM revoked")
        }
    }

    public func revokeAccessToken(_ token: RevokedAccessToken) async throws {
        try await mapped { [self] in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    "INSERT INTO revoked_access_tokens (jti, expires_at, agent_id) VALUES (\(token.jti), \(token.expiresAt), \(token.agentID)) ON CONFLICT (jti) DO NOTHING",
                    logger: logger)
                try await notify("revoked:" + (try RecordCoding.encode(token)), on: connection)
            }
        }
    }

    public func revokedAccessTokens() async throws -> [RevokedAccessToken] {
        try await mapped { [self] in
            var tokens: [RevokedAccessToken] = []
            let rows = try await client.query("SELECT jti, expires_at, agent_id FROM revoked_access_tokens WHERE expires_at > now()", logger: logger)
            for try await (jti, expires, agent) in rows.decode((String, Date, String?).self) {
                tokens.append(RevokedAccessToken(jti: jti, expiresAt: expires, agentID: agent))
            }
            return tokens
        }
    }

    public func purgeExpiredTokens(before time: Date) async throws {
        try await mapped { [self] in
            try await client.query("DELETE FROM revoked_access_tokens WHERE expires_at < \(time)", logger: logger)
            try await client.query("DELETE FROM refresh_tokens WHERE expires_at < \(time)", logger: logger)
            try await client.query("DELETE FROM used_identifiers WHERE expires_at < \(time)", logger: logger)
        }
    }

    /// One statement, so two instances racing on the same key have one winner: a row is
    /// returned when the key was new, or when its earlier use had expired.
    public func recordFirstUse(_ key: String, until expiresAt: Date, at time: Date) async throws -> Bool {
        try await mapped { [self] in
            let rows = try await client.query(
                """
                INSERT INTO used_identifiers (key, expires_at) VALUES (\(key), \(expiresAt))
                ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE used_identifiers.expires_at < \(time)
                RETURNING key
                """, logger: logger)
            for try await _ in rows.decode(String.self) { return true }
            return false
        }
    }
}
