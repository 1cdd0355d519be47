public import Foundation
import Metrics

/// Token revocation (RFC 7009), free of HTTP: a grant stage revokes the tokens it issued itself
/// (a refresh token's whole family); an access token goes on the denylist until it expires.
/// Unknown, foreign and already revoked tokens change nothing and say nothing. Every
/// revocation publishes `token.revoked`.
public struct RevocationService: Sendable {
    let grants: [any GrantHandler]
    let keyRing: KeyRing
    let revocations: RevocationList
    let storage: any Storage
    let events: EventBus
    let telemetry: Telemetry
    let settings: CoreSettings
    let now: @Sendable () -> Date

    public init(
        grants: [any GrantHandler], keyRing: KeyRing, revocations: RevocationList, storage: any Storage, events: EventBus,
        telemetry: Telemetry, settings: CoreSettings, now: @escaping @Sendable () -> Date
    ) {
        self.grants = grants
        self.keyRing = keyRing
        self.revocations = revocations
        self.storage = storage
        self.events = events
        self.telemetry = telemetry
        self.settings = settings
        self.now = now
    }

    /// Revokes `token` if it is one of ours and `mayRevoke` allows its agent.
    public func revoke(_ token: String, hint: String?, mayRevoke: @escaping @Sendable (Agent) -> Bool, by attribution: Attribution) async throws {
        for grant in grants {
            switch try await grant.revoke(token, hint: hint, mayRevoke: mayRevoke) {
            case .notMine: continue
            case .unchanged: return
            case .revoked(let agent, let kind, let id):
                await announce(id: id, kind: kind, agent: agent, by: attribution)
                return
            }
        }
        try await revokeAccessToken(token, mayRevoke: mayRevoke, by: attribution)
    }

    private func revokeAccessToken(_ token: String, mayRevoke: @Sendable (Agent) -> Bool, by attribution: Attribution) async throws {
        guard let parsed = try? JWS.parse(token), parsed.header["typ"]?.stringValue?.lowercased().hasSuffix("at+jwt") == true,
            (try? TokenValidator.checkSignature(parsed, keyRing: keyRing)) != nil,
            parsed.claims["iss"]?.stringValue == settings.server.issuer,
            let jti = parsed.claims["jti"]?.stringValue, let exp = parsed.claims["exp"]?.intValue,
            let agentID = parsed.claims["agent_id"]?.stringValue
        else { return }
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(exp))
        guard expiresAt > now(), !revocations.contains(jti), let agent = try await storage.agent(id: agentID), mayRevoke(agent) else { return }
        let revoked = RevokedAccessToken(jti: jti, expiresAt: expiresAt, agentID: agentID)
        try await storage.revokeAccessToken(revoked)
        revocations.insert(revoked)
        await announce(id: jti, kind: "access_token", agent: agent, by: attribution)
    }

    private func announce(id: String, kind: String, agent: Agent, by attribution: Attribution) async {
        telemetry.tokensRevoked.increment()
        await events.publish(DomainEvent(
            type: "token.revoked", time: now(), actor: attribution.actor, target: .token(id),
            organizationID: agent.organizationID, teamID: agent.teamID,
            data: ["agent_id": .string(agent.id), "client_id": .string(agent.clientID), "token_type": .string(kind)],
            origin: attribution.origin))
    }
}
