public import Foundation

/// Everything a store holds, as one value: what `machineauth backup` writes, `restore` reads
/// and `migrate-store` copies from one driver to another. Secret hashes, sealed webhook
/// secrets and signing keys are in it exactly as stored, so a snapshot file is as sensitive
/// as the store itself.
public struct StoreSnapshot: Sendable, Codable, Equatable {
    /// What the file says it is, checked when it is read back.
    public static let formatName = "machineauth-store-snapshot"
    public static let formatVersion = 1

    public var format = StoreSnapshot.formatName
    public var version = StoreSnapshot.formatVersion
    public var createdAt: Date
    /// Instance-wide values, such as the generated secret-hashing key the agents' hashes depend on.
    public var settings: [String: String] = [:]
    public var signingKeys: [SigningKeyRecord] = []
    public var organizations: [Organization] = []
    public var teams: [Team] = []
    /// With their secret hashes and usage counters.
    public var agents: [Agent] = []
    public var apiKeys: [APIKey] = []
    public var users: [AdminUser] = []
    public var webhooks: [Webhook] = []
    public var deliveries: [WebhookDelivery] = []
    /// Trusted issuers made through the API (workload identity federation).
    public var trustedIssuers: [TrustedIssuer] = []
    /// Unexpired refresh tokens, used and revoked ones included (a replayed token must still revoke its family).
    public var refreshTokens: [RefreshTokenRecord] = []
    /// Revocations of access tokens that have not expired yet.
    public var revokedAccessTokens: [RevokedAccessToken] = []
    public var auditRecords: [AuditRecord] = []

    public init(createdAt: Date) {
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case format, version, settings, agents, organizations, teams, users, webhooks, deliveries
        case createdAt = "created_at", signingKeys = "signing_keys", apiKeys = "api_keys", refreshTokens = "refresh_tokens"
        case revokedAccessTokens = "revoked_access_tokens", auditRecords = "audit_records", trustedIssuers = "trusted_issuers"
    }

    /// How many objects of each kind, by the names the commands print.
    public var counts: SnapshotCounts {
        SnapshotCounts(values: [
            "settings": settings.count, "signing_keys": signingKeys.count, "organizations": organizations.count, "teams": teams.count,
            "agents": agents.count, "api_keys": apiKeys.count, "users": users.count, "webhooks": webhooks.count,
            "webhook_deliveries": deliveries.count, "trusted_issuers": trustedIssuers.count, "refresh_tokens": refreshTokens.count,
            "revoked_access_tokens": revokedAccessTokens.count, "audit_records": auditRecords.count,
        ])
    }

    /// Whether the store holds anything an operator made or a client used (settings and
    /// signing keys a first start generates do not count).
    public var holdsObjects: Bool {
        !(organizations.isEmpty && teams.isEmpty && agents.isEmpty && apiKeys.isEmpty && users.isEmpty && webhooks.isEmpty
            && deliveries.isEmpty && trustedIssuers.isEmpty && refreshTokens.isEmpty && revokedAccessTokens.isEmpty && auditRecords.isEmpty)
    }

    /// Drops what has expired by `time`: refresh tokens and access-token revocations past their expiry.
    public func live(at time: Date) -> StoreSnapshot {
        var live = self
        live.refreshTokens.removeAll { $0.expiresAt <= time }
        live.revokedAccessTokens.removeAll { $0.expiresAt <= time }
        return live
    }
}

/// Object counts of a snapshot, printed as `agents=3 organizations=1 …` in a fixed order.
public struct SnapshotCounts: Sendable, Equatable, CustomStringConvertible {
    public static let order = [
        "organizations", "teams", "agents", "api_keys", "users", "webhooks", "webhook_deliveries", "trusted_issuers", "refresh_tokens",
        "revoked_access_tokens", "signing_keys", "settings", "audit_records",
    ]
    public var values: [String: Int]

    public subscript(kind: String) -> Int { values[kind] ?? 0 }

    public var description: String {
        Self.order.map { "\($0)=\(self[$0])" }.joined(separator: " ")
    }
}

/// A store that can hand over everything it holds and take it back.
public protocol SnapshotStore: Sendable {
    /// A consistent copy of every object (one transaction, or one moment of the JSON store).
    func snapshot() async throws -> StoreSnapshot
    /// Writes every object of `snapshot` in one transaction; an object whose key exists is a
    /// ``StorageError/conflict(_:)`` and nothing is written. `replacingKeysAndSettings` first
    /// removes the store's own signing keys and settings (a fresh store's generated ones), so
    /// the snapshot's take their place.
    func load(_ snapshot: StoreSnapshot, replacingKeysAndSettings: Bool) async throws
}
