/// A claim enricher stage: adds claims to an access token being issued.
///
/// Enrichers run in configuration order; each sees the claims added before it. Registered
/// claims (`iss`, `sub`, `exp`, …) are protected: ``TokenClaims`` refuses to change them.
public protocol ClaimEnricher: Sendable {
    func enrich(_ claims: inout TokenClaims, for request: TokenRequest) async throws
}

/// What the token is being issued for, as seen by enrichers.
public struct TokenRequest: Sendable {
    public var agent: Agent
    public var scopes: [String]
    public var audience: [String]
    public var grantType: String

    public init(agent: Agent, scopes: [String], audience: [String], grantType: String) {
        self.agent = agent
        self.scopes = scopes
        self.audience = audience
        self.grantType = grantType
    }
}
