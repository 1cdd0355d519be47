public import Foundation

/// Signs RFC 9068 access tokens: registered claims first, then every enricher in
/// configuration order, then the active key of the ring.
public struct TokenIssuer: Sendable {
    let keyRing: KeyRing
    let enrichers: [any ClaimEnricher]
    let settings: CoreSettings
    let now: @Sendable () -> Date

    public init(keyRing: KeyRing, enrichers: [any ClaimEnricher], settings: CoreSettings, now: @escaping @Sendable () -> Date) {
        self.keyRing = keyRing
        self.enrichers = enrichers
        self.settings = settings
        self.now = now
    }

    /// Signs a token for `agent`; `confirmation` binds it to a DPoP key (`cnf.jkt`, RFC 9449 §6.1)
    /// and/or a client certificate (`cnf."x5t#S256"`, RFC 8705 §3.1); `grantClaims` are the
    /// grant's own (``Grant/claims``, names of ``TokenClaims/grantClaims``), set after the enrichers.
    public func issue(
        for agent: Agent, scopes: [String], audience: [String], grantType: String, confirmation: Confirmation = Confirmation(),
        grantClaims: [String: JSONValue] = [:]
    ) async throws -> IssuedAccessToken {
        let preciseTime = now()
        let issuedAt = Date(timeIntervalSince1970: preciseTime.timeIntervalSince1970.rounded(.down))
        let expiresAt = issuedAt.addingTimeInterval(TimeInterval(settings.tokens.accessTokenTTL.seconds))
        let jti = TokenID.make(at: preciseTime)
        var registered: [String: JSONValue] = [
            "iss": .string(settings.server.issuer),
            "sub": .string(agent.clientID),
            "aud": audience.count == 1 ? .string(audience[0]) : .array(audience.map(JSONValue.string)),
            "exp": .int(Int(expiresAt.timeIntervalSince1970)),
            "iat": .int(Int(issuedAt.timeIntervalSince1970)),
            "nbf": .int(Int(issuedAt.timeIntervalSince1970)),
            "jti": .string(jti),
            "client_id": .string(agent.clientID),
            "agent_id": .string(agent.id),
        ]
        if !scopes.isEmpty { registered["scope"] = .string(scopes.joined(separator: " ")) }
        if let cnf = confirmation.claim { registered["cnf"] = cnf }
        var claims = TokenClaims(registered: registered)
        let request = TokenRequest(agent: agent, scopes: scopes, audience: audience, grantType: grantType)
        for enricher in enrichers {
            try await enricher.enrich(&claims, for: request)
        }
        for (name, value) in grantClaims { try claims.setGrantClaim(name, value) }
        let key = try keyRing.signingKey
        let signingStarted = ThreadCPUClock.now()
        let token = try JWS.sign(header: ["typ": "at+jwt"], claims: claims.values, with: key)
        var issued = IssuedAccessToken(
            token: token, jti: jti, scopes: scopes, audience: audience, issuedAt: issuedAt, expiresAt: expiresAt, claims: claims.values)
        issued.signing = IssuedAccessToken.Signing(algorithm: key.algorithm.rawValue, cpuTime: ThreadCPUClock.now() - signingStarted)
        return issued
    }
}
