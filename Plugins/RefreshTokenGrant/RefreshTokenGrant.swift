public import Foundation
public import MachineAuthCore

/// `grant_type=refresh_token` (RFC 6749 §6) with opaque `rt_…` tokens: stored as hashes, used
/// once, rotated on every use, and a replayed token revokes its whole family (RFC 9700 §4.14).
/// It also hands out the refresh tokens of other grants' responses (``contribute(to:for:)``)
/// and answers introspection and revocation of its tokens.
public struct RefreshTokenGrant: GrantHandler {
    let tokens: any TokenStore
    let agents: any AgentStore
    let hasher: SecretHasher
    let ttl: Int
    let requireClientAuthentication: Bool
    let settings: CoreSettings
    let now: @Sendable () -> Date

    public init(
        tokens: any TokenStore, agents: any AgentStore, hasher: SecretHasher, ttl: Int, requireClientAuthentication: Bool, settings: CoreSettings,
        now: @escaping @Sendable () -> Date
    ) {
        self.tokens = tokens
        self.agents = agents
        self.hasher = hasher
        self.ttl = ttl
        self.requireClientAuthentication = requireClientAuthentication
        self.settings = settings
        self.now = now
    }

    public let grantType = "refresh_token"
    /// Every refresh token starts so; nothing outside this stage knows it.
    static let prefix = "rt_"

    public var requiresClientAuthentication: Bool { requireClientAuthentication }

    public func grant(_ request: GrantRequest) async throws -> Grant {
        guard let token = try request.parameters.single("refresh_token"), !token.isEmpty else {
            throw OAuthError.invalidRequest("refresh_token is required")
        }
        let hash = hasher.hash(token)
        // Refused before it is used, so a token presented by another client stays usable for its owner.
        if let client = request.client, let record = try await tokens.refreshToken(hash: hash), client.agent.id != record.agentID {
            throw OAuthError.invalidGrant("the refresh token was issued to another client")
        }
        switch try await tokens.useRefreshToken(hash: hash, at: request.time) {
        case .unknown:
            throw OAuthError.invalidGrant("the refresh token is invalid")
        case .replayed(let record):
            guard record.revokedAt == nil else { throw OAuthError.invalidGrant("the refresh token has been revoked") }
            try await tokens.revokeRefreshFamily(record.familyID, at: request.time)
            throw OAuthError.invalidGrant("the refresh token was already used; every token of its grant is now revoked")
        case .fresh(let record):
            guard record.expiresAt > request.time else { throw OAuthError.invalidGrant("the refresh token has expired") }
            guard let agent = try await agents.agent(id: record.agentID), agent.status(at: request.time) == .active else {
                throw OAuthError.invalidGrant("the client of this refresh token is inactive or deleted")
            }
            return Grant(
                agent: agent, scopes: record.scopes.filter(agent.scopes.contains),
                audience: try AudienceRequest(settings: settings).stillAllowed(record.audience, for: agent), isRenewal: true,
                continuation: record.familyID)
        }
    }

    /// A refresh keeps its family going; a `client_credentials` issuance gets a new family when
    /// `tokens.refresh_tokens_for_client_credentials` is on and the agent may refresh.
    public func contribute(to response: inout TokenResponse, for issuance: Issuance) async throws {
        let agent = issuance.grant.agent
        if issuance.grantType == grantType {
            response.refreshToken = try await issue(
                for: agent, scopes: issuance.grant.scopes, audience: issuance.grant.audience ?? issuance.token.audience,
                family: issuance.grant.continuation)
        } else if issuance.grantType == "client_credentials", settings.tokens.refreshTokensForClientCredentials, agent.grantTypes.contains(grantType) {
            response.refreshToken = try await issue(for: agent, scopes: issuance.token.scopes, audience: issuance.token.audience, family: nil)
        }
    }

    /// Issues and stores (as a hash) a refresh token; `family` continues a rotated family.
    func issue(for agent: Agent, scopes: [String], audience: [String], family: String?) async throws -> String {
        let token = RandomToken.make(prefix: Self.prefix, bytes: 32)
        let time = now()
        try await tokens.insertRefreshToken(RefreshTokenRecord(
            hash: hasher.hash(token), familyID: family ?? RandomToken.uuid(), agentID: agent.id, clientID: agent.clientID,
            scopes: scopes, audience: audience, createdAt: time, expiresAt: time.addingTimeInterval(TimeInterval(ttl))))
        return token
    }
}
