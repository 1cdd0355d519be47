import Foundation
import MachineAuthCore

/// Validates and rotates refresh tokens. Only hashes are stored; a token works once.
public struct RefreshTokenAuthenticator: Authenticator, RefreshTokenIssuer {
    let storage: any Storage
    let hasher: SecretHasher
    let ttl: Int
    let requireClientAuthentication: Bool
    let now: @Sendable () -> Date

    public init(storage: any Storage, hasher: SecretHasher, ttl: Int, requireClientAuthentication: Bool, now: @escaping @Sendable () -> Date) {
        self.storage = storage
        self.hasher = hasher
        self.ttl = ttl
        self.requireClientAuthentication = requireClientAuthentication
        self.now = now
    }

    public var capabilities: AuthenticatorCapabilities {
        AuthenticatorCapabilities(purposes: [.refreshGrant], grantTypes: ["refresh_token"])
    }

    public func authenticate(_ presentation: CredentialPresentation) async throws -> Principal? {
        guard presentation.purpose == .refreshGrant else { return nil }
        guard let token = presentation.parameters["refresh_token"], !token.isEmpty else {
            throw OAuthError.invalidRequest("refresh_token is required")
        }
        if requireClientAuthentication, presentation.authenticatedClient == nil {
            throw OAuthError.invalidClient("client authentication is required to use a refresh token")
        }
        let time = now()
        let hash = hasher.hash(token)
        // A token presented by another client is refused before it is used, so it stays
        // usable for its owner (and the owner's next use is not mistaken for a replay).
        if let client = presentation.authenticatedClient, let record = try await storage.refreshToken(hash: hash), client.id != record.agentID {
            throw OAuthError.invalidGrant("the refresh token was issued to another client")
        }
        switch try await storage.useRefreshToken(hash: hash, at: time) {
        case .unknown:
            throw OAuthError.invalidGrant("the refresh token is invalid")
        case .replayed(let record):
            guard record.revokedAt == nil else { throw OAuthError.invalidGrant("the refresh token has been revoked") }
            try await storage.revokeRefreshFamily(record.familyID, at: time)
            throw OAuthError.invalidGrant("the refresh token was already used; every token of its grant is now revoked")
        case .fresh(let record):
            if let client = presentation.authenticatedClient, client.id != record.agentID {
                throw OAuthError.invalidGrant("the refresh token was issued to another client")
            }
            guard record.expiresAt > time else { throw OAuthError.invalidGrant("the refresh token has expired") }
            guard let agent = try await storage.agent(id: record.agentID), agent.status(at: time) == .active else {
                throw OAuthError.invalidGrant("the client of this refresh token is inactive or deleted")
            }
            return .agent(AgentPrincipal(agent: agent, method: "refresh_token", refreshGrant: record))
        }
    }

    public func issueRefreshToken(for agent: Agent, scopes: [String], audience: [String], familyID: String?) async throws -> String {
        let token = RandomToken.make(prefix: "rt_", bytes: 32)
        let time = now()
        try await storage.insertRefreshToken(RefreshTokenRecord(
            hash: hasher.hash(token), familyID: familyID ?? RandomToken.uuid(), agentID: agent.id, clientID: agent.clientID,
            scopes: scopes, audience: audience, createdAt: time, expiresAt: time.addingTimeInterval(TimeInterval(ttl))))
        return token
    }
}
