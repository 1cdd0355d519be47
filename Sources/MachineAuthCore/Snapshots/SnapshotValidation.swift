import Foundation

extension StoreSnapshot {
    /// Every problem that would make this snapshot a damaged store, checked before anything is
    /// written: numbers out of the stored ranges, keys that must be unique repeated, objects
    /// that refer to one the snapshot lacks, signing keys that do not load, more than one
    /// active key. Empty when the snapshot is sound.
    public func problems() -> [String] {
        var problems: [String] = []
        problems += agents.compactMap(StoredRanges.problem(in:))
        problems += webhooks.compactMap(StoredRanges.problem(in:))
        problems += deliveries.compactMap(StoredRanges.problem(in:))
        problems += trustedIssuers.compactMap(StoredRanges.problem(in:))
        problems += Self.repeated("trusted issuer id", trustedIssuers.map(\.id)) + Self.repeated("trusted issuer URL", trustedIssuers.map(\.issuer))
        problems += Self.repeated("organization id", organizations.map(\.id)) + Self.repeated("organization slug", organizations.map(\.slug))
        problems += Self.repeated("team id", teams.map(\.id))
        problems += Self.repeated("agent id", agents.map(\.id)) + Self.repeated("client_id", agents.map(\.clientID))
        problems += Self.repeated("API key id", apiKeys.map(\.id)) + Self.repeated("API key hash", apiKeys.map(\.hash))
        problems += Self.repeated("user id", users.map(\.id)) + Self.repeated("user e-mail", users.map { $0.email.lowercased() })
        problems += Self.repeated("webhook id", webhooks.map(\.id)) + Self.repeated("delivery id", deliveries.map(\.id))
        problems += Self.repeated("refresh token", refreshTokens.map(\.hash)) + Self.repeated("revocation", revokedAccessTokens.map(\.jti))
        problems += Self.repeated("audit record id", auditRecords.map(\.id)) + Self.repeated("signing key", signingKeys.map(\.kid))

        let organizationIDs = Set(organizations.map(\.id)), teamIDs = Set(teams.map(\.id))
        let agentIDs = Set(agents.map(\.id)), webhookIDs = Set(webhooks.map(\.id))
        for team in teams where !organizationIDs.contains(team.organizationID) {
            problems.append("team \(team.id) belongs to organization \(team.organizationID), which the snapshot lacks")
        }
        for agent in agents {
            if let organization = agent.organizationID, !organizationIDs.contains(organization) {
                problems.append("agent \(agent.clientID) belongs to organization \(organization), which the snapshot lacks")
            }
            if let team = agent.teamID, !teamIDs.contains(team) { problems.append("agent \(agent.clientID) belongs to team \(team), which the snapshot lacks") }
        }
        for key in apiKeys where !organizationIDs.contains(key.organizationID) {
            problems.append("API key \(key.id) belongs to organization \(key.organizationID), which the snapshot lacks")
        }
        for webhook in webhooks {
            if let organization = webhook.organizationID, !organizationIDs.contains(organization) {
                problems.append("webhook \(webhook.id) belongs to organization \(organization), which the snapshot lacks")
            }
        }
        for delivery in deliveries where !webhookIDs.contains(delivery.webhookID) {
            problems.append("delivery \(delivery.id) is for webhook \(delivery.webhookID), which the snapshot lacks")
        }
        for token in refreshTokens where !agentIDs.contains(token.agentID) {
            problems.append("a refresh token belongs to agent \(token.agentID), which the snapshot lacks")
        }
        if signingKeys.filter(\.isActive).count > 1 { problems.append("more than one signing key is active") }
        for key in signingKeys where (try? SigningKey(record: key)) == nil {
            problems.append("signing key \(key.kid) cannot be loaded as a \(key.algorithm.rawValue) key")
        }
        return problems
    }

    private static func repeated(_ what: String, _ values: [String]) -> [String] {
        var seen = Set<String>(), reported = Set<String>()
        return values.compactMap { value in
            guard !seen.insert(value).inserted, reported.insert(value).inserted else { return nil }
            return "\(what) \(value) appears more than once"
        }
    }
}
