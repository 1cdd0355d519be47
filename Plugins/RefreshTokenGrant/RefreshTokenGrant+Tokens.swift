import Foundation
public import MachineAuthCore

extension RefreshTokenGrant {
    /// Whether `token` may be one of this stage's (its prefix, or the client's hint), decided without I/O.
    func mayOwn(_ token: String, hint: String?) -> Bool {
        token.hasPrefix(Self.prefix) || hint == "refresh_token"
    }

    public func introspect(_ token: String, hint: String?) async throws -> IssuedGrantToken? {
        guard mayOwn(token, hint: hint), let record = try await tokens.refreshToken(hash: hasher.hash(token)),
            let agent = try await agents.agent(id: record.agentID)
        else { return nil }
        let time = now()
        let active = record.usedAt == nil && record.revokedAt == nil && record.expiresAt > time && agent.status(at: time) == .active
        var claims: [String: JSONValue] = [
            "token_type": "refresh_token", "client_id": .string(record.clientID), "sub": .string(record.clientID),
            "agent_id": .string(agent.id), "scope": .string(record.scopes.joined(separator: " ")),
            "exp": .int(Int(record.expiresAt.timeIntervalSince1970)), "iat": .int(Int(record.createdAt.timeIntervalSince1970)),
            "iss": .string(settings.server.issuer),
        ]
        if !record.audience.isEmpty { claims["aud"] = .array(record.audience.map(JSONValue.string)) }
        return IssuedGrantToken(agent: agent, isActive: active, claims: claims)
    }

    /// Revokes the token's whole family.
    public func revoke(_ token: String, hint: String?, mayRevoke: @Sendable (Agent) -> Bool) async throws -> GrantTokenRevocation {
        guard mayOwn(token, hint: hint), let record = try await tokens.refreshToken(hash: hasher.hash(token)) else { return .notMine }
        guard record.revokedAt == nil, let agent = try await agents.agent(id: record.agentID), mayRevoke(agent) else { return .unchanged }
        try await tokens.revokeRefreshFamily(record.familyID, at: now())
        return .revoked(agent: agent, kind: "refresh_token", id: record.familyID)
    }
}
