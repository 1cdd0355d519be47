import MachineAuthCore

/// What one commit changed, table by table: the journal's unit (one line per commit, applied
/// whole or not at all). Every change is a whole row written or a key removed, so applying it
/// twice gives the same state; usage counters are additive and rely on the record's sequence.
struct StoreChanges: Sendable {
    /// Rows written and keys removed in one table.
    struct Table<Value: Sendable>: Sendable {
        var put: [Value] = []
        var delete: [String] = []

        var isEmpty: Bool { put.isEmpty && delete.isEmpty }

        init(put: [Value] = [], delete: [String] = []) {
            self.put = put
            self.delete = delete
        }

        init(_ changes: [(key: String, value: Value?)]) {
            for change in changes {
                if let value = change.value { put.append(value) } else { delete.append(change.key) }
            }
        }
    }

    var agents = Table<Agent>()
    var refreshTokens = Table<RefreshTokenRecord>()
    var revokedTokens = Table<RevokedAccessToken>()
    var usedIdentifiers = Table<UsedIdentifier>()
    var organizations = Table<Organization>()
    var teams = Table<Team>()
    var apiKeys = Table<APIKey>()
    var users = Table<AdminUser>()
    var webhooks = Table<Webhook>()
    var deliveries = Table<WebhookDelivery>()
    var trustedIssuers = Table<TrustedIssuer>()
    /// Settings written (settings are never removed).
    var settings: [String: String] = [:]
    /// The whole signing key ring, when it changed.
    var signingKeys: [SigningKeyRecord]?
    /// Usage counters added, by agent id.
    var usage: [String: UsageDelta] = [:]

    var isEmpty: Bool {
        agents.isEmpty && refreshTokens.isEmpty && revokedTokens.isEmpty && usedIdentifiers.isEmpty && organizations.isEmpty && teams.isEmpty
            && apiKeys.isEmpty && users.isEmpty && webhooks.isEmpty && deliveries.isEmpty && trustedIssuers.isEmpty && settings.isEmpty
            && signingKeys == nil && usage.isEmpty
    }
}
