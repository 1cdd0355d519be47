import Foundation
public import MachineAuthCore

extension JSONStorage {
    /// The state as of one moment, with the audit trail read after it.
    public func snapshot() async throws -> StoreSnapshot {
        var snapshot = read { state -> StoreSnapshot in
            var snapshot = StoreSnapshot(createdAt: Date())
            snapshot.settings = Dictionary(uniqueKeysWithValues: state.settings.keyedRows)
            snapshot.signingKeys = state.signingKeys
            snapshot.organizations = Array(state.organizations)
            snapshot.teams = Array(state.teams)
            snapshot.agents = Array(state.agents)
            snapshot.apiKeys = Array(state.apiKeys)
            snapshot.users = Array(state.users)
            snapshot.webhooks = Array(state.webhooks)
            snapshot.deliveries = Array(state.deliveries)
            snapshot.trustedIssuers = Self.creationOrder(Array(state.trustedIssuers))
            snapshot.refreshTokens = Array(state.refreshTokens)
            snapshot.revokedAccessTokens = Array(state.revokedTokens)
            return snapshot
        }
        let log = auditLog
        snapshot.auditRecords = try await Self.offload { try log.readAll() }
        return snapshot
    }

    /// Every object in one journal record, then the audit records in one append to the audit
    /// trail; an existing id, client id, slug, key hash or e-mail refuses the whole snapshot
    /// before anything changes. If the audit append fails after the objects are in, the error
    /// says so: a rerun with `--merge` adds the records (it skips what exists).
    public func load(_ snapshot: StoreSnapshot, replacingKeysAndSettings: Bool) async throws {
        try await commit { state in
            try Self.checkNoneExist(snapshot, in: state, replacingKeysAndSettings: replacingKeysAndSettings)
            if replacingKeysAndSettings {
                for (name, _) in state.settings.keyedRows { state.settings.removeValue(forKey: name) }
                state.signingKeys = []
            }
            for (name, value) in snapshot.settings { state.settings[name] = value }
            state.signingKeys.append(contentsOf: snapshot.signingKeys)
            for organization in snapshot.organizations { state.organizations[organization.id] = organization }
            for team in snapshot.teams { state.teams[team.id] = team }
            for agent in snapshot.agents { state.setAgent(agent) }
            for key in snapshot.apiKeys { state.setAPIKey(key) }
            for user in snapshot.users { state.users[user.id] = user }
            for webhook in snapshot.webhooks { state.webhooks[webhook.id] = webhook }
            for issuer in snapshot.trustedIssuers { state.trustedIssuers[issuer.id] = issuer }
            for delivery in snapshot.deliveries { state.deliveries[delivery.id] = delivery }
            for token in snapshot.refreshTokens { state.insertRefreshToken(token) }
            for token in snapshot.revokedAccessTokens { state.revokedTokens[token.jti] = token }
        }
        if !snapshot.trustedIssuers.isEmpty { feed.send(.trustedIssuersChanged) }
        guard !snapshot.auditRecords.isEmpty else { return }
        do {
            // In time order (retention relies on it), in batches so the trail is cut into segments as it grows.
            let records = snapshot.auditRecords.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
            for start in stride(from: 0, to: records.count, by: 10_000) {
                try await appendAuditRecords(Array(records[start..<min(start + 10_000, records.count)]))
            }
        } catch {
            throw StorageError.unavailable("the objects were restored, but appending the \(snapshot.auditRecords.count) audit records failed (\(error)); rerun with --merge to add them")
        }
    }

    private static func checkNoneExist(_ snapshot: StoreSnapshot, in state: JSONStoreState, replacingKeysAndSettings: Bool) throws {
        func refuse(_ what: String) -> StorageError { StorageError.conflict("the store already has \(what); nothing was restored") }
        if !replacingKeysAndSettings {
            if let name = snapshot.settings.keys.first(where: { state.settings[$0] != nil }) { throw refuse("setting \(name)") }
            let kids = Set(state.signingKeys.map(\.kid))
            if let key = snapshot.signingKeys.first(where: { kids.contains($0.kid) }) { throw refuse("signing key \(key.kid)") }
        }
        let slugs = Set(state.organizations.map(\.slug))
        for organization in snapshot.organizations where state.organizations[organization.id] != nil || slugs.contains(organization.slug) {
            throw refuse("organization \(organization.slug)")
        }
        if let team = snapshot.teams.first(where: { state.teams[$0.id] != nil }) { throw refuse("team \(team.id)") }
        for agent in snapshot.agents where state.agents[agent.id] != nil || state.agentIDByClientID[agent.clientID] != nil {
            throw refuse("agent \(agent.clientID)")
        }
        for key in snapshot.apiKeys where state.apiKeys[key.id] != nil || state.apiKeyIDByHash[key.hash] != nil { throw refuse("API key \(key.id)") }
        let emails = Set(state.users.map { $0.email.lowercased() })
        for user in snapshot.users where state.users[user.id] != nil || emails.contains(user.email.lowercased()) { throw refuse("user \(user.email)") }
        if let webhook = snapshot.webhooks.first(where: { state.webhooks[$0.id] != nil }) { throw refuse("webhook \(webhook.id)") }
        if let delivery = snapshot.deliveries.first(where: { state.deliveries[$0.id] != nil }) { throw refuse("delivery \(delivery.id)") }
        let issuerURLs = Set(state.trustedIssuers.map(\.issuer))
        for issuer in snapshot.trustedIssuers where state.trustedIssuers[issuer.id] != nil || issuerURLs.contains(issuer.issuer) {
            throw refuse("trusted issuer \(issuer.issuer)")
        }
        if snapshot.refreshTokens.contains(where: { state.refreshTokens[$0.hash] != nil }) { throw refuse("one of the refresh tokens") }
        if let token = snapshot.revokedAccessTokens.first(where: { state.revokedTokens[$0.jti] != nil }) { throw refuse("revocation \(token.jti)") }
    }
}
