import Foundation

extension StoreSnapshot {
    /// Reads a snapshot file; tables added after format version 1 was first written
    /// (`trusted_issuers`) may be absent, and read as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(createdAt: try container.decode(Date.self, forKey: .createdAt))
        format = try container.decode(String.self, forKey: .format)
        version = try container.decode(Int.self, forKey: .version)
        settings = try container.decode([String: String].self, forKey: .settings)
        signingKeys = try container.decode([SigningKeyRecord].self, forKey: .signingKeys)
        organizations = try container.decode([Organization].self, forKey: .organizations)
        teams = try container.decode([Team].self, forKey: .teams)
        agents = try container.decode([Agent].self, forKey: .agents)
        apiKeys = try container.decode([APIKey].self, forKey: .apiKeys)
        users = try container.decode([AdminUser].self, forKey: .users)
        webhooks = try container.decode([Webhook].self, forKey: .webhooks)
        deliveries = try container.decode([WebhookDelivery].self, forKey: .deliveries)
        trustedIssuers = try container.decodeIfPresent([TrustedIssuer].self, forKey: .trustedIssuers) ?? []
        refreshTokens = try container.decode([RefreshTokenRecord].self, forKey: .refreshTokens)
        revokedAccessTokens = try container.decode([RevokedAccessToken].self, forKey: .revokedAccessTokens)
        auditRecords = try container.decode([AuditRecord].self, forKey: .auditRecords)
    }
}
